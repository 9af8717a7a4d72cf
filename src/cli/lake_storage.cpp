// The configured lake on local storage or an S3-compatible object store.
#include "cli/lake_storage.hpp"

#include <cstdlib>

#include "delta/footer_cache.hpp"
#include "delta/local_storage.hpp"

namespace sl::cli {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// A storage that refuses every call with the same error (an unusable location): the Lake's
// factory cannot fail, the first use reports it.
class UnusableStorage final : public delta::Storage {
 public:
  UnusableStorage(std::string location, Error error)
      : location_(std::move(location)), error_(std::move(error)) {}
  Result<std::string> read(std::string_view) const override { return error_; }
  Result<delta::FileInfo> stat(std::string_view) const override { return error_; }
  Result<std::vector<delta::FileInfo>> list_from(std::string_view,
                                                 std::string_view) const override {
    return error_;
  }
  Result<std::vector<delta::FileInfo>> list_recursive(std::string_view) const override {
    return error_;
  }
  Result<delta::PutOutcome> put_if_absent(std::string_view, std::string_view) override {
    return error_;
  }
  Status put(std::string_view, std::string_view) override { return error_; }
  Status remove(std::string_view) override { return error_; }
  std::string describe(std::string_view path) const override {
    return path.empty() ? location_ : location_ + "/" + std::string(path);
  }

 private:
  std::string location_;
  Error error_;
};

}  // namespace

delta::S3Options s3_options_from_environment() {
  delta::S3Options options;
  options.access_key_id = env("AWS_ACCESS_KEY_ID");
  options.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
  options.session_token = env("AWS_SESSION_TOKEN");
  if (auto region = env("AWS_REGION"); !region.empty()) {
    options.region = region;
  } else if (auto fallback = env("AWS_DEFAULT_REGION"); !fallback.empty()) {
    options.region = fallback;
  }
  options.endpoint = env("AWS_ENDPOINT_URL_S3");
  if (options.endpoint.empty()) options.endpoint = env("AWS_ENDPOINT_URL");
  const std::string path_style = env("AWS_S3_FORCE_PATH_STYLE");
  options.path_style = path_style.empty() ? !options.endpoint.empty()
                                          : (path_style == "true" || path_style == "1");
  if (auto mb = env("SPORTLAKE_S3_MULTIPART_MB"); !mb.empty()) {
    // Tests and stores with small limits: files of at least N MiB go in N MiB parts.
    const uint64_t n = std::strtoull(mb.c_str(), nullptr, 10);
    if (n > 0) options.multipart_threshold = options.part_size = n << 20;
  }
  const std::string single_writer = env("SPORTLAKE_S3_SINGLE_WRITER");
  options.single_writer = single_writer == "true" || single_writer == "1";
  return options;
}

Result<std::unique_ptr<delta::Storage>> open_storage(
    const std::string& location, std::shared_ptr<delta::FooterCache> footers) {
  if (!delta::is_s3_uri(location)) return std::make_unique<delta::LocalStorage>(location);
  SL_ASSIGN_OR_RETURN(auto where, delta::parse_s3_uri(location));
  return std::make_unique<delta::S3Storage>(s3_options_from_environment(), std::move(where),
                                            std::move(footers));
}

delta::Lake open_lake(const Context& ctx) {
  // One footer cache for every table of the lake this process opens (the dashboard and the
  // jobs scan the same tables again and again).
  auto footers = std::make_shared<delta::FooterCache>();
  return delta::Lake(ctx.settings.lake_root.string(),
                     [footers](const std::string& location) -> std::unique_ptr<delta::Storage> {
                       auto storage = open_storage(location, footers);
                       if (!storage) return std::make_unique<UnusableStorage>(location, storage.error());
                       return std::move(*storage);
                     });
}

}  // namespace sl::cli
