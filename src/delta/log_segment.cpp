// LogSegment: listing `_delta_log/`, choosing the checkpoint, checking contiguity.
#include "delta/log_segment.hpp"

#include <cctype>
#include <cstdio>

namespace sl::delta {

namespace {

constexpr size_t k_version_digits = 20;

std::string padded(int64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
  return buffer;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int64_t to_int(std::string_view digits) {
  int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string commit_path(int64_t version) {
  return std::string(k_log_dir) + "/" + padded(version, k_version_digits) + ".json";
}

std::string checkpoint_path(int64_t version) {
  return std::string(k_log_dir) + "/" + padded(version, k_version_digits) + ".checkpoint.parquet";
}

std::string last_checkpoint_path() {
  return std::string(k_log_dir) + "/_last_checkpoint";
}

std::optional<int64_t> LogListing::latest_version() const {
  std::optional<int64_t> latest;
  if (!commits.empty()) latest = commits.rbegin()->first;
  if (!checkpoints.empty() && (!latest || checkpoints.rbegin()->first > *latest)) {
    latest = checkpoints.rbegin()->first;
  }
  return latest;
}

Result<LogListing> list_log(const Storage& storage, std::optional<int64_t> from_version) {
  std::string first_name = from_version ? padded(*from_version, k_version_digits) : "";
  SL_ASSIGN_OR_RETURN(auto files, storage.list_from(k_log_dir, first_name));
  LogListing listing;
  // Multi-part checkpoints: version → (declared parts, parts seen by number).
  std::map<int64_t, std::pair<int64_t, std::map<int64_t, FileInfo>>> multipart;
  for (auto& file : files) {
    std::string_view name = file.path;
    name.remove_prefix(name.rfind('/') + 1);
    if (name.size() < k_version_digits + 1 || !all_digits(name.substr(0, k_version_digits)) ||
        name[k_version_digits] != '.') {
      continue;
    }
    int64_t version = to_int(name.substr(0, k_version_digits));
    std::string_view rest = name.substr(k_version_digits);
    if (rest == ".json") {
      listing.commits.emplace(version, std::move(file));
    } else if (rest == ".checkpoint.parquet") {
      listing.checkpoints[version] = {std::move(file)};
    } else if (rest.starts_with(".checkpoint.") && rest.ends_with(".parquet") &&
               rest.size() ==
                   std::string_view(".checkpoint.0000000001.0000000002.parquet").size() &&
               all_digits(rest.substr(12, 10)) && rest[22] == '.' &&
               all_digits(rest.substr(23, 10))) {
      int64_t part = to_int(rest.substr(12, 10));
      int64_t parts = to_int(rest.substr(23, 10));
      auto& entry = multipart[version];
      entry.first = parts;
      entry.second.emplace(part, std::move(file));
    }
  }
  for (auto& [version, entry] : multipart) {
    auto& [parts, seen] = entry;
    if (listing.checkpoints.count(version) || parts <= 0 ||
        static_cast<int64_t>(seen.size()) != parts) {
      continue;  // incomplete (a writer died mid-way): not usable
    }
    std::vector<FileInfo> ordered;
    for (auto& [part, file] : seen) ordered.push_back(std::move(file));
    listing.checkpoints.emplace(version, std::move(ordered));
  }
  return listing;
}

Result<LogSegment> build_log_segment(const Storage& storage, const LogListing& listing,
                                     std::optional<int64_t> version) {
  auto latest = listing.latest_version();
  if (!latest) {
    return make_error(Errc::not_found,
                      "no Delta table at " + storage.describe("") + " (no commit in _delta_log)");
  }
  int64_t target = version.value_or(*latest);
  if (target < 0 || target > *latest) {
    return make_error(Errc::not_found, "version " + std::to_string(target) +
                                           " does not exist (latest is " + std::to_string(*latest) +
                                           ")");
  }
  LogSegment segment;
  segment.version = target;
  auto cp = listing.checkpoints.upper_bound(target);
  int64_t first_commit = 0;
  if (cp != listing.checkpoints.begin()) {
    --cp;
    segment.checkpoint_version = cp->first;
    segment.checkpoint_parts = cp->second;
    first_commit = cp->first + 1;
  }
  for (int64_t v = first_commit; v <= target; ++v) {
    auto it = listing.commits.find(v);
    if (it == listing.commits.end()) {
      auto next = listing.commits.upper_bound(v);
      std::string detail = next == listing.commits.end() || next->first > target
                               ? ""
                               : " while " + next->second.path + " exists";
      return make_error(Errc::corrupt, "cannot read version " + std::to_string(target) + " of " +
                                           storage.describe("") + ": " + commit_path(v) +
                                           " is missing" + detail +
                                           " (log versions are not contiguous)");
    }
    segment.commits.emplace_back(v, it->second);
  }
  return segment;
}

}  // namespace sl::delta
