// `sportlake status`: what runs and how far it got — the database, each job's replication slot
// and how much WAL it holds, each Kafka consumer group's lag per partition, the notification outbox, the distance cache, the jobs' skipped rows,
// the lake's tables (versions, files, small files, when `lake check` last found each clean), the
// last Bronze commit and refresh. The facts are cli/status_facts' (the dashboard's /operations
// shows the same); printed by ops::status_text.
#include <fmt/core.h>

#include <chrono>

#include "cli/commands.hpp"
#include "cli/lake_storage.hpp"
#include "cli/source_database.hpp"
#include "cli/status_facts.hpp"

namespace sl::cli {

namespace {

// Exit 1 when the database cannot be read; the lake part is printed all the same.
bool run_status(Context& ctx, bool json) {
  ops::StatusReport report;
  report.generated_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  report.embedded = ctx.settings.embedded_database;
  auto sql = open_source_database(ctx);  // starts the embedded cluster, migrates
  Status st = sql ? collect_database_status(*sql, report) : Status(sql.error());
  if (!st) report.database_error = st.error().to_string();
  const delta::Lake lake = open_lake(ctx);
  collect_lake_status(lake, report);
  collect_kafka_status(ctx.settings, lake, report);
  fmt::print("{}", json ? ops::status_json(report) + "\n" : ops::status_text(report));
  if (!st) fmt::print(stderr, "sportlake status: {}\n", st.error().to_string());
  return st.ok();
}

}  // namespace

void add_status_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "status",
      "the database, each job's slot, lag and WAL held, Kafka consumer lag, notifications, "
      "distances, failed rows, "
      "lake tables (versions, small files, last check), last Bronze commit and refresh");
  static bool json = false;
  cmd->add_flag("--json", json, "the same facts as JSON (what the dashboard's /api/status answers)");
  cmd->callback([&ctx] {
    if (!run_status(ctx, json)) ctx.exit_code = 1;
  });
}

}  // namespace sl::cli
