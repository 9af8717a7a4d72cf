// Table maintenance: optimize (compact small files) and vacuum (delete unreferenced files).
//
// optimize, per partition: read the files smaller than `min_file_bytes` (at least two of them),
// write their rows as files of up to `max_rows_per_file` rows, commit removes + adds with
// dataChange=false (streaming readers ignore the commit; rows and versions are unchanged).
// A concurrent writer that removes one of the compacted files makes the commit fail (conflict);
// concurrent appends do not.
//
// vacuum (Spark VacuumCommand.gc): list every file of the table outside `_delta_log` and hidden
// directories; delete those that no live add and no unexpired tombstone references and whose
// modification time is older than now − retention. A retention shorter than the table's
// `delta.deletedFileRetentionDuration` (7 days by default) is refused unless forced, as in Spark.
// Files are deleted one by one in path order (fault point `delta.vacuum.delete`, detail: the path):
// a vacuum cut short deletes the rest next time.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/data_file_writer.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"
#include "delta/table_writer.hpp"

namespace sl::delta {

struct OptimizeOptions {
  uint64_t min_file_bytes = 64ull << 20;
  WriteOptions write;  // parquet options, rows per file, clock
};

struct OptimizeResult {
  int64_t version = -1;  // -1: nothing to compact, nothing committed
  size_t files_removed = 0;
  size_t files_added = 0;
  size_t rows = 0;
  uint64_t bytes_read = 0;     // the removed files' sizes
  uint64_t bytes_written = 0;  // the added files' sizes
};

Result<OptimizeResult> optimize(Storage& storage, const OptimizeOptions& options = {});

// The one compaction step (optimize and table_maintenance): each group (live files of
// `snapshot`, all of one partition, at least two) is read and written again as files of up to
// `write.max_rows_per_file` rows; one commit on `snapshot` removes the old files and adds the
// new ones, all dataChange=false (operation OPTIMIZE). Concurrent appends do not conflict (Delta's
// rules, transaction.hpp); a concurrent removal of one of the files or a metaData/protocol change
// does (Errc::conflict). When the commit does not land, the new files are deleted again (best
// effort: a crash leaves them to vacuum). Fault point `delta.optimize.before_commit`.
// `row_group_bytes`: the decoded rows of an output row group, what the rewrite holds at once
// (DataFileWriter).
Result<OptimizeResult> compact_files(Storage& storage, const Snapshot& snapshot,
                                     const std::vector<std::vector<Add>>& groups,
                                     const WriteOptions& write,
                                     size_t row_group_bytes = DataFileWriter::k_default_row_group_bytes);

struct VacuumOptions {
  std::optional<int64_t> retention_ms;  // default: the table's deletedFileRetentionDuration
  bool dry_run = false;
  bool force_short_retention = false;
  std::function<int64_t()> now_ms;
};

struct VacuumResult {
  std::vector<std::string> deleted;  // or that would be, in a dry run
  size_t kept_files = 0;
};

Result<VacuumResult> vacuum(Storage& storage, const VacuumOptions& options = {});

}  // namespace sl::delta
