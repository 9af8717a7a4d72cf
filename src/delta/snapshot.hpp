// Snapshot: the state of a table at one version, reconstructed from its log segment.
//
// Order of work (load_snapshot):
// 1. list `_delta_log/`, pick the version (latest, a given version, or the newest commit whose
//    timestamp is ≤ a given time) and build its LogSegment;
// 2. replay newest-first: commits from the target version down, then the checkpoint. The first
//    protocol / metaData / txn per app id / domain seen wins; for files, the first action seen
//    per (path, deletion vector) decides: an add is a live file, a remove a tombstone, and every
//    older action on that key is ignored;
// 3. check that a protocol and a metaData were found and that we can read this protocol.
// Commit files are parsed on up to `parallelism` threads (they are independent).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/log_segment.hpp"
#include "delta/schema.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct Snapshot {
  int64_t version = -1;
  int64_t timestamp_ms = 0;  // when the version was committed (commit file modification time)
  Protocol protocol;
  Metadata metadata;
  Schema schema;
  std::vector<Add> files;  // live files, oldest commit first
  std::vector<Remove> tombstones;
  std::map<std::string, Txn> app_transactions;
  std::map<std::string, DomainMetadata> domains;
  std::optional<CommitInfo> commit_info;  // of this version's commit, if it has one
  LogSegment segment;

  // Last committed version of an application's idempotent writes (txn), if any.
  std::optional<int64_t> app_version(std::string_view app_id) const;
  bool is_partition_column(std::string_view name) const;
};

struct SnapshotOptions {
  std::optional<int64_t> version;
  std::optional<int64_t> timestamp_ms;  // time travel: newest version committed at or before
  int parallelism = 2;
};

Result<Snapshot> load_snapshot(const Storage& storage, const SnapshotOptions& options = {});

// One row of the table history (newest first): version, time and commitInfo.
struct HistoryEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::optional<CommitInfo> commit_info;
};
Result<std::vector<HistoryEntry>> load_history(const Storage& storage,
                                               std::optional<size_t> limit = std::nullopt);

}  // namespace sl::delta
