// `sportlake cdc`: streams the captured tables' changes as Debezium JSON lines (topic, key, value),
// acknowledging each transaction to the slot only after the sink has it durably.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cstring>
#include <filesystem>

#include "cdc/debezium_json.hpp"
#include "cdc/event_builder.hpp"
#include "cdc/snapshot_reader.hpp"
#include "cdc/type_mapping.hpp"
#include "cli/commands.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "common/fault_point.hpp"
#include "pg/database.hpp"
#include "pg/pgoutput_decoder.hpp"
#include "pg/replication_stream.hpp"

namespace sl::cli {

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Where event lines go: stdout or an append-only file. Lines are buffered and written out past
// 1 MiB (a 1M-row transaction does not sit in memory); durable() writes the rest and fsyncs, and
// is the only thing an acknowledgement may follow. rollback() forgets what was written since the
// last durable() (the file is cut back), for a transaction the server will send again.
class LineSink {
 public:
  static Result<LineSink> open(const std::string& spec) {
    if (spec == "stdout") return LineSink(STDOUT_FILENO, false, false);
    if (spec.starts_with("jsonl:")) {
      std::string path = spec.substr(6);
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0)
        return make_error(Errc::io, "cdc: cannot open '" + path + "': " + std::strerror(errno));
      const bool regular = path != "/dev/null";
      LineSink sink(fd, regular, regular);
      if (regular) sink.durable_size_ = ::lseek(fd, 0, SEEK_END);
      return sink;
    }
    return make_error(Errc::invalid_argument,
                      "cdc: sink '" + spec + "' is not stdout or jsonl:FILE");
  }
  std::string& buffer() { return buffer_; }
  // Call after appending a line to buffer().
  Status maybe_write() { return buffer_.size() >= k_write_threshold ? write_out() : Status{}; }
  Status durable() {
    SL_TRY(write_out());
    if (fsync_ && ::fsync(fd_) != 0)
      return make_error(Errc::io, std::string("cdc: fsync failed: ") + std::strerror(errno));
    if (truncatable_) durable_size_ = ::lseek(fd_, 0, SEEK_END);
    return {};
  }
  // Drops the lines of an unfinished transaction. On stdout, lines already written stay (a
  // consumer drops repeats by source.lsn).
  Status rollback() {
    buffer_.clear();
    if (truncatable_ && ::ftruncate(fd_, durable_size_) != 0)
      return make_error(Errc::io, std::string("cdc: truncate failed: ") + std::strerror(errno));
    return {};
  }

 private:
  static constexpr size_t k_write_threshold = 1 << 20;
  LineSink(int fd, bool fsync, bool truncatable)
      : fd_(fd), fsync_(fsync), truncatable_(truncatable) {}
  Status write_out() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        return make_error(Errc::io, std::string("cdc: write failed: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
    return {};
  }
  int fd_;
  bool fsync_;
  bool truncatable_;
  off_t durable_size_ = 0;
  std::string buffer_;
};

// One output line: {"topic":...,"key":...,"value":...}.
void append_line(std::string& out, std::string_view topic, std::optional<std::string_view> key,
                 std::optional<std::string_view> value) {
  out += "{\"topic\":";
  cdc::append_json_string(out, topic);
  out += ",\"key\":";
  out += key ? *key : std::string_view("null");
  out += ",\"value\":";
  out += value ? *value : std::string_view("null");
  out += "}\n";
}

struct CdcOptions {
  std::string slot;
  std::string publication;
  std::string sink = "stdout";
  long max_events = -1;
  double idle_exit = 0;
  bool tombstones = false;
  bool from_start = false;
  bool schemas = false;
};

// Present from before the slot is created until its initial snapshot is durable in the sink:
// a run killed in between leaves it, and the next --from-start takes the snapshot again.
std::filesystem::path snapshot_marker(const Context& ctx, const std::string& slot) {
  return ctx.settings.home / "cdc" / (slot + ".snapshot-pending");
}

// The slot to stream from, created when missing (after the initial snapshot with --from-start);
// returns the position to start at (0/0 for an existing slot: its confirmed_flush_lsn).
Result<pg::Lsn> prepare_slot(const Context& ctx, pg::Connection& sql, const std::string& conninfo,
                             const CdcOptions& opt, LineSink& sink,
                             const cdc::EventBuilder::EventSink& emit) {
  const auto marker = snapshot_marker(ctx, opt.slot);
  std::error_code ec;
  SL_ASSIGN_OR_RETURN(
      auto exists,
      sql.exec_params("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", {opt.slot}));
  if (exists.rows() != 0 && opt.from_start && std::filesystem::exists(marker, ec)) {
    spdlog::warn(
        "cdc: the initial snapshot of slot {} did not finish: dropping the slot and "
        "taking the snapshot again",
        opt.slot);
    SL_TRY(sql.exec_params("SELECT pg_drop_replication_slot($1)", {opt.slot}));
  } else if (exists.rows() != 0) {
    if (opt.from_start)
      spdlog::warn("cdc: slot {} exists: resuming at its confirmed position without a snapshot",
                   opt.slot);
    return pg::Lsn{};
  }
  if (opt.from_start) {
    std::filesystem::create_directories(marker.parent_path(), ec);
    if (int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); fd >= 0) {
      ::close(fd);
    } else {
      return make_error(Errc::io,
                        "cdc: cannot create '" + marker.string() + "': " + std::strerror(errno));
    }
  }
  SL_ASSIGN_OR_RETURN(auto creator, pg::ReplicationStream::connect(conninfo));
  SL_ASSIGN_OR_RETURN(auto slot, creator.create_slot(opt.slot));
  spdlog::info("cdc: created slot {} at {}", opt.slot, slot.consistent_point.to_string());
  if (!opt.from_start) return slot.consistent_point;
  // The creating connection stays idle while the snapshot is imported and read, so the exported
  // snapshot stays valid. A failed snapshot drops the slot, so the next run takes the snapshot
  // again instead of silently streaming without it.
  size_t rows = 0;
  auto snapshot = [&]() -> Result<cdc::SnapshotStats> {
    SL_ASSIGN_OR_RETURN(auto reader, pg::Connection::open(conninfo));
    SL_ASSIGN_OR_RETURN(auto stats, cdc::read_snapshot(reader,
                                                       {.publication = opt.publication,
                                                        .snapshot_name = slot.snapshot_name,
                                                        .consistent_point = slot.consistent_point,
                                                        .now_us = now_us},
                                                       [&](const cdc::ChangeEvent& e) -> Status {
                                                         if (++rows == 100)
                                                           fault_point("cdc.snapshot.midway");
                                                         return emit(e);
                                                       }));
    SL_TRY(sink.durable());
    return stats;
  }();
  if (!snapshot) {
    (void)sink.rollback();
    (void)creator.drop_slot(opt.slot);
    return snapshot.error().with_context("cdc: initial snapshot (slot " + opt.slot + " dropped)");
  }
  std::filesystem::remove(marker, ec);  // the snapshot is durable: streaming may follow
  spdlog::info("cdc: snapshot of {} tables, {} rows", snapshot->tables, snapshot->rows);
  return slot.consistent_point;
}

Status run_cdc(Context& ctx, const CdcOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));  // migrations + publication in place
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  SL_ASSIGN_OR_RETURN(auto keys, cdc::read_primary_keys(sql));
  SL_ASSIGN_OR_RETURN(auto not_null, cdc::read_not_null_columns(sql));
  SL_ASSIGN_OR_RETURN(auto sink, LineSink::open(opt.sink));
  SL_ASSIGN_OR_RETURN(auto database, sql.exec("SELECT current_database()"));
  long emitted = 0;
  cdc::DebeziumEncoder encoder(
      {.topic_prefix = ctx.settings.cdc.topic_prefix, .schemas = opt.schemas});
  auto emit = [&](const cdc::ChangeEvent& e) -> Status {
    SL_TRY(encoder.encode(e, now_us()));
    append_line(sink.buffer(), encoder.topic(), encoder.key(), encoder.value());
    if (opt.tombstones && e.op == cdc::Op::delete_)
      append_line(sink.buffer(), encoder.topic(), encoder.key(), std::nullopt);
    ++emitted;
    return sink.maybe_write();
  };

  SL_ASSIGN_OR_RETURN(pg::Lsn from, prepare_slot(ctx, sql, conninfo, opt, sink, emit));
  SL_ASSIGN_OR_RETURN(auto stream,
                      pg::start_replication(conninfo, opt.slot, from, opt.publication, false));
  cdc::EventBuilder builder{std::string(database.value(0, 0))};
  builder.set_primary_keys(std::move(keys));
  builder.set_not_null_columns(std::move(not_null));
  auto last_data = std::chrono::steady_clock::now();
  stop_on_signals();
  while (!stop_requested() && (opt.max_events < 0 || emitted < opt.max_events)) {
    auto data = stream.next(std::chrono::milliseconds(500));
    if (!data && data.error().code == Errc::unavailable) {
      // Connection lost (server restart, walsender terminated): forget the unfinished
      // transaction, which the server sends again whole, and resume after the last durable one.
      spdlog::warn("cdc: {}; reconnecting", data.error().to_string());
      SL_TRY(sink.rollback());
      const pg::Lsn resume = stream.confirmed();
      SL_ASSIGN_OR_RETURN(stream, pg::start_replication(conninfo, opt.slot, resume, opt.publication,
                                                        true, stop_requested));
      spdlog::warn("cdc: reconnected at {}", resume.to_string());
      continue;
    }
    if (!data) return data.error();
    if (!*data) {
      if (opt.idle_exit > 0 && std::chrono::steady_clock::now() - last_data >
                                   std::chrono::duration<double>(opt.idle_exit))
        break;
      continue;
    }
    last_data = std::chrono::steady_clock::now();
    auto message = pg::decode_pgoutput((*data)->payload);
    if (!message) return message.error().with_context("cdc at " + (*data)->wal_start.to_string());
    SL_TRY(builder.feed(**data, std::move(*message), emit, [&](const pg::Commit& commit) -> Status {
      // write → flush/fsync → only then acknowledge the transaction's end LSN. Transactions
      // without captured rows move the acknowledged position too.
      SL_TRY(sink.durable());
      stream.confirm(commit.end_lsn);
      return {};
    }));
  }
  SL_TRY(sink.durable());
  SL_TRY(stream.send_status());
  spdlog::info("cdc: {} events, acknowledged up to {}", emitted, stream.reported().to_string());
  return {};
}

}  // namespace

void add_cdc_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "cdc", "stream the captured tables' changes as Debezium JSON lines (topic, key, value)");
  static CdcOptions opt;
  cmd->add_option("--slot", opt.slot,
                  "replication slot (created when missing; default: cdc.slot + \"_inspect\")");
  cmd->add_option("--publication", opt.publication, "publication (default: cdc.publication)");
  cmd->add_option("--sink", opt.sink,
                  "stdout or jsonl:FILE (appended, fsynced before each acknowledgement)");
  cmd->add_option("--max-events", opt.max_events, "stop after N events");
  cmd->add_option("--idle-exit", opt.idle_exit, "stop after SECONDS without any change");
  cmd->add_flag("--tombstones", opt.tombstones, "write a tombstone (null value) after each delete");
  cmd->add_flag(
      "--schemas", opt.schemas,
      "key and value as {\"schema\",\"payload\"} (Kafka JsonConverter schemas.enable=true)");
  cmd->add_flag("--from-start", opt.from_start,
                "when the slot is created, first emit every row of the captured tables (op r, "
                "read under the slot's exported snapshot), then stream from the slot");
  cmd->callback([&ctx, cmd] {
    if (cmd->got_subcommand("slots")) return;  // CLI11 runs the parent's callback too
    CdcOptions o = opt;
    if (o.slot.empty()) o.slot = ctx.settings.slot("inspect");
    if (o.publication.empty()) o.publication = ctx.settings.cdc.publication;
    if (auto st = run_cdc(ctx, o); !st) {
      fmt::print(stderr, "sportlake cdc: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });

  auto* slots =
      cmd->add_subcommand("slots", "list replication slots (and drop one with --drop NAME)");
  static std::string drop;
  slots->add_option("--drop", drop, "slot to drop");
  slots->callback([&ctx] {
    auto conn = open_source_database(ctx);
    if (!conn)
      return void(
          ctx.exit_code =
              (fmt::print(stderr, "sportlake cdc slots: {}\n", conn.error().to_string()), 1));
    if (!drop.empty()) {
      auto dropped = conn->exec_params("SELECT pg_drop_replication_slot($1)", {drop});
      if (!dropped)
        return void(
            ctx.exit_code =
                (fmt::print(stderr, "sportlake cdc slots: {}\n", dropped.error().to_string()), 1));
      fmt::print("dropped {}\n", drop);
      return;
    }
    auto rows = conn->exec(
        "SELECT slot_name, plugin, active, confirmed_flush_lsn, "
        "pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) FROM "
        "pg_replication_slots "
        "WHERE slot_type = 'logical' ORDER BY 1");
    if (!rows)
      return void(
          ctx.exit_code =
              (fmt::print(stderr, "sportlake cdc slots: {}\n", rows.error().to_string()), 1));
    fmt::print("{:<28} {:<10} {:<7} {:<16} {}\n", "slot", "plugin", "active", "confirmed",
               "WAL held");
    for (int r = 0; r < rows->rows(); ++r) {
      fmt::print("{:<28} {:<10} {:<7} {:<16} {}\n", rows->value(r, 0), rows->value(r, 1),
                 rows->value(r, 2), rows->value(r, 3), rows->value(r, 4));
    }
  });
}

}  // namespace sl::cli
