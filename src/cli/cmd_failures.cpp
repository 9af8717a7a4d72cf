// `sportlake failures [--job J] [--json]` and `sportlake failures dismiss --job J (--item I... |
// --all)`: the rows the jobs skipped so the others went on (lakehouse/job_failures.hpp), all of
// them (`status` shows five per job), and the way to close those an operator has dealt with. A
// failure that goes through is deleted by its job; some never do (a Kafka poison record is never
// read again), so without `dismiss` they would stay open for ever. The table is captured: the
// next ingest + refresh drops a dismissed failure's finding from Silver's dq_issues.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/source_database.hpp"
#include "lakehouse/job_failures.hpp"

namespace sl::cli {

namespace {

std::string count_of(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

bool list_failures(Context& ctx, const std::string& job, bool json) {
  auto sql = open_source_database(ctx);
  auto open = sql ? lakehouse::open_job_failures(
                        *sql, job.empty() ? std::nullopt : std::optional<std::string_view>(job))
                  : Result<std::vector<lakehouse::OpenJobFailure>>(sql.error());
  if (!open) {
    fmt::print(stderr, "sportlake failures: {}\n", open.error().to_string());
    return false;
  }
  for (const auto& f : *open) {
    if (json) {
      nlohmann::ordered_json row = {{"job", f.job},
                                    {"item", f.item},
                                    {"employee_id", nullptr},
                                    {"error", f.error},
                                    {"failures", f.failures},
                                    {"first_failed_at", f.first_failed_at},
                                    {"last_failed_at", f.last_failed_at}};
      if (f.employee_id) row["employee_id"] = *f.employee_id;
      fmt::print("{}\n", row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      continue;
    }
    // "employee 42 (employee 42)" says it once.
    const std::string employee = f.employee_id ? fmt::format("employee {}", *f.employee_id) : "";
    const bool named = employee.empty() || f.item.find(employee) != std::string::npos;
    fmt::print("{:<10} {}{}  {}, first {}, last {}\n           {}\n", f.job, f.item,
               named ? "" : " (" + employee + ")",
               count_of(static_cast<size_t>(f.failures), "time"),
               f.first_failed_at, f.last_failed_at, lakehouse::clean_text(f.error, 300));
  }
  if (!json)
    fmt::print("{}\n", open->empty() ? std::string("no open failure")
                                     : count_of(open->size(), "open failure"));
  return true;
}

// Exit 1 when nothing matched: a mistyped item must not pass for a dismissal.
bool dismiss_failures(Context& ctx, const std::string& job, const std::vector<std::string>& items) {
  auto sql = open_source_database(ctx);
  auto dismissed = sql ? lakehouse::dismiss_job_failures(*sql, job, items)
                       : Result<int64_t>(sql.error());
  if (!dismissed) {
    fmt::print(stderr, "sportlake failures dismiss: {}\n", dismissed.error().to_string());
    return false;
  }
  if (*dismissed == 0) {
    fmt::print(stderr, "sportlake failures dismiss: no open failure of job {} {}\n", job,
               items.empty() ? std::string("at all") : "matches the items given");
    return false;
  }
  fmt::print("{} of job {} dismissed\n", count_of(static_cast<size_t>(*dismissed), "failure"),
             job);
  return true;
}

}  // namespace

void add_failures_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "failures",
      "the rows the jobs skipped so the others went on (job_failures), all of them; `dismiss` "
      "closes those dealt with");
  cmd->require_subcommand(0, 1);
  static std::string job;
  static bool json = false;
  cmd->add_option("--job", job, "only this job's (ingest, notify, distances, publish)");
  cmd->add_flag("--json", json, "one JSON object per failure and line");

  auto* dismiss = cmd->add_subcommand(
      "dismiss",
      "delete open failures an operator has dealt with (a failure that happens again comes back)");
  static std::string dismiss_job;
  static std::vector<std::string> items;
  static bool all = false;
  dismiss->add_option("--job", dismiss_job, "the job whose failures are dismissed")->required();
  auto* which = dismiss->add_option_group("which", "--item or --all");
  which->add_option("--item", items, "a failure's item as listed (repeatable)");
  which->add_flag("--all", all, "every open failure of the job");
  which->require_option(1);
  dismiss->callback([&ctx] {
    if (!dismiss_failures(ctx, dismiss_job, all ? std::vector<std::string>{} : items))
      ctx.exit_code = 1;
  });
  cmd->callback([&ctx, dismiss] {
    if (dismiss->parsed()) return;
    if (!list_failures(ctx, job, json)) ctx.exit_code = 1;
  });
}

}  // namespace sl::cli
