// Writing data to a Delta table: create it if needed, split a batch into Parquet data files (per
// partition, at most `max_rows_per_file` rows each), collect their stats, commit them.
//
// Order of work (write_table):
// 1. load the latest snapshot (none: the table is created with the batch's schema, the partition
//    columns and properties of the options, protocol (1,2));
// 2. idempotence: if an app transaction is given and the table already holds a txn for that app
//    at a version ≥ the given one, nothing is written (`skipped`); a conditional one of
//    `app_transactions` whose application is not at its expected version is a conflict;
// 3. check the batch against the table schema (same types; new nullable columns only with
//    merge_schema, which commits a new metaData; missing nullable columns are written as absent);
// 4. write the data files (new unique names: nothing is ever overwritten);
// 5. commit adds (+ removes of every live file for overwrite, or of the partitions present in the
//    batch for a partition overwrite) and the txn, with retries (Transaction);
// 6. every `delta.checkpointInterval` versions, write a checkpoint and clean up expired log files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/stats.hpp"
#include "delta/storage.hpp"
#include "delta/transaction.hpp"
#include "parquet/writer_options.hpp"

namespace sl::delta {

enum class WriteMode { append, overwrite, overwrite_partitions };

struct WriteOptions {
  WriteMode mode = WriteMode::append;
  // Only when the table is created:
  std::vector<std::string> partition_columns;
  StringMap table_properties;
  std::optional<std::string> table_name;
  // Add the batch's new nullable columns to the table schema.
  bool merge_schema = false;
  // Idempotent write: (application id, its monotonically increasing batch version).
  std::optional<std::pair<std::string, int64_t>> app_transaction;
  // More txn actions in the same commit, each optionally conditional: with `check`, the table's
  // current version of that application must be `expected` (nullopt: none yet), else the write
  // fails with Errc::conflict and nothing is written (a writer that lost a source partition to
  // another one must not commit what it read from it).
  struct AppTransaction {
    std::string app_id;
    int64_t version = 0;
    bool check = false;
    std::optional<int64_t> expected;
  };
  std::vector<AppTransaction> app_transactions;
  // Data files already written for this batch by write_data_files (same columns or fewer),
  // committed together with it: a writer whose batch outgrows memory spills rows to files as it
  // goes and still commits everything in one version. `staged_rows` counts their rows.
  std::vector<Add> staged_files;
  size_t staged_rows = 0;
  std::string operation = "WRITE";
  StringMap extra_operation_parameters;
  parquet::WriterOptions parquet;
  size_t max_rows_per_file = 1'000'000;
  StatsOptions stats;
  TransactionOptions transaction;
  bool write_checkpoints = true;
};

struct WriteResult {
  int64_t version = -1;  // the committed version; the current one when skipped
  int attempts = 0;
  bool skipped = false;  // the app transaction had already been committed
  size_t files_added = 0;
  size_t files_removed = 0;
  size_t rows = 0;
  uint64_t bytes = 0;
};

Result<WriteResult> write_table(Storage& storage, const columnar::RecordBatch& batch,
                                const WriteOptions& options = {});

// Writes the rows of `batch` as data files (partition columns left out of the files) and returns
// their add actions; nothing is committed. Used by write_table and optimize. The second form
// takes the batch's columns over (no copy of a partitioned batch's data columns; `batch` is left
// empty) and writes a batch of one partition without copying its rows.
Result<std::vector<Add>> write_data_files(Storage& storage, const columnar::RecordBatch& batch,
                                          const std::vector<std::string>& partition_columns,
                                          const WriteOptions& options, bool data_change);
Result<std::vector<Add>> write_data_files(Storage& storage, columnar::RecordBatch&& batch,
                                          const std::vector<std::string>& partition_columns,
                                          const WriteOptions& options, bool data_change);

// A new data file's path: `directory` (a partition's "col=value/" folders, or empty), then
// "part-<number, 5 digits>-<uuid>-c000<codec>.parquet", as Spark names them.
std::string new_data_file_path(std::string_view directory, int number, parquet::Codec codec);

// Creates an empty table (version 0: protocol, metaData, commitInfo "CREATE TABLE").
Result<CommitResult> create_table(Storage& storage, const std::vector<StructField>& schema,
                                  const WriteOptions& options);

// The post-commit hook: when `version` is a multiple of the table's `delta.checkpointInterval`,
// a checkpoint, then log cleanup. A failure here does not undo the commit, which has landed.
Status after_commit(Storage& storage, int64_t version, int64_t interval,
                    const TransactionOptions& options);

}  // namespace sl::delta
