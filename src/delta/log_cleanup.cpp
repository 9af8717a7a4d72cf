// cleanup_expired_logs: retention-based deletion of old log files.
#include "delta/log_cleanup.hpp"

#include "common/civil_time.hpp"
#include "delta/log_segment.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

Result<size_t> cleanup_expired_logs(Storage& storage, const Snapshot& snapshot, int64_t now_ms) {
  auto enabled = snapshot.metadata.configuration.find("delta.enableExpiredLogCleanup");
  if (enabled != snapshot.metadata.configuration.end() && enabled->second == "false")
    return size_t{0};
  constexpr int64_t k_day_ms = 86'400'000;
  int64_t cutoff = floor_div(now_ms - log_retention_ms(snapshot.metadata), k_day_ms) * k_day_ms;
  SL_ASSIGN_OR_RETURN(auto listing, list_log(storage));
  // The newest checkpoint whose commit is older than the cut-off.
  std::optional<int64_t> keep_from;
  for (const auto& [version, parts] : listing.checkpoints) {
    auto commit = listing.commits.find(version);
    int64_t time = commit != listing.commits.end() ? commit->second.modification_time_ms
                                                   : parts.front().modification_time_ms;
    if (time <= cutoff && version <= snapshot.version) keep_from = version;
  }
  if (!keep_from) return size_t{0};
  size_t deleted = 0;
  for (const auto& [version, file] : listing.commits) {
    if (version >= *keep_from) break;
    if (file.modification_time_ms > cutoff) continue;
    SL_TRY(storage.remove(file.path));
    SL_TRY(storage.remove(std::string(k_log_dir) + "/" +
                          file.path.substr(file.path.rfind('/') + 1, 20) + ".crc"));
    ++deleted;
  }
  for (const auto& [version, parts] : listing.checkpoints) {
    if (version >= *keep_from) break;
    for (const auto& part : parts) {
      SL_TRY(storage.remove(part.path));
      ++deleted;
    }
  }
  return deleted;
}

}  // namespace sl::delta
