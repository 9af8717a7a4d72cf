// `sportlake status`: what runs and how far it got — the database, each job's replication slot
// and how much WAL it holds, the notification outbox, the distance cache, the lake's tables (with
// when `lake check` last found each clean).
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/lake_storage.hpp"
#include "cli/source_database.hpp"
#include "common/civil_time.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_check.hpp"

namespace sl::cli {

namespace {

// When `lake check` last ran on the table and what it found (delta/table_check.hpp's record).
std::string check_text(const delta::Storage& table, int64_t version) {
  auto record = delta::load_check_record(table);
  if (!record) return "check record unreadable: " + record.error().message;
  if (!*record) return "never checked (sportlake lake check)";
  const delta::CheckRecord& r = **record;
  auto when = [](int64_t ms) { return format_timestamp_ms(ms * 1000); };
  std::string clean = "never checked clean";
  if (r.last_clean_at_ms) {
    clean = "checked clean " + when(*r.last_clean_at_ms) + " at version " +
            std::to_string(r.last_clean_version.value_or(-1));
    if (r.last_clean_version.value_or(-1) < version) clean += " (newer versions unchecked)";
  }
  if (r.clean) return clean;
  return fmt::format("DAMAGED: {} findings at {} (version {}); {}", r.findings,
                     when(r.checked_at_ms), r.version, clean);
}

// The rows the jobs skipped so the others could go on (lakehouse/job_failures.hpp): a count per
// job, and the newest few with their employee.
Status print_job_failures(pg::Connection& sql) {
  SL_ASSIGN_OR_RETURN(
      auto failures,
      sql.exec("SELECT job, count(*), string_agg(item || coalesce(' (employee ' || employee_id || "
               "')', '') || ': ' || left(error, 160), E'\\n    ' ORDER BY last_failed_at DESC) "
               "FILTER (WHERE rank <= 5) FROM (SELECT *, row_number() OVER (PARTITION BY job "
               "ORDER BY last_failed_at DESC) AS rank FROM job_failures) f GROUP BY 1 ORDER BY 1"));
  fmt::print("\nfailed rows (skipped, the others went on; job_failures):");
  if (failures.rows() == 0)
    fmt::print(" none\n");
  else
    fmt::print("\n");
  for (int r = 0; r < failures.rows(); ++r)
    fmt::print("  {:<10} {} failing\n    {}\n", failures.value(r, 0), failures.value(r, 1),
               failures.value(r, 2));
  return {};
}

Status run_status(Context& ctx) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
  SL_ASSIGN_OR_RETURN(auto version, sql.exec("SELECT current_setting('server_version'), "
                                             "current_database(), pg_current_wal_lsn()"));
  fmt::print("database: PostgreSQL {} ({}, {}), WAL at {}\n", version.value(0, 0),
             version.value(0, 1), ctx.settings.embedded_database ? "embedded" : "external",
             version.value(0, 2));

  SL_ASSIGN_OR_RETURN(
      auto slots,
      sql.exec("SELECT slot_name, active, confirmed_flush_lsn, "
               "pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)) "
               "FROM pg_replication_slots WHERE slot_type = 'logical' ORDER BY 1"));
  fmt::print("\nreplication slots (one per job):\n");
  if (slots.rows() == 0) fmt::print("  none yet (each job creates its own on first run)\n");
  for (int r = 0; r < slots.rows(); ++r)
    fmt::print("  {:<26} {:<8} confirmed {:<14} behind {}\n", slots.value(r, 0),
               slots.value(r, 1) == "t" ? "running" : "idle", slots.value(r, 2), slots.value(r, 3));

  SL_ASSIGN_OR_RETURN(auto outbox, sql.exec("SELECT status, count(*) FROM notification_outbox "
                                            "GROUP BY 1 ORDER BY 1"));
  fmt::print("\nnotifications:");
  if (outbox.rows() == 0) fmt::print(" none");
  for (int r = 0; r < outbox.rows(); ++r)
    fmt::print(" {} {}", outbox.value(r, 1), outbox.value(r, 0));
  fmt::print("\n");

  SL_ASSIGN_OR_RETURN(auto distances,
                      sql.exec("SELECT provider, status, count(*) FROM distance_cache "
                               "GROUP BY 1, 2 ORDER BY 1, 2"));
  fmt::print("distances:");
  if (distances.rows() == 0) fmt::print(" none (sportlake distances)");
  for (int r = 0; r < distances.rows(); ++r)
    fmt::print(" {} {} {}", distances.value(r, 2), distances.value(r, 0), distances.value(r, 1));
  SL_TRY(print_job_failures(sql));
  const delta::Lake lake = open_lake(ctx);
  fmt::print("\n\nlake {}:\n", lake.root());
  for (auto layer : {delta::Layer::bronze, delta::Layer::silver, delta::Layer::gold}) {
    const auto label = delta::layer_name(layer);
    SL_ASSIGN_OR_RETURN(auto names, lake.tables(layer));
    if (names.empty()) fmt::print("  {:<7} empty\n", label);
    for (const auto& name : names) {
      auto snapshot = delta::load_snapshot(*lake.table(layer, name));
      if (!snapshot) {
        fmt::print("  {:<7} {:<20} error: {}\n", label, name, snapshot.error().message);
        continue;
      }
      fmt::print("  {:<7} {:<20} version {:<6} {:>4} files  {}\n", label, name, snapshot->version,
                 snapshot->files.size(), check_text(*lake.table(layer, name), snapshot->version));
    }
  }
  return {};
}

}  // namespace

void add_status_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "status", "the database, each job's slot and lag, notifications, distances, lake tables");
  cmd->callback([&ctx] {
    if (auto st = run_status(ctx); !st) {
      fmt::print(stderr, "sportlake status: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
