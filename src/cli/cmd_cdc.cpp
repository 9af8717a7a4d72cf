// `sportlake cdc`: streams the captured tables' changes as Debezium JSON lines (topic, key, value),
// acknowledging each transaction to the slot only after the sink has it durably.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <csignal>
#include <cstring>

#include "cdc/debezium_json.hpp"
#include "cdc/event_builder.hpp"
#include "cdc/type_mapping.hpp"
#include "cli/commands.hpp"
#include "cli/source_database.hpp"
#include "pg/database.hpp"
#include "pg/pgoutput_decoder.hpp"
#include "pg/replication_stream.hpp"

namespace sl::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) {
  g_stop = 1;
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Where event lines go: stdout or an append-only file; durable() = flushed (and fsynced).
class LineSink {
 public:
  static Result<LineSink> open(const std::string& spec) {
    if (spec == "stdout") return LineSink(STDOUT_FILENO, false);
    if (spec.starts_with("jsonl:")) {
      std::string path = spec.substr(6);
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0)
        return make_error(Errc::io, "cdc: cannot open '" + path + "': " + std::strerror(errno));
      return LineSink(fd, path != "/dev/null");
    }
    return make_error(Errc::invalid_argument,
                      "cdc: sink '" + spec + "' is not stdout or jsonl:FILE");
  }
  void write(const std::string& line) {
    buffer_ += line;
    buffer_ += '\n';
  }
  Status durable() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        return make_error(Errc::io, std::string("cdc: write failed: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
    if (fsync_ && ::fsync(fd_) != 0)
      return make_error(Errc::io, std::string("cdc: fsync failed: ") + std::strerror(errno));
    return {};
  }

 private:
  LineSink(int fd, bool fsync) : fd_(fd), fsync_(fsync) {}
  int fd_;
  bool fsync_;
  std::string buffer_;
};

Status run_cdc(Context& ctx, const std::string& slot_name, const std::string& publication,
               const std::string& sink_spec, long max_events, double idle_exit, bool tombstones) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));  // migrations + publication in place
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  SL_ASSIGN_OR_RETURN(auto keys, cdc::read_primary_keys(sql));
  SL_ASSIGN_OR_RETURN(auto sink, LineSink::open(sink_spec));
  SL_ASSIGN_OR_RETURN(auto stream, pg::ReplicationStream::connect(conninfo));
  SL_ASSIGN_OR_RETURN(
      auto exists,
      sql.exec_params("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", {slot_name}));
  pg::Lsn from;  // 0/0 on an existing slot: the server resumes at its confirmed_flush_lsn
  if (exists.rows() == 0) {
    SL_ASSIGN_OR_RETURN(auto slot, stream.create_slot(slot_name));
    from = slot.consistent_point;
    spdlog::info("cdc: created slot {} at {}", slot_name, from.to_string());
  }
  SL_ASSIGN_OR_RETURN(auto database, sql.exec("SELECT current_database()"));
  SL_TRY(stream.start(slot_name, from, publication));
  cdc::EventBuilder builder{std::string(database.value(0, 0))};
  builder.set_primary_keys(std::move(keys));
  const std::string prefix = ctx.config.get_string("kafka.topic_prefix", "rh_sport");
  long emitted = 0;
  auto last_data = std::chrono::steady_clock::now();
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  while (!g_stop && (max_events < 0 || emitted < max_events)) {
    SL_ASSIGN_OR_RETURN(auto data, stream.next(std::chrono::milliseconds(500)));
    if (!data) {
      if (idle_exit > 0 &&
          std::chrono::steady_clock::now() - last_data > std::chrono::duration<double>(idle_exit))
        break;
      continue;
    }
    last_data = std::chrono::steady_clock::now();
    auto message = pg::decode_pgoutput(data->payload);
    if (!message) return message.error().with_context("cdc at " + data->wal_start.to_string());
    auto line = [](const cdc::EncodedEvent& ev) {
      std::string out = "{\"topic\":";
      cdc::append_json_string(out, ev.topic);
      out +=
          ",\"key\":" + ev.key.value_or("null") + ",\"value\":" + ev.value.value_or("null") + "}";
      return out;
    };
    SL_TRY(builder.feed(
        *data, std::move(*message),
        [&](const cdc::ChangeEvent& e) -> Status {
          SL_ASSIGN_OR_RETURN(
              auto encoded, cdc::encode_debezium(e, {.topic_prefix = prefix, .now_us = now_us()}));
          sink.write(line(encoded));
          if (tombstones && e.op == cdc::Op::delete_) sink.write(line(cdc::tombstone_for(encoded)));
          ++emitted;
          return {};
        },
        [&](const pg::Commit& commit) -> Status {
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
  static std::string slot, publication, sink = "stdout";
  static long max_events = -1;
  static double idle_exit = 0;
  static bool tombstones = false;
  cmd->add_option("--slot", slot,
                  "replication slot (created when missing; default: cdc.slot + \"_inspect\")");
  cmd->add_option("--publication", publication, "publication (default: cdc.publication)");
  cmd->add_option("--sink", sink,
                  "stdout or jsonl:FILE (appended, fsynced before each acknowledgement)");
  cmd->add_option("--max-events", max_events, "stop after N events");
  cmd->add_option("--idle-exit", idle_exit, "stop after SECONDS without any change");
  cmd->add_flag("--tombstones", tombstones, "write a tombstone (null value) after each delete");
  cmd->callback([&ctx, cmd] {
    if (cmd->got_subcommand("slots")) return;  // CLI11 runs the parent's callback too
    std::string s =
        slot.empty() ? ctx.config.get_string("cdc.slot", "sportlake") + "_inspect" : slot;
    std::string p = publication.empty() ? ctx.config.get_string("cdc.publication", "sportlake_pub")
                                        : publication;
    if (auto st = run_cdc(ctx, s, p, sink, max_events, idle_exit, tombstones); !st) {
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
