// BronzeWriter: change events → the Bronze Delta tables, exactly once.
//
// Exactly-once rests on one number per table, its watermark: the Delta `txn` version of the
// application `app_id`, committed atomically with the rows. It is a source position (an LSN):
// the table holds every change whose transaction committed before it, and none after. So
// - a change whose transaction's commit LSN is below the table's watermark is already there and
//   is skipped (after a crash the slot replays from its last acknowledged position, which may be
//   older than some tables' watermarks: one flush commits table after table);
// - a streamed flush commits each table with pending rows at the end LSN of the last transaction
//   it holds; only then may the slot be acknowledged up to that LSN;
// - a snapshot of tables read at a slot's consistent point commits them (empty ones too) with
//   that point: transactions committed before it are in the snapshot, later ones are streamed.
//
// Order of use: add_change() for each change of a transaction, end_transaction(end LSN), and
// commit() at a transaction boundary when enough is pending. Snapshots: add_snapshot_row()
// for each row, then commit_snapshot(). A table's pending rows are written to a data file as soon
// as they hold `spill_bytes` of memory (or `spill_rows` rows), and committed later with the rest:
// a 1M-row transaction does not sit in memory, and the job's memory stays within a budget
// whatever the row width (what its test checks: tests/lakehouse/test_ingest_memory.py).
// A relation change (columns added or dropped) spills the rows of the old shape; the commit
// merges the schemas (new columns are nullable, dropped ones stay, null from then on).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cdc/change_event.hpp"
#include "cdc/change_source.hpp"
#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/lake.hpp"
#include "lakehouse/bronze_rows.hpp"
#include "parquet/writer_options.hpp"

namespace sl::lakehouse {

struct BronzeOptions {
  const delta::Lake* lake = nullptr;  // required: its bronze layer has one table per source table
  std::string app_id;                 // the Delta txn application id (one per replication slot)
  // A partitioned log as the source (Kafka): each table stores, instead of the slot's watermark,
  // per source partition its next offset as the txn of application
  // `<log_app_prefix>:<topic>:<partition>` and the order of its last change as
  // `…:<partition>:commit` and `…:<partition>:change` (cdc::LogPosition), in the commit of the
  // rows. Empty: a replication slot.
  std::string log_app_prefix;
  size_t spill_rows = 250'000;      // rows per data file at most
  size_t spill_bytes = 32u << 20;   // memory budget of one table's pending rows
  parquet::WriterOptions parquet;  // defaults: SNAPPY, dictionary
};

struct BronzeCommit {
  size_t tables = 0;  // tables committed
  size_t rows = 0;
  size_t files = 0;
};

class BronzeWriter {
 public:
  explicit BronzeWriter(BronzeOptions options);

  // The Bronze table of a source table: <table> for the `public` schema, <schema>.<table>
  // otherwise.
  static std::string table_name(const std::string& schema, const std::string& table);
  // The table's watermark (its txn version for app_id); nullopt when the table does not exist or
  // has no txn of this application. Read from the table the first time it is asked for.
  Result<std::optional<int64_t>> watermark(const std::string& schema, const std::string& table);

  // Adds one change of the current transaction, unless its table already holds that
  // transaction. Returns whether it was added.
  Result<bool> add_change(const cdc::ChangeEvent& event, int64_t ingest_ts_us);
  // The current transaction ended at `end_lsn` (its Commit's end LSN).
  void end_transaction(pg::Lsn end_lsn);
  // The same for any source: with a log position, the tables the transaction touched record it
  // (committed as their txns).
  void end_transaction(const cdc::SourcePosition& end);

  // Where a log partition starts again (read from the table's latest version, not the cache,
  // so a partition taken over from another process starts where that one committed); nullopt
  // when the table has no txn for it. Also what the next commit expects the table to still
  // hold for that partition (else Errc::conflict: another process took the partition over).
  Result<std::optional<cdc::LogPosition>> log_start(const std::string& schema, const std::string& table,
                                            const std::string& topic, int32_t partition);
  std::string log_app_id(const std::string& topic, int32_t partition) const;
  // A record of `topic` was not read (a poison record, reported by the job): the current
  // transaction touches the topic's table all the same, so its end's log position is committed
  // with the next commit (a commit of txns alone if no row is pending) and a restart resumes after
  // the record. A table that does not exist yet takes the position with the commit that creates
  // it (rows of other records, other partitions); until then a position alone is kept, not
  // committed (there is no table to commit it to: a restart would read the record again). False
  // when the topic was never assigned (log_start).
  bool skip_log_record(const std::string& topic);
  // Commits every table with pending rows at the last ended transaction. Refused inside a
  // transaction (its rows would land without the rest of it).
  Result<BronzeCommit> commit();

  Status add_snapshot_row(const cdc::ChangeEvent& event, int64_t ingest_ts_us);
  // Commits the snapshot rows of `tables` (every one, even without rows) at `point`.
  Result<BronzeCommit> commit_snapshot(const std::vector<pg::Relation>& tables, pg::Lsn point);

  // Forgets every uncommitted row (and the current transaction): after a lost connection the
  // server sends them again. Spilled files stay as orphans for vacuum.
  void discard_pending();

  size_t pending_rows() const { return pending_rows_; }
  // Rows, or positions (of skipped records) of existing tables, waiting for a commit.
  bool has_pending() const;
  bool in_transaction() const { return in_transaction_; }
  // Position of the last ended transaction (what a successful commit() makes durable).
  pg::Lsn last_end_lsn() const { return last_end_lsn_; }
  // Values kept as text in _unconverted since the start (all tables).
  size_t unconverted() const;

 private:
  struct Table {
    std::string name;  // schema.table, for messages
    std::unique_ptr<delta::Storage> storage;
    std::optional<int64_t> watermark;
    std::optional<BronzeRows> rows;  // pending rows of the current relation shape
    std::vector<delta::Add> staged;  // pending rows already in data files
    size_t staged_rows = 0;
    std::vector<columnar::Field> union_fields;  // every shape pending since the last commit
    size_t unconverted_before = 0;              // of builders replaced since the start
    std::map<std::string, cdc::LogPosition> log_pending;  // by application id
    std::map<std::string, std::optional<int64_t>> log_known;  // offsets as last read/written
    bool exists = false;  // seen in the lake (log_start) or committed by this writer
  };

  Result<Table*> table(const std::string& schema, const std::string& name);
  Status add_row(Table& t, const cdc::ChangeEvent& event, int64_t ingest_ts_us);
  Status spill(Table& t);
  Result<size_t> commit_table(Table& t, int64_t version, BronzeCommit& stats);

  BronzeOptions options_;
  std::map<std::string, Table> tables_;
  size_t pending_rows_ = 0;
  bool in_transaction_ = false;
  pg::Lsn last_end_lsn_;
  std::vector<Table*> touched_;  // by the current transaction (log sources)
  std::map<std::string, Table*> log_tables_;  // topic → its table (log sources, from log_start)
};

}  // namespace sl::lakehouse
