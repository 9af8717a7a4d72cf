// Snapshot: log replay (newest first) and history.
#include "delta/snapshot.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "delta/actions_json.hpp"
#include "delta/checkpoint_reader.hpp"
#include "delta/last_checkpoint.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

namespace {

// Commit timestamps as Spark computes them: the commit file's modification time, made strictly
// increasing (a commit is never older than its predecessor).
std::map<int64_t, int64_t> commit_timestamps(const LogListing& listing) {
  std::map<int64_t, int64_t> out;
  int64_t previous = INT64_MIN;
  for (const auto& [version, file] : listing.commits) {
    int64_t ts = file.modification_time_ms;
    if (previous != INT64_MIN && ts <= previous) ts = previous + 1;
    out.emplace(version, ts);
    previous = ts;
  }
  return out;
}

Result<int64_t> version_at(const Storage& storage, const LogListing& listing,
                           int64_t timestamp_ms) {
  auto stamps = commit_timestamps(listing);
  std::optional<int64_t> found;
  for (const auto& [version, ts] : stamps) {
    if (ts <= timestamp_ms) found = version;
  }
  if (!found) {
    return make_error(Errc::not_found, "no version of " + storage.describe("") +
                                           " was committed at or before " +
                                           std::to_string(timestamp_ms) + " ms");
  }
  return *found;
}

// Reads and parses the commits of a segment on `parallelism` threads; results in segment order.
Result<std::vector<std::vector<Action>>> parse_commits(const Storage& storage,
                                                       const LogSegment& segment, int parallelism) {
  size_t n = segment.commits.size();
  std::vector<Result<std::vector<Action>>> parsed(
      n, Result<std::vector<Action>>(std::vector<Action>{}));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) {
      const auto& file = segment.commits[i].second;
      auto text = storage.read(file.path);
      if (!text.ok()) {
        parsed[i] = text.error();
        continue;
      }
      parsed[i] = parse_commit(*text, storage.describe(file.path));
    }
  };
  size_t threads = std::min<size_t>(static_cast<size_t>(std::max(parallelism, 1)), (n + 63) / 64);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  std::vector<std::vector<Action>> out;
  out.reserve(n);
  for (auto& r : parsed) {
    if (!r.ok()) return r.error();
    out.push_back(std::move(r).value());
  }
  return out;
}

// Replay state: what has been decided so far, newest actions first.
struct Replay {
  Snapshot& snapshot;
  bool have_protocol = false;
  bool have_metadata = false;
  std::unordered_set<std::string> seen_files;
  std::vector<Add> files_newest_first;

  // Whether this file action is the newest for its key. A checkpoint holds one action per key,
  // so its actions only need checking against the commits after it, never recording.
  bool first_for_key(std::string_view path, const std::optional<DeletionVector>& dv,
                     bool from_checkpoint) {
    if (!from_checkpoint) return seen_files.insert(file_key(path, dv)).second;
    return seen_files.empty() || !seen_files.contains(file_key(path, dv));
  }

  void apply(Action& action, bool from_checkpoint) {
    std::visit(
        [&](auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, Add>) {
            if (first_for_key(a.path, a.deletion_vector, from_checkpoint)) {
              if (from_checkpoint) a.data_change = false;
              files_newest_first.push_back(std::move(a));
            }
          } else if constexpr (std::is_same_v<T, Remove>) {
            if (first_for_key(a.path, a.deletion_vector, from_checkpoint)) {
              snapshot.tombstones.push_back(std::move(a));
            }
          } else if constexpr (std::is_same_v<T, Protocol>) {
            if (!have_protocol) snapshot.protocol = std::move(a);
            have_protocol = true;
          } else if constexpr (std::is_same_v<T, Metadata>) {
            if (!have_metadata) snapshot.metadata = std::move(a);
            have_metadata = true;
          } else if constexpr (std::is_same_v<T, Txn>) {
            snapshot.app_transactions.try_emplace(a.app_id, std::move(a));
          } else if constexpr (std::is_same_v<T, DomainMetadata>) {
            snapshot.domains.try_emplace(a.domain, std::move(a));
          }
        },
        action);
  }
};

// The listing and segment for the requested version. The latest version (or one at or after the
// hinted checkpoint) is found by listing from `_last_checkpoint` on; a missing, corrupt or
// misleading hint (its checkpoint cleaned up or never completed) falls back to the whole listing.
Result<std::pair<LogListing, LogSegment>> find_segment(const Storage& storage,
                                                       const SnapshotOptions& options) {
  if (!options.timestamp_ms) {
    auto hint = read_last_checkpoint(storage);
    if (!hint.ok()) {
      spdlog::warn("delta: ignoring {}: {}", storage.describe(last_checkpoint_path()),
                   hint.error().to_string());
    } else if (*hint && (!options.version || *options.version >= (*hint)->version)) {
      SL_ASSIGN_OR_RETURN(auto listing, list_log(storage, (*hint)->version));
      auto segment = build_log_segment(storage, listing, options.version);
      if (segment.ok() && segment->checkpoint_version) {
        return std::pair{std::move(listing), std::move(segment).value()};
      }
    }
  }
  SL_ASSIGN_OR_RETURN(auto listing, list_log(storage));
  std::optional<int64_t> version = options.version;
  if (!version && options.timestamp_ms) {
    SL_ASSIGN_OR_RETURN(version, version_at(storage, listing, *options.timestamp_ms));
  }
  SL_ASSIGN_OR_RETURN(auto segment, build_log_segment(storage, listing, version));
  return std::pair{std::move(listing), std::move(segment)};
}

}  // namespace

std::optional<int64_t> Snapshot::app_version(std::string_view app_id) const {
  auto it = app_transactions.find(std::string(app_id));
  if (it == app_transactions.end()) return std::nullopt;
  return it->second.version;
}

bool Snapshot::is_partition_column(std::string_view name) const {
  return std::find(metadata.partition_columns.begin(), metadata.partition_columns.end(), name) !=
         metadata.partition_columns.end();
}

Result<Snapshot> load_snapshot(const Storage& storage, const SnapshotOptions& options) {
  SL_ASSIGN_OR_RETURN(auto found, find_segment(storage, options));
  auto& [listing, segment] = found;

  Snapshot snapshot;
  snapshot.version = segment.version;
  auto stamps = commit_timestamps(listing);
  if (auto it = stamps.find(segment.version); it != stamps.end()) {
    snapshot.timestamp_ms = it->second;
  } else if (!segment.checkpoint_parts.empty()) {
    snapshot.timestamp_ms = segment.checkpoint_parts.back().modification_time_ms;
  }

  // The checkpoint is read while the commits after it are parsed (independent work).
  std::future<Result<CheckpointActions>> checkpoint;
  if (!segment.checkpoint_parts.empty()) {
    const auto& parts = segment.checkpoint_parts;  // (clang 14 cannot capture a binding)
    checkpoint = std::async(std::launch::async,
                            [&storage, &parts] { return read_checkpoint(storage, parts); });
  }
  auto parsed = parse_commits(storage, segment, options.parallelism);
  CheckpointActions from_checkpoint;
  if (checkpoint.valid()) {
    SL_ASSIGN_OR_RETURN(from_checkpoint, checkpoint.get());
  }
  SL_ASSIGN_OR_RETURN(auto commits, std::move(parsed));
  Replay replay{snapshot};
  size_t commit_actions = 0;
  for (const auto& commit : commits) commit_actions += commit.size();
  replay.seen_files.reserve(commit_actions);
  replay.files_newest_first.reserve(commit_actions);
  for (size_t i = commits.size(); i-- > 0;) {
    bool is_target = segment.commits[i].first == segment.version;
    for (auto& action : commits[i]) {
      if (is_target && std::holds_alternative<CommitInfo>(action)) {
        snapshot.commit_info = std::get<CommitInfo>(action);
      }
      replay.apply(action, false);
    }
  }
  for (auto& action : from_checkpoint.others) replay.apply(action, true);
  // The live files oldest first: the checkpoint's, in its row order (the vector they were decoded
  // into, less those the commits after it removed or added again), then the commits' from the
  // oldest on (tombstones of files re-added later were already skipped).
  snapshot.files = std::move(from_checkpoint.adds);
  if (!replay.seen_files.empty()) {
    std::erase_if(snapshot.files, [&](const Add& add) {
      return !replay.first_for_key(add.path, add.deletion_vector, true);
    });
  }
  for (auto& add : snapshot.files) add.data_change = false;
  snapshot.files.reserve(snapshot.files.size() + replay.files_newest_first.size());
  snapshot.files.insert(snapshot.files.end(),
                        std::make_move_iterator(replay.files_newest_first.rbegin()),
                        std::make_move_iterator(replay.files_newest_first.rend()));
  std::string where = storage.describe("") + " at version " + std::to_string(segment.version);
  if (!replay.have_protocol) {
    return make_error(Errc::corrupt, "no protocol action found for " + where);
  }
  if (!replay.have_metadata) {
    return make_error(Errc::corrupt, "no metaData action found for " + where);
  }
  if (auto s = check_read_supported(snapshot.protocol, snapshot.metadata); !s.ok()) {
    return s.error().with_context(storage.describe(""));
  }
  auto schema = parse_schema_json(snapshot.metadata.schema_string);
  if (!schema.ok()) return schema.error().with_context(where);
  snapshot.schema = std::move(*schema);
  snapshot.segment = std::move(segment);
  return snapshot;
}

Result<std::vector<HistoryEntry>> load_history(const Storage& storage,
                                               std::optional<size_t> limit) {
  SL_ASSIGN_OR_RETURN(auto listing, list_log(storage));
  if (listing.commits.empty()) {
    return make_error(Errc::not_found,
                      "no Delta table at " + storage.describe("") + " (no commit in _delta_log)");
  }
  auto stamps = commit_timestamps(listing);
  std::vector<HistoryEntry> out;
  for (auto it = listing.commits.rbegin(); it != listing.commits.rend(); ++it) {
    if (limit && out.size() >= *limit) break;
    HistoryEntry entry{it->first, stamps[it->first], std::nullopt};
    SL_ASSIGN_OR_RETURN(auto text, storage.read(it->second.path));
    SL_ASSIGN_OR_RETURN(auto actions, parse_commit(text, storage.describe(it->second.path)));
    for (auto& a : actions) {
      if (auto* info = std::get_if<CommitInfo>(&a)) {
        entry.commit_info = std::move(*info);
        break;
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace sl::delta
