// `sportlake ingest`: the Bronze ingest job (lakehouse/bronze_ingest.hpp) on its own slot.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/job_options.hpp"
#include "cli/lake_storage.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

struct IngestOptions : IngestFlags {
  bool json = false;
};

Result<lakehouse::BronzeIngestStats> run_job(Context& ctx, const IngestOptions& opt,
                                             const delta::Lake& lake) {
  if (opt.source == "kafka") {
    // The topics only: this process needs PostgreSQL only to report poison records
    // (job_failures), and goes on without it.
    const auto conninfo = pg::resolve_conninfo(ctx.config, /*start_embedded=*/false);
    const auto options =
        bronze_ingest_options(ctx.settings, conninfo ? *conninfo : std::string(), lake, opt);
    stop_on_signals();
    return run_bronze_kafka_job(ctx.settings.kafka, ctx.settings.cdc.topic_prefix, options);
  }
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));  // migrations + publication in place
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  const auto options = bronze_ingest_options(ctx.settings, conninfo, lake, opt);
  stop_on_signals();
  return run_bronze_job(sql, options);
}

Status run_ingest(Context& ctx, const IngestOptions& opt) {
  const delta::Lake lake = open_lake(ctx);
  SL_ASSIGN_OR_RETURN(auto stats, run_job(ctx, opt, lake));
  if (opt.json) {
    fmt::print(
        "{{\"snapshot_rows\":{},\"changes\":{},\"skipped\":{},\"commits\":{},"
        "\"unconverted\":{},\"rejected\":{},\"conflicts\":{},\"acknowledged\":\"{}\"}}\n",
        stats.snapshot_rows, stats.changes, stats.skipped, stats.commits, stats.unconverted,
        stats.rejected, stats.conflicts, stats.acknowledged.to_string());
  } else {
    fmt::print(
        "bronze: {} snapshot rows, {} changes ({} already landed), {} commits, acknowledged up "
        "to {}{}{}\n",
        stats.snapshot_rows, stats.changes, stats.skipped, stats.commits,
        stats.acknowledged.to_string(),
        stats.unconverted
            ? fmt::format("; {} values kept as text in _unconverted", stats.unconverted)
            : "",
        stats.rejected ? fmt::format("; {} unreadable records skipped (see job_failures)",
                                     stats.rejected)
                       : "");
  }
  return {};
}

}  // namespace

void add_ingest_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "ingest",
      "land the captured tables' changes in the Bronze Delta tables, exactly once (initial "
      "snapshot when the slot is created, then the stream)");
  static IngestOptions opt;
  cmd->add_option("--slot", opt.slot,
                  "replication slot (created when missing; default: cdc.slot + \"_bronze\")");
  cmd->add_option("--publication", opt.publication, "publication (default: cdc.publication)");
  cmd->add_option("--source", opt.source,
                  "slot (a replication slot of the source database) or kafka (the topics "
                  "<kafka.topic_prefix>.<schema>.<table> on KAFKA_BOOTSTRAP_SERVERS, in a "
                  "consumer group; each partition's offset is stored in its Bronze table)")
      ->check(CLI::IsMember({"slot", "kafka"}));
  cmd->add_option("--group", opt.group,
                  "--source kafka: the consumer group (default: kafka.group + \"_bronze\")");
  cmd->add_option("--commit-rows", opt.commit_rows,
                  "commit once this many rows are pending (default 100000)");
  cmd->add_option("--spill-mb", opt.spill_mb,
                  "memory budget of a table's pending rows: beyond it they are written to a data "
                  "file (committed with the rest of the transaction; default 32)");
  cmd->add_option("--commit-interval", opt.commit_interval,
                  "ceiling: commit pending rows after at most SECONDS (default 1)");
  cmd->add_option("--commit-min-interval", opt.commit_min_interval,
                  "floor: at least SECONDS between commits; commit as soon as the stream is "
                  "idle or the rows waited this long (default 0.1; equal to --commit-interval: at "
                  "most one commit per interval)");
  cmd->add_option("--commit-idle-window", opt.commit_idle_window,
                  "the stream is idle when nothing comes for SECONDS after a transaction end "
                  "(default 0.005)");
  cmd->add_option("--idle-exit", opt.idle_exit, "stop after SECONDS without any change");
  cmd->add_option("--max-changes", opt.max_changes,
                  "stop once N streamed changes are committed (benchmarks)");
  cmd->add_flag("--json", opt.json, "print the run's figures as JSON");
  cmd->callback([&ctx] {
    if (auto st = run_ingest(ctx, opt); !st) {
      fmt::print(stderr, "sportlake ingest: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
