// The Bronze ingest job: a change source → BronzeWriter, exactly once.
//
// Order of work:
// 1. prepare_bronze_from_slot (a replication slot as the source): the publication's tables; the
//    slot, created when missing with an exported snapshot whose rows are committed to every
//    Bronze table at the slot's consistent point;
// 2. in the same call, a table the slot exists for but Bronze lacks (an interrupted first
//    snapshot, a table added to the publication, a Bronze table deleted) is read under a
//    temporary slot's exported snapshot and committed at that slot's consistent point: its
//    watermark keeps the stream's older transactions of that table out;
// 3. run_bronze_ingest: the caller's ChangeSource (the slot from the position step 1 returned);
//    at a transaction boundary, when lakehouse/commit_policy.hpp says so (a full batch of
//    `commit_rows`, the oldest row waited `commit_interval`, or `commit_min_interval` passed since
//    the last commit and the stream is idle or the rows waited that long), commit
//    (BronzeWriter), then acknowledge the slot up to the last committed transaction. With nothing pending, every
//    transaction is acknowledged at once (idle tables do not hold WAL back).
// A lost connection resumes from the last acknowledged position (pending rows are dropped: the
// server sends them again). A commit refused as a conflict (a log partition another consumer took
// over and committed) drops the pending rows and restarts the source from Bronze's positions
// (ChangeSource::restart_from_sink). Any other failed commit stops the job without acknowledging
// anything.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "cdc/change_source.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "lakehouse/bronze_writer.hpp"
#include "pg/connection.hpp"
#include "pg/lsn.hpp"

namespace sl::lakehouse {

struct BronzeIngestOptions {
  std::string conninfo;
  std::string slot;                   // the replication slot (also names the Delta txn application)
  std::string publication;            // its publication
  // A partitioned log (Kafka consumer group) as the source instead of the slot: each table
  // stores per partition the next offset as the Delta txn `sportlake-bronze:<group>:<topic>:
  // <partition>` (BronzeOptions::log_app_prefix). Empty: the slot.
  std::string log_group;
  const delta::Lake* lake = nullptr;  // required: Bronze is its bronze layer
  size_t commit_rows = 100'000;
  std::chrono::milliseconds commit_interval{1000};     // ceiling: the longest a row waits
  std::chrono::milliseconds commit_min_interval{100};  // floor: shortest time between commits
  // After a transaction end, this long without more from the source means the stream is idle.
  std::chrono::milliseconds commit_idle_window{5};
  size_t spill_rows = 250'000;
  size_t spill_bytes = BronzeOptions{}.spill_bytes;  // memory budget of a table's pending rows
  // Stop after this long without any change (0: run until stop_requested).
  std::chrono::milliseconds idle_exit{0};
  // Stop once this many streamed changes are committed (0: no limit; benchmarks, tests).
  size_t max_changes = 0;
  std::function<bool()> stop_requested;
  // Reports a record the source could not read (job_failures); the job skips it either way. An
  // error stops the job. Empty: only logged and counted.
  std::function<Status(const cdc::RejectedRecord&)> report_rejected;
  std::function<int64_t()> now_us;  // the clock for _ingest_ts (tests make it deterministic)
};

struct BronzeIngestStats {
  size_t snapshot_rows = 0;
  size_t changes = 0;  // streamed changes written
  size_t skipped = 0;  // streamed changes already in Bronze (replayed after a restart)
  size_t commits = 0;  // Bronze flushes (each one Delta version per table with rows)
  size_t unconverted = 0;
  size_t rejected = 0;  // records the source could not read: reported and skipped
  size_t conflicts = 0;  // commits refused (a partition taken over): resumed from Bronze
  pg::Lsn acknowledged;
};

struct BronzePreparation {
  pg::Lsn from;  // where to stream the slot from (0/0: its confirmed position)
  size_t snapshot_rows = 0;
};

// The job's BronzeWriter (its Delta txn application is named after the slot). One writer serves
// both steps, so each table's watermark is read from the lake once.
BronzeWriter bronze_writer(const BronzeIngestOptions& options);

// Steps 1-2. `sql` is a normal connection to the source database (migrations applied,
// publication present).
Result<BronzePreparation> prepare_bronze_from_slot(pg::Connection& sql, BronzeWriter& writer,
                                                   const BronzeIngestOptions& options);

// Step 3, until stop_requested, idle_exit or max_changes.
Result<BronzeIngestStats> run_bronze_ingest(cdc::ChangeSource& source, BronzeWriter& writer,
                                            const BronzeIngestOptions& options);

}  // namespace sl::lakehouse
