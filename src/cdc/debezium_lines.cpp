// The `sportlake cdc` job: slot (+ initial snapshot) → Debezium JSON lines, durable then acked.
#include "cdc/debezium_lines.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cdc/debezium_json.hpp"
#include "cdc/heartbeat.hpp"
#include "cdc/line_sink.hpp"
#include "cdc/slot.hpp"
#include "cdc/snapshot_reader.hpp"
#include "cdc/transaction_metadata.hpp"
#include "common/clock.hpp"
#include "common/fault_point.hpp"

namespace sl::cdc {

namespace {

Status create_marker(const std::filesystem::path& marker) {
  std::error_code ec;
  std::filesystem::create_directories(marker.parent_path(), ec);
  int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error(Errc::io,
                      "cdc: cannot create '" + marker.string() + "': " + std::strerror(errno));
  ::close(fd);
  return {};
}

// The slot to stream from, created when missing (after the initial snapshot with from_start);
// returns the position to start at (0/0 for an existing slot: its confirmed_flush_lsn).
Result<pg::Lsn> prepare_slot(pg::Connection& sql, const DebeziumLinesOptions& opt, RecordSink& sink,
                             const std::function<Status(const ChangeEvent&)>& emit) {
  const auto marker = opt.marker_dir / (opt.slot + ".snapshot-pending");
  std::error_code ec;
  SL_ASSIGN_OR_RETURN(bool exists, slot_exists(sql, opt.slot));
  if (exists && opt.from_start && std::filesystem::exists(marker, ec)) {
    spdlog::warn(
        "cdc: the initial snapshot of slot {} did not finish: dropping the slot and "
        "taking the snapshot again",
        opt.slot);
    SL_TRY(drop_slot(sql, opt.slot));
  } else if (exists) {
    if (opt.from_start)
      spdlog::warn("cdc: slot {} exists: resuming at its confirmed position without a snapshot",
                   opt.slot);
    return pg::Lsn{};
  }
  if (opt.from_start) SL_TRY(create_marker(marker));
  SL_ASSIGN_OR_RETURN(auto slot, create_slot(opt.conninfo, opt.slot));
  spdlog::info("cdc: created slot {} at {}", opt.slot, slot.info.consistent_point.to_string());
  if (!opt.from_start) return slot.info.consistent_point;
  // The creating connection stays idle while the snapshot is imported and read, so the exported
  // snapshot stays valid. A failed snapshot drops the slot, so the next run takes the snapshot
  // again instead of silently streaming without it.
  size_t rows = 0;
  auto snapshot = [&]() -> Result<SnapshotStats> {
    SL_ASSIGN_OR_RETURN(auto reader, pg::Connection::open(opt.conninfo));
    SL_ASSIGN_OR_RETURN(auto stats, read_snapshot(reader,
                                                  {.publication = opt.publication,
                                                   .snapshot_name = slot.info.snapshot_name,
                                                   .consistent_point = slot.info.consistent_point,
                                                   .now_us = unix_now_us},
                                                  [&](const ChangeEvent& e) -> Status {
                                                    if (++rows == 100)
                                                      fault_point("cdc.snapshot.midway");
                                                    return emit(e);
                                                  }));
    SL_TRY(sink.durable());
    return stats;
  }();
  if (!snapshot) {
    (void)sink.rollback();
    (void)slot.creator.drop_slot(opt.slot);
    return snapshot.error().with_context("cdc: initial snapshot (slot " + opt.slot + " dropped)");
  }
  std::filesystem::remove(marker, ec);  // the snapshot is durable: streaming may follow
  spdlog::info("cdc: snapshot of {} tables, {} rows", snapshot->tables, snapshot->rows);
  return slot.info.consistent_point;
}

}  // namespace

Result<std::string> parse_skipped_operations(std::string_view text) {
  std::string out;
  if (text == "none") return out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view op = text.substr(start, comma - start);
    while (op.starts_with(' ')) op.remove_prefix(1);
    while (op.ends_with(' ')) op.remove_suffix(1);
    if (op.size() != 1 || std::string_view("cudt").find(op[0]) == std::string_view::npos)
      return make_error(Errc::invalid_argument,
                        "skipped.operations: '" + std::string(text) +
                            "' is not 'none' or a comma-separated list of c, u, d, t");
    out += op[0];
    start = comma + 1;
  }
  return out;
}

Result<uint32_t> read_hstore_oid(pg::Connection& sql) {
  // The extension may live in any schema; the type is named hstore there.
  SL_ASSIGN_OR_RETURN(auto rows, sql.exec(
                                     "SELECT t.oid FROM pg_type t JOIN pg_extension e ON "
                                     "e.extnamespace = t.typnamespace WHERE e.extname = 'hstore' "
                                     "AND t.typname = 'hstore'"));
  if (rows.rows() == 0) return uint32_t{0};
  return static_cast<uint32_t>(std::stoul(std::string(rows.value(0, 0))));
}

Result<DebeziumLinesStats> run_debezium_lines(pg::Connection& sql,
                                              const DebeziumLinesOptions& opt) {
  auto stop = [&] { return opt.stop_requested && opt.stop_requested(); };
  std::optional<LineSink> lines;
  if (opt.record_sink == nullptr) {
    SL_ASSIGN_OR_RETURN(auto opened, LineSink::open(opt.sink));
    lines.emplace(std::move(opened));
  }
  RecordSink& sink = opt.record_sink != nullptr ? *opt.record_sink : *lines;
  DebeziumLinesStats stats;
  ValueForms forms = opt.forms;
  SL_ASSIGN_OR_RETURN(forms.hstore_oid, read_hstore_oid(sql));
  DebeziumEncoder encoder({.topic_prefix = opt.topic_prefix, .schemas = opt.schemas, .forms = forms});
  std::optional<TransactionMetadata> transactions;
  if (opt.transaction_metadata) transactions.emplace(opt.topic_prefix, opt.schemas);
  // A streamed transaction's records are written as they are decoded (not at its commit): no
  // heartbeat between them, so a rollback still cuts the whole unfinished transaction.
  bool mid_transaction = false;
  auto emit = [&](const ChangeEvent& e) -> Status {
    // skipped.operations: not written (and no tombstone after a skipped delete), not counted in
    // the transaction's metadata.
    if (opt.skipped_operations.find(static_cast<char>(e.op)) != std::string::npos)
      return Status{};
    mid_transaction = e.source.tx_id != 0;
    std::optional<TransactionBlock> block;
    if (transactions) {
      SL_ASSIGN_OR_RETURN(block, transactions->event(e, sink));
    }
    SL_TRY(encoder.encode(e, unix_now_us(), block ? &*block : nullptr));
    SL_TRY(sink.write(encoder.topic(), encoder.key(), encoder.value()));
    // A tombstone only serves log compaction by key: none for a table without a key.
    if (opt.tombstones && e.op == Op::delete_ && encoder.key())
      SL_TRY(sink.write(encoder.topic(), encoder.key(), std::nullopt));
    ++stats.events;
    return Status{};
  };

  SL_ASSIGN_OR_RETURN(pg::Lsn from, prepare_slot(sql, opt, sink, emit));
  SL_ASSIGN_OR_RETURN(auto source, SlotChangeSource::open(sql,
                                                          {.conninfo = opt.conninfo,
                                                           .slot = opt.slot,
                                                           .publication = opt.publication,
                                                           .stop_requested = stop},
                                                          from));
  Status reset_status;
  // The last transaction end handed to the sink: a heartbeat is a "transaction" of its own that
  // ends there (acknowledging nothing new), so the sink's accounting stays per transaction.
  SourcePosition last_end = source->confirmed();
  // Acknowledge only what the sink holds durably: at once for a file, once every message of the
  // transaction has its delivery report for Kafka.
  auto confirm_durable = [&]() -> Status {
    SL_ASSIGN_OR_RETURN(auto durable, sink.take_durable());
    if (durable) source->confirm(*durable);
    return {};
  };
  ChangeHandler handler{
      .on_event = emit,
      // Transactions without captured rows move the acknowledged position too.
      .on_transaction_end = [&](const SourcePosition& end) -> Status {
        if (transactions) SL_TRY(transactions->end(sink, end.lsn));
        SL_TRY(sink.end_transaction(end));
        last_end = end;
        mid_transaction = false;
        return confirm_durable();
      },
      // The server sends the unfinished transaction again whole: forget its lines.
      .on_reset =
          [&] {
            reset_status = sink.rollback();
            mid_transaction = false;
            if (transactions) transactions->reset();
          },
  };
  // Heartbeats are written between transactions, at most one per interval, whether changes flow
  // or not (one due inside a transaction waits for its end).
  const auto heartbeat_interval = std::chrono::milliseconds(opt.heartbeat_interval_ms);
  auto last_heartbeat = std::chrono::steady_clock::now();
  auto heartbeat = [&]() -> Status {
    if (opt.heartbeat_interval_ms <= 0 || mid_transaction ||
        std::chrono::steady_clock::now() - last_heartbeat < heartbeat_interval)
      return {};
    last_heartbeat = std::chrono::steady_clock::now();
    auto record =
        heartbeat_record(opt.heartbeat_prefix, opt.topic_prefix, opt.schemas, unix_now_us());
    SL_TRY(sink.write(record.topic, record.key, record.value));
    ++stats.heartbeats;
    return sink.end_transaction(last_end);
  };
  auto last_data = std::chrono::steady_clock::now();
  while (!stop() && (opt.max_events < 0 || stats.events < opt.max_events)) {
    // Waits no longer than the next heartbeat is due.
    auto wait = std::chrono::milliseconds(500);
    if (opt.heartbeat_interval_ms > 0) {
      const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
          last_heartbeat + heartbeat_interval - std::chrono::steady_clock::now());
      wait = std::clamp(due, std::chrono::milliseconds(1), wait);
    }
    SL_ASSIGN_OR_RETURN(bool got, source->poll(wait, handler));
    SL_TRY(reset_status);
    SL_TRY(heartbeat());
    SL_TRY(confirm_durable());
    if (got) {
      last_data = std::chrono::steady_clock::now();
    } else if (opt.idle_exit > 0 && std::chrono::steady_clock::now() - last_data >
                                        std::chrono::duration<double>(opt.idle_exit)) {
      break;
    }
  }
  SL_TRY(sink.durable());
  SL_TRY(confirm_durable());
  SL_TRY(source->flush_confirmed());
  stats.acknowledged = source->reported();
  stats.unconverted = encoder.unconverted();
  spdlog::info("cdc: {} events, acknowledged up to {}", stats.events,
               stats.acknowledged.to_string());
  if (stats.unconverted > 0)
    spdlog::warn(
        "cdc: {} values had no Debezium form and were written as null (or their type's "
        "zero in a NOT NULL column)",
        stats.unconverted);
  return stats;
}

}  // namespace sl::cdc
