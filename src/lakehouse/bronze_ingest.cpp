// The Bronze ingest loop: snapshot, stream, commit, acknowledge.
#include "lakehouse/bronze_ingest.hpp"

#include <unistd.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "cdc/slot.hpp"
#include "cdc/snapshot_reader.hpp"
#include "common/clock.hpp"
#include "common/fault_point.hpp"
#include "lakehouse/bronze_writer.hpp"
#include "lakehouse/commit_policy.hpp"

namespace sl::lakehouse {

namespace {

using Clock = std::chrono::steady_clock;

// Reads `tables` under the snapshot `slot` exported and commits them at its consistent point.
// The replication connection that created the slot must stay idle meanwhile.
Result<size_t> snapshot_tables(BronzeWriter& writer, const BronzeIngestOptions& options,
                               const std::vector<pg::Relation>& tables, const pg::SlotInfo& slot,
                               const std::function<int64_t()>& now_us) {
  SL_ASSIGN_OR_RETURN(auto reader, pg::Connection::open(options.conninfo));
  cdc::SnapshotOptions snapshot;
  snapshot.publication = options.publication;
  snapshot.snapshot_name = slot.snapshot_name;
  snapshot.consistent_point = slot.consistent_point;
  snapshot.now_us = now_us;
  for (const auto& t : tables) snapshot.tables.push_back(t.schema + "." + t.name);
  size_t rows = 0;
  SL_ASSIGN_OR_RETURN(auto stats,
                      cdc::read_snapshot(reader, snapshot, [&](const cdc::ChangeEvent& e) {
                        if (++rows == 100) fault_point("bronze.snapshot.midway");
                        return writer.add_snapshot_row(e, now_us());
                      }));
  SL_ASSIGN_OR_RETURN(auto committed, writer.commit_snapshot(tables, slot.consistent_point));
  spdlog::info("bronze: snapshot of {} tables at {}: {} rows, {} files", committed.tables,
               slot.consistent_point.to_string(), stats.rows, committed.files);
  return stats.rows;
}

}  // namespace

BronzeWriter bronze_writer(const BronzeIngestOptions& options) {
  const bool log = !options.log_group.empty();
  return BronzeWriter(
      {.lake = options.lake,
       .app_id = "sportlake-bronze:" + (log ? options.log_group : options.slot),
       .log_app_prefix = log ? "sportlake-bronze:" + options.log_group : std::string(),
       .spill_rows = options.spill_rows,
       .spill_bytes = options.spill_bytes,
       .parquet = {}});
}

Result<BronzePreparation> prepare_bronze_from_slot(pg::Connection& sql, BronzeWriter& writer,
                                                   const BronzeIngestOptions& options) {
  BronzePreparation prepared;
  const std::function<int64_t()> now_us = options.now_us ? options.now_us : unix_now_us;
  SL_ASSIGN_OR_RETURN(auto tables, cdc::published_tables(sql, options.publication));
  SL_ASSIGN_OR_RETURN(auto start, cdc::open_or_create_slot(sql, options.conninfo, options.slot));
  if (start.created) {
    spdlog::info("bronze: created slot {} at {}", options.slot, start.from.to_string());
    SL_ASSIGN_OR_RETURN(prepared.snapshot_rows,
                        snapshot_tables(writer, options, tables, start.created->info, now_us));
    start.created.reset();  // the snapshot is committed: the creating connection may go
  }
  prepared.from = start.from;
  std::vector<pg::Relation> missing;
  for (const auto& t : tables) {
    SL_ASSIGN_OR_RETURN(auto watermark, writer.watermark(t.schema, t.name));
    if (!watermark) missing.push_back(t);
  }
  if (!missing.empty()) {
    SL_ASSIGN_OR_RETURN(
        auto slot,
        cdc::create_slot(options.conninfo, options.slot + "_snapshot_" + std::to_string(::getpid()),
                         /*temporary=*/true));
    spdlog::info("bronze: {} table(s) missing from Bronze: snapshot at {}", missing.size(),
                 slot.info.consistent_point.to_string());
    SL_ASSIGN_OR_RETURN(auto rows, snapshot_tables(writer, options, missing, slot.info, now_us));
    prepared.snapshot_rows += rows;
  }
  return prepared;
}

Result<BronzeIngestStats> run_bronze_ingest(cdc::ChangeSource& stream, BronzeWriter& writer,
                                            const BronzeIngestOptions& options) {
  BronzeIngestStats stats;
  const std::function<int64_t()> now_us = options.now_us ? options.now_us : unix_now_us;
  auto stop = [&] { return options.stop_requested && options.stop_requested(); };

  std::optional<Clock::time_point> oldest_pending;
  auto last_commit = Clock::now();
  const CommitPolicy policy{.commit_rows = options.commit_rows,
                            .commit_interval = options.commit_interval,
                            .commit_min_interval = options.commit_min_interval};
  auto commit_due = [&](bool idle) {
    const auto now = Clock::now();
    auto ms = [](Clock::duration d) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(d);
    };
    return should_commit(
        policy, {.at_boundary = !writer.in_transaction(),
                 // positions alone (skipped records) count as one row: they are committed too
                 .pending_rows = std::max<size_t>(writer.pending_rows(), writer.has_pending()),
                 .oldest_pending_age = oldest_pending ? ms(now - *oldest_pending) : ms({}),
                 .since_last_commit = ms(now - last_commit),
                 .idle = idle,
                 .behind = !idle && stream.behind()});
  };
  cdc::SourcePosition last_end;  // of the last transaction (what a commit makes durable)
  // Commits what is pending, then (only then) acknowledges it.
  auto commit = [&]() -> Status {
    fault_point("bronze.commit.before");
    auto committed = writer.commit();
    if (!committed && committed.error().code == Errc::conflict && !options.log_group.empty()) {
      // Another consumer took a partition over and committed it (its txn moved): what this one
      // holds may be that one's now. Drop it all and read again from the stored positions (the
      // tables committed before the conflict keep theirs; a lost partition leaves at the next
      // rebalance).
      spdlog::warn("bronze: {}: pending rows dropped, resuming from Bronze's positions",
                   committed.error().message);
      writer.discard_pending();
      oldest_pending.reset();
      ++stats.conflicts;
      return stream.restart_from_sink();
    }
    if (!committed) return committed.error();
    fault_point("bronze.commit.before_ack");
    stream.confirm(last_end);
    ++stats.commits;
    oldest_pending.reset();
    last_commit = Clock::now();
    spdlog::debug("bronze: committed {} rows to {} tables up to {}", committed->rows,
                  committed->tables, writer.last_end_lsn().to_string());
    return stream.flush_confirmed();
  };
  auto on_event = [&](const cdc::ChangeEvent& e) -> Status {
    SL_ASSIGN_OR_RETURN(bool added, writer.add_change(e, now_us()));
    ++(added ? stats.changes : stats.skipped);
    if (added && !oldest_pending) oldest_pending = Clock::now();
    return {};
  };
  auto on_commit = [&](const cdc::SourcePosition& end) -> Status {
    last_end = end;
    writer.end_transaction(end);
    if (!writer.has_pending()) {
      stream.confirm(end);  // nothing of it to write: durable as it is
      return {};
    }
    return commit_due(/*idle=*/false) ? commit() : Status{};
  };

  // A record the source could not read: reported, then its position is committed with the next
  // commit (a restart starts after it and does not report it again).
  auto on_rejected = [&](const cdc::RejectedRecord& record) -> Status {
    ++stats.rejected;
    if (options.report_rejected) SL_TRY(options.report_rejected(record));
    if (writer.skip_log_record(record.at.topic)) {
      if (!oldest_pending) oldest_pending = Clock::now();
    } else {
      spdlog::warn("bronze: {} skipped on a topic this consumer was not assigned: a restart reads it again",
                   record.item());
    }
    return {};
  };
  auto last_data = Clock::now();
  auto enough = [&] {
    return options.max_changes > 0 && stats.changes >= options.max_changes &&
           !writer.has_pending();
  };
  // The server sends the unacknowledged transactions again: forget their pending rows.
  auto on_reset = [&] {
    writer.discard_pending();
    oldest_pending.reset();
  };
  const cdc::ChangeHandler handler{.on_event = on_event,
                                   .on_rejected = on_rejected,
                                   .on_transaction_end = on_commit,
                                   .on_reset = on_reset};
  // Idleness: after a transaction end with rows pending, a short poll (the idle window) that
  // brings nothing means the source has nothing more for now; the loop then sleeps in poll until
  // the floor or the ceiling is due, never spinning.
  bool idle = false;
  auto poll_timeout = [&]() -> std::chrono::milliseconds {
    const std::chrono::milliseconds longest(100);
    if (writer.in_transaction() || !writer.has_pending()) return longest;
    if (!idle) return std::max(options.commit_idle_window, std::chrono::milliseconds(1));
    const auto now = Clock::now();
    auto wait = last_commit + options.commit_min_interval - now;
    if (oldest_pending) wait = std::min(wait, *oldest_pending + options.commit_interval - now);
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait);
    return std::clamp(ms, std::chrono::milliseconds(1), longest);
  };
  while (!stop() && !enough()) {
    SL_ASSIGN_OR_RETURN(bool got, stream.poll(poll_timeout(), handler));
    if (got) {
      last_data = Clock::now();
      idle = false;
      continue;
    }
    idle = true;
    if (commit_due(idle)) SL_TRY(commit());
    if (options.idle_exit.count() > 0 && Clock::now() - last_data >= options.idle_exit) break;
  }
  if (!writer.in_transaction() && writer.has_pending()) SL_TRY(commit());
  SL_TRY(stream.flush_confirmed());
  stats.unconverted = writer.unconverted();
  stats.acknowledged = stream.confirmed().lsn;
  return stats;
}

}  // namespace sl::lakehouse
