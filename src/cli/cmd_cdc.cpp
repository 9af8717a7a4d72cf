// `sportlake cdc`: streams the captured tables' changes as Debezium JSON records (topic, key,
// value) through cdc::run_debezium_lines, to stdout, a JSON-lines file or Kafka (bus::KafkaSink); `cdc slots` lists and drops replication slots.
#include <fmt/core.h>

#include "bus/kafka_sink.hpp"
#include "cdc/debezium_lines.hpp"
#include "cdc/slot.hpp"
#include "cli/commands.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

struct CdcOptions {
  std::string slot;
  std::string publication;
  std::string sink = "stdout";
  long max_events = -1;
  double idle_exit = 0;
  std::string tombstones_on_delete = "true";
  bool from_start = false;
  bool schemas = false;
  // Debezium's connector options, with its names and defaults.
  std::string decimal_handling_mode = "precise";
  std::string time_precision_mode = "adaptive";
  std::string binary_handling_mode = "bytes";
  std::string interval_handling_mode = "numeric";
  std::string hstore_handling_mode = "json";
  std::string skipped_operations = "t";
  int money_fraction_digits = 2;
  // The publisher's settings (cli/settings.hpp) given as flags; empty: the configuration's.
  std::string provide_transaction_metadata;
  std::string heartbeat_interval_ms;
  std::string heartbeat_topic_prefix;
};

// The configuration's publisher settings with the flags given set over them, read where the
// configuration's are (one reading, one set of checks).
Result<PublisherSettings> publisher_settings(const Context& ctx, const CdcOptions& opt) {
  config::Config config = ctx.config;
  const std::pair<const char*, const std::string*> flags[] = {
      {"cdc.provide_transaction_metadata", &opt.provide_transaction_metadata},
      {"cdc.heartbeat_interval_ms", &opt.heartbeat_interval_ms},
      {"cdc.topic_heartbeat_prefix", &opt.heartbeat_topic_prefix}};
  for (const auto& [key, flag] : flags)
    if (!flag->empty()) config.set(key, *flag, "flag");
  return read_publisher_settings(config);
}

Status run_cdc(Context& ctx, const CdcOptions& opt) {
  cdc::ValueForms forms;
  SL_ASSIGN_OR_RETURN(forms.decimal, cdc::parse_decimal_mode(opt.decimal_handling_mode));
  SL_ASSIGN_OR_RETURN(forms.time, cdc::parse_time_precision_mode(opt.time_precision_mode));
  SL_ASSIGN_OR_RETURN(forms.binary, cdc::parse_binary_mode(opt.binary_handling_mode));
  SL_ASSIGN_OR_RETURN(forms.interval, cdc::parse_interval_mode(opt.interval_handling_mode));
  SL_ASSIGN_OR_RETURN(forms.hstore, cdc::parse_hstore_mode(opt.hstore_handling_mode));
  if (opt.money_fraction_digits < 0 || opt.money_fraction_digits > 18)
    return make_error(Errc::invalid_argument, "money.fraction.digits: 0 to 18");
  forms.money_fraction_digits = opt.money_fraction_digits;
  SL_ASSIGN_OR_RETURN(std::string skipped, cdc::parse_skipped_operations(opt.skipped_operations));
  if (opt.tombstones_on_delete != "true" && opt.tombstones_on_delete != "false")
    return make_error(Errc::invalid_argument, "tombstones.on.delete: true or false");
  SL_ASSIGN_OR_RETURN(auto publisher, publisher_settings(ctx, opt));
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));  // migrations + publication in place
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  // `--sink kafka`: the records go to the brokers, each transaction acknowledged once every
  // message has its delivery report.
  std::unique_ptr<bus::KafkaSink> kafka;
  if (opt.sink == "kafka") {
    SL_ASSIGN_OR_RETURN(kafka, open_kafka_sink(ctx.settings.kafka));
  }
  stop_on_signals();
  SL_TRY(cdc::run_debezium_lines(
      sql, {.conninfo = conninfo,
            .slot = opt.slot,
            .publication = opt.publication,
            .topic_prefix = ctx.settings.cdc.topic_prefix,
            .sink = opt.sink,
            .record_sink = kafka.get(),
            .marker_dir = ctx.settings.home / "cdc",
            .max_events = opt.max_events,
            .idle_exit = opt.idle_exit,
            .tombstones = opt.tombstones_on_delete == "true",
            .from_start = opt.from_start,
            .schemas = opt.schemas,
            .forms = forms,
            .skipped_operations = skipped,
            .transaction_metadata = publisher.transaction_metadata,
            .heartbeat_interval_ms = publisher.heartbeat_interval_ms,
            .heartbeat_prefix = publisher.heartbeat_prefix,
            .stop_requested = stop_requested}));
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
                  "stdout, jsonl:FILE (appended, fsynced before each acknowledgement) or kafka "
                  "(topics <kafka.topic_prefix>.<schema>.<table> on KAFKA_BOOTSTRAP_SERVERS, "
                  "acknowledged once every message has its delivery report)");
  cmd->add_option("--max-events", opt.max_events, "stop after N events");
  cmd->add_option("--idle-exit", opt.idle_exit, "stop after SECONDS without any change");
  cmd->add_option("--tombstones-on-delete", opt.tombstones_on_delete,
                  "tombstones.on.delete: true (default) writes a tombstone (same key, null value) "
                  "after each delete of a table with a key; false writes none")
      ->check(CLI::IsMember({"true", "false"}));
  // The flag of before tombstones were the default; kept so scripts keep working.
  cmd->add_flag_callback("--tombstones", [] { opt.tombstones_on_delete = "true"; },
                         "same as --tombstones-on-delete true (the default)");
  cmd->add_option("--skipped-operations", opt.skipped_operations,
                  "skipped.operations: ops not written, comma-separated c, u, d, t, or none "
                  "(default t: truncates skipped, as Debezium)");
  cmd->add_option("--decimal-handling-mode", opt.decimal_handling_mode,
                  "decimal.handling.mode for numeric and money: precise (Connect Decimal, "
                  "default), string or double")
      ->check(CLI::IsMember({"precise", "string", "double"}));
  cmd->add_option("--time-precision-mode", opt.time_precision_mode,
                  "time.precision.mode: adaptive (default), adaptive_time_microseconds or "
                  "connect (Kafka Connect's Date/Time/Timestamp, milliseconds)")
      ->check(CLI::IsMember({"adaptive", "adaptive_time_microseconds", "connect"}));
  cmd->add_option("--binary-handling-mode", opt.binary_handling_mode,
                  "binary.handling.mode for bytea: bytes (default), base64 or hex")
      ->check(CLI::IsMember({"bytes", "base64", "hex"}));
  cmd->add_option("--interval-handling-mode", opt.interval_handling_mode,
                  "interval.handling.mode: numeric (MicroDuration, default) or string (ISO 8601)")
      ->check(CLI::IsMember({"numeric", "string"}));
  cmd->add_option("--hstore-handling-mode", opt.hstore_handling_mode,
                  "hstore.handling.mode: json (io.debezium.data.Json text, default) or map (a "
                  "Connect map of string to string)")
      ->check(CLI::IsMember({"json", "map"}));
  cmd->add_option("--money-fraction-digits", opt.money_fraction_digits,
                  "money.fraction.digits: the scale of money values (lc_monetary's; default 2)");
  cmd->add_option("--provide-transaction-metadata", opt.provide_transaction_metadata,
                  "provide.transaction.metadata: true writes BEGIN/END records on "
                  "<prefix>.transaction and a transaction block in each event (default: "
                  "cdc.provide_transaction_metadata, false)")
      ->check(CLI::IsMember({"true", "false"}));
  cmd->add_option("--heartbeat-interval-ms", opt.heartbeat_interval_ms,
                  "heartbeat.interval.ms: a heartbeat record every MS milliseconds on "
                  "<topic.heartbeat.prefix>.<prefix> (default: cdc.heartbeat_interval_ms, 0: "
                  "none)");
  cmd->add_option("--topic-heartbeat-prefix", opt.heartbeat_topic_prefix,
                  "topic.heartbeat.prefix (default: cdc.topic_heartbeat_prefix, "
                  "__debezium-heartbeat)");
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
      auto dropped = cdc::drop_slot(*conn, drop);
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
