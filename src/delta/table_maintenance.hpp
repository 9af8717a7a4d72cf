// Table maintenance policy: what keeps a table that is appended to many times a second healthy —
// compaction of small files, checkpoints, expired-log cleanup and vacuum — in bounded passes that
// `sportlake lake maintain` runs once and `sportlake up` runs as a background service.
//
// One pass over a table (maintain_table), in this order:
// 1. compaction: the plan (plan_compaction) sorts each partition's files smaller than
//    `target_file_bytes` into size tiers, tier k holding the files of
//    (target / fan_in^(k+1), target / fan_in^k]; a tier with at least `fan_in` files is packed, oldest
//    first, into bins of at most `target_file_bytes` (a bin of one file is left alone). Bins of
//    the smallest files go first; each bin is one OPTIMIZE commit (compact_files: dataChange=false,
//    never conflicting with appends), as long as the pass's budget of bytes read lasts. Each byte
//    is thus rewritten about once per tier (log_fan_in(target / commit size) times), and a
//    partition keeps at most (fan_in − 1) small files per tier plus its target-sized files.
//    A conflict (a concurrent metaData change, a concurrent compaction) ends the table's
//    compaction for this pass: counted, retried at the next pass, not an error.
// 2. checkpoint of the latest version when it is `checkpoint_every` versions (0: the table's
//    delta.checkpointInterval) or more past the newest checkpoint;
// 3. expired-log cleanup (log_cleanup.hpp: the table's delta.logRetentionDuration);
// 4. vacuum with the table's delta.deletedFileRetentionDuration (never shorter).
// Steps 3 and 4 list the whole log / table folder: the service runs them less often
// (`cleanup` false on most passes). Every step is crash-safe on its own (a kill -9 leaves at worst
// orphan files that vacuum collects later) and readers at any version inside the retention are
// never affected.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/maintenance.hpp"
#include "delta/storage.hpp"
#include "delta/table_writer.hpp"

namespace sl::delta {

struct MaintenancePolicy {
  uint64_t target_file_bytes = 32ull << 20;  // compacted files' size (and a bin's input bytes)
  size_t fan_in = 10;                        // files of one tier compacted together, at least
  int64_t checkpoint_every = 0;              // versions; 0: the table's delta.checkpointInterval
  bool compact = true;
  bool checkpoint = true;
  bool cleanup = true;  // expired-log cleanup and vacuum (they list every file)
  WriteOptions write;   // parquet options and clock of the compacted files
  // Decoded bytes of a compacted file's row group: what a compaction holds at once, about
  // (compact_files). A long-lived service under a memory budget gives less (`up`).
  size_t row_group_bytes = DataFileWriter::k_default_row_group_bytes;
  // Asked between bins: a pass stops early (what is committed stays) when it answers true.
  std::function<bool()> stop;
};

// What a pass did to one table.
struct TableMaintenance {
  int64_t version = -1;             // the table's latest version after the pass
  size_t files_before = 0;          // live files before
  size_t files_after = 0;           // and after the pass's compactions
  size_t compactions = 0;           // OPTIMIZE commits
  size_t files_compacted = 0;       // files removed by them
  size_t files_written = 0;         // files they added
  uint64_t bytes_rewritten = 0;     // bytes read (removed files' sizes)
  size_t conflicts = 0;             // compactions that lost to a concurrent commit
  size_t bins_deferred = 0;         // planned bins left for a later pass (budget, stop)
  std::optional<int64_t> checkpoint;  // version checkpointed
  size_t log_files_deleted = 0;
  std::optional<size_t> files_vacuumed;  // when the vacuum ran
  std::string summary() const;           // one line: "3 compactions (30 → 3 files) ..."
};

// The bins of live files to compact, smallest files first (each bin: one partition, ≥ 2 files,
// at most target_file_bytes in all unless a single pair exceeds it). Pure.
std::vector<std::vector<Add>> plan_compaction(const std::vector<Add>& files,
                                              const MaintenancePolicy& policy);

// One pass over one table. `budget_bytes` is what compactions may still read (shared by the
// tables of a pass); it is decreased by what this table rewrote.
Result<TableMaintenance> maintain_table(Storage& storage, const MaintenancePolicy& policy,
                                        uint64_t& budget_bytes);

}  // namespace sl::delta
