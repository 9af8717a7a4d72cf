// The changes a Bronze table received after a version (a Silver watermark), read from its Delta
// log instead of its whole history, and the current state of chosen keys.
//
// Bronze is an append-only change log: each version adds data files of changes (dataChange
// true); table maintenance may compact them (adds and removes with dataChange false, the same
// rows in fewer files). Anything else after the watermark rewrote the history that Silver
// consumed, and the refresh falls back to a full rebuild, saying why (`rewritten`):
// - a metaData or protocol action (a schema change: a column added by the source),
// - a remove with dataChange true (rows taken out of an append-only log),
// - a commit file missing (the log was cleaned up past the watermark), a version below the
//   watermark (the table was recreated), or a changed file gone without a compaction holding it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"
#include "lakehouse/bronze_state.hpp"

namespace sl::lakehouse {

struct BronzeChanges {
  int64_t to_version = -1;  // the table's version the changes were read up to
  // Live data files holding every change committed after the watermark (and possibly older
  // ones, when a compaction merged them: reading a key again is harmless).
  std::vector<delta::Add> files;
  std::optional<std::string> rewritten;  // why the log cannot be read incrementally
  bool empty() const { return files.empty() && !rewritten; }
};

// Pure: the commits after `watermark` up to `latest` (ascending, each with its actions) → the
// files to read, or why not. Unit-tested.
BronzeChanges changes_from_commits(
    const std::vector<std::pair<int64_t, std::vector<delta::Action>>>& commits,
    const delta::Snapshot& latest, int64_t watermark);

// Reads the commit files (watermark, latest.version] and calls changes_from_commits.
Result<BronzeChanges> read_bronze_changes(const delta::Storage& table,
                                          const delta::Snapshot& latest, int64_t watermark);

// `snapshot` holding only `files` (some of its live files): what a scan of those files plans on.
delta::Snapshot snapshot_of_files(const delta::Snapshot& snapshot, std::vector<delta::Add> files);

// The rows of `files` of a snapshot of any table (columns: those of `columns` the table has, every one when
// empty; filters applied).
Result<columnar::RecordBatch> read_table_files(const delta::Storage& table,
                                                const delta::Snapshot& snapshot,
                                                std::vector<delta::Add> files,
                                                const std::vector<std::string>& columns,
                                                std::vector<delta::Predicate> filters = {});

// The current state of the keys `keys` (sorted, unique) of a table keyed by one integer column:
// every live file whose stats may hold one of them is read (late transactions — an older commit
// LSN landing in a newer version — are thus ordered right), the other rows dropped.
// `columns` as BronzeState::read.
Result<BronzeState> bronze_state_of_keys(const delta::Storage& table,
                                         const delta::Snapshot& snapshot,
                                         const std::string& key_column,
                                         const std::vector<int64_t>& keys,
                                         const std::vector<std::string>& columns);

// Whether a file's stats say it holds no value of `keys` (sorted) in integer column `column`
// (false without stats: the file may hold any).
bool stats_exclude_keys(const delta::Add& file, const std::string& column,
                        const std::vector<int64_t>& keys);

}  // namespace sl::lakehouse
