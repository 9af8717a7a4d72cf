// `sportlake ingest`: the Bronze ingest job (lakehouse/bronze_ingest.hpp) on its own slot.
#include <fmt/core.h>

#include <csignal>

#include "cli/commands.hpp"
#include "cli/lake_storage.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) {
  g_stop = 1;
}

struct IngestOptions {
  std::string slot;
  std::string publication;
  size_t commit_rows = 100'000;
  double commit_interval = 1.0;
  double idle_exit = 0;
  size_t max_changes = 0;
  bool json = false;
};

Status run_ingest(Context& ctx, const IngestOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));  // migrations + publication in place
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
  lakehouse::BronzeIngestOptions options;
  options.conninfo = conninfo;
  options.slot = opt.slot;
  options.publication = opt.publication;
  const delta::Lake lake = open_lake(ctx);
  options.lake = &lake;
  options.commit_rows = opt.commit_rows;
  options.commit_interval =
      std::chrono::milliseconds(static_cast<int64_t>(opt.commit_interval * 1000));
  options.idle_exit = std::chrono::milliseconds(static_cast<int64_t>(opt.idle_exit * 1000));
  options.max_changes = opt.max_changes;
  options.stop_requested = [] { return g_stop != 0; };
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  SL_ASSIGN_OR_RETURN(auto stats, run_bronze_job(sql, options));
  if (opt.json) {
    fmt::print(
        "{{\"snapshot_rows\":{},\"changes\":{},\"skipped\":{},\"commits\":{},"
        "\"unconverted\":{},\"acknowledged\":\"{}\"}}\n",
        stats.snapshot_rows, stats.changes, stats.skipped, stats.commits, stats.unconverted,
        stats.acknowledged.to_string());
  } else {
    fmt::print(
        "bronze: {} snapshot rows, {} changes ({} already landed), {} commits, acknowledged up "
        "to {}{}\n",
        stats.snapshot_rows, stats.changes, stats.skipped, stats.commits,
        stats.acknowledged.to_string(),
        stats.unconverted
            ? fmt::format("; {} values kept as text in _unconverted", stats.unconverted)
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
  cmd->add_option("--commit-rows", opt.commit_rows,
                  "commit once this many rows are pending (default 100000)");
  cmd->add_option("--commit-interval", opt.commit_interval,
                  "commit pending rows after at most SECONDS (default 1)");
  cmd->add_option("--idle-exit", opt.idle_exit, "stop after SECONDS without any change");
  cmd->add_option("--max-changes", opt.max_changes,
                  "stop once N streamed changes are committed (benchmarks)");
  cmd->add_flag("--json", opt.json, "print the run's figures as JSON");
  cmd->callback([&ctx] {
    IngestOptions o = opt;
    if (o.slot.empty()) o.slot = ctx.config.get_string("cdc.slot", "sportlake") + "_bronze";
    if (o.publication.empty())
      o.publication = ctx.config.get_string("cdc.publication", "sportlake_pub");
    if (auto st = run_ingest(ctx, o); !st) {
      fmt::print(stderr, "sportlake ingest: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
