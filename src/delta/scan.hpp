// Scan: the rows of a snapshot — files chosen by partition values and stats, then read,
// projected, with partition columns materialised and columns missing from a file read as null.
//
// Order of work:
// 1. plan_scan: keep the live files whose partition values and stats (min/max/nullCount) may
//    match every filter (a file without stats is always kept);
// 2. read each kept file (ParquetReader over Storage bytes), project the data columns, add
//    partition columns from `partitionValues`, null columns for fields the file lacks;
// 3. keep the rows that match every filter, hand each file's batch to the callback.
// Files are independent: step 2 runs on several threads (ScanOptions::threads, or the storage's
// parallel reads), the batches handed over in plan order.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"
#include "parquet/value_predicate.hpp"

namespace sl::delta {

struct Predicate {
  using Op = parquet::CompareOp;  // eq, ne, lt, le, gt, ge, is_null, is_not_null
  std::string column;             // a top-level primitive column
  Op op = Op::eq;
  std::string value;  // literal in partition-value syntax ("42", "2025-01-31", "abc")
};

// "id>=10", "day=2025-01-01", "name is null" → Predicate.
Result<Predicate> parse_predicate(std::string_view text);

struct ScanOptions {
  std::vector<std::string> columns;  // empty: every column, in schema order
  std::vector<Predicate> filters;    // all must hold
  // Files decoded at once, on as many threads (at least the storage's `max_parallel_reads()`):
  // on local files, decoding is the work, and a scan of several files can use every core.
  size_t threads = 1;
  // One batch per row group instead of per file, the files read one after the other: a reader
  // that streams (compaction) holds one row group's rows at a time, whatever the file's size.
  bool batch_per_row_group = false;
};

struct ScanPlan {
  std::vector<const Add*> files;
  size_t skipped_by_partition = 0;
  size_t skipped_by_stats = 0;
};

Result<ScanPlan> plan_scan(const Snapshot& snapshot, const ScanOptions& options);

// The output schema of a scan (projection of the table schema, as Parquet fields).
Result<std::vector<columnar::Field>> scan_schema(const Snapshot& snapshot,
                                                 const ScanOptions& options);

// Reads the planned files; `on_batch` returns false to stop early.
Status scan(const Storage& storage, const Snapshot& snapshot, const ScanOptions& options,
            const std::function<bool(columnar::RecordBatch&&)>& on_batch);

// Every matching row in one batch (tests, small tables).
Result<columnar::RecordBatch> scan_all(const Storage& storage, const Snapshot& snapshot,
                                       const ScanOptions& options = {});

}  // namespace sl::delta
