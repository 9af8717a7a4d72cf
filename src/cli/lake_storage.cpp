// The configured lake on local storage or an S3-compatible object store.
#include "cli/lake_storage.hpp"

#include <cstdlib>
#include <filesystem>

#include "common/fs.hpp"
#include "delta/aws_profile.hpp"
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

// The text of an AWS profile file: `variable`'s path, else ~/.aws/<name>; a missing file is empty.
Result<std::pair<std::string, std::string>> profile_file(const char* variable, const char* name) {
  std::string path = env(variable);
  if (path.empty()) {
    const std::string home = env("HOME");
    if (home.empty()) return std::pair<std::string, std::string>{};
    path = home + "/.aws/" + name;
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::pair<std::string, std::string>{"", path};
  SL_ASSIGN_OR_RETURN(auto text, fs::read_file(path));
  return std::pair{std::move(text), path};
}

}  // namespace

Result<delta::S3Options> s3_options(const S3Settings& settings) {
  delta::S3Options options;
  options.access_key_id = settings.access_key_id;
  options.secret_access_key = settings.secret_access_key;
  options.session_token = settings.session_token;
  if (options.access_key_id.empty() != options.secret_access_key.empty()) {
    // Half a key pair is a mistake to report, not to complete from a profile.
    return make_error(Errc::invalid_argument,
                      options.access_key_id.empty()
                          ? "S3: a secret access key is set without its key id (lake.s3.access_key_id, AWS_ACCESS_KEY_ID)"
                          : "S3: a key id is set without its secret (lake.s3.secret_access_key, AWS_SECRET_ACCESS_KEY)");
  }
  if (!settings.region.empty()) options.region = settings.region;
  options.endpoint = settings.endpoint;
  const bool have_path_style = !settings.path_style.empty();
  if (have_path_style) {
    if (settings.path_style != "true" && settings.path_style != "false" &&
        settings.path_style != "1" && settings.path_style != "0")
      return make_error(Errc::invalid_argument,
                        "lake.s3.path_style = '" + settings.path_style + "': true or false");
    options.path_style = settings.path_style == "true" || settings.path_style == "1";
  }
  delta::AwsProfileFiles files;
  SL_ASSIGN_OR_RETURN(auto credentials, profile_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
  SL_ASSIGN_OR_RETURN(auto config, profile_file("AWS_CONFIG_FILE", "config"));
  files.credentials_text = std::move(credentials.first);
  files.credentials_origin = std::move(credentials.second);
  files.config_text = std::move(config.first);
  files.config_origin = std::move(config.second);
  const bool named = !settings.profile.empty();
  SL_TRY(delta::apply_aws_profile(options, files, named ? settings.profile : "default", named,
                                  !settings.region.empty(), !settings.endpoint.empty(),
                                  have_path_style));
  if (!have_path_style && !settings.endpoint.empty()) options.path_style = true;
  if (!settings.max_parallel_reads) return settings.max_parallel_reads.error();
  options.max_parallel_reads = std::max(1, *settings.max_parallel_reads);
  if (!settings.multipart_mb) return settings.multipart_mb.error();
  if (*settings.multipart_mb) {
    // Files of at least N MiB go in N MiB parts (tests, stores with small limits).
    options.multipart_threshold = options.part_size = static_cast<uint64_t>(**settings.multipart_mb) << 20;
  }
  options.single_writer = settings.single_writer;
  return options;
}

Result<std::unique_ptr<delta::Storage>> open_storage(
    const Settings& settings, const std::string& location,
    std::shared_ptr<delta::FooterCache> footers) {
  if (!delta::is_s3_uri(location)) return std::make_unique<delta::LocalStorage>(location);
  SL_ASSIGN_OR_RETURN(auto where, delta::parse_s3_uri(location));
  SL_ASSIGN_OR_RETURN(auto options, s3_options(settings.s3));
  return std::make_unique<delta::S3Storage>(std::move(options), std::move(where),
                                            std::move(footers));
}

delta::Lake open_lake(const Context& ctx) {
  // One footer cache for every table of the lake this process opens (the dashboard and the
  // jobs scan the same tables again and again).
  auto footers = std::make_shared<delta::FooterCache>();
  return delta::Lake(ctx.settings.lake_root.string(),
                     [footers, settings = ctx.settings](
                         const std::string& location) -> std::unique_ptr<delta::Storage> {
                       auto storage = open_storage(settings, location, footers);
                       if (!storage) return std::make_unique<UnusableStorage>(location, storage.error());
                       return std::move(*storage);
                     });
}

}  // namespace sl::cli
