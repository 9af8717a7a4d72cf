// `sportlake refresh`: Bronze → Silver → Gold for a year, published to PostgreSQL's gold schema
// (lakehouse/refresh_job.hpp).
#include <fmt/core.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/distance_provider_factory.hpp"
#include "cli/job_options.hpp"
#include "cli/lake_storage.hpp"
#include "cli/source_database.hpp"
#include "common/decimal_text.hpp"
#include "lakehouse/refresh_job.hpp"

namespace sl::cli {

namespace {

struct RefreshCliOptions {
  int year = 0;  // 0: rules.year or the current year
  bool no_publish = false;
  bool json = false;
  bool full = false;
  size_t memory_mb = 768;
};

Status run_refresh_command(Context& ctx, const RefreshCliOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto gazetteer, load_gazetteer(ctx.settings.maps));
  const delta::Lake lake = open_lake(ctx);
  SL_ASSIGN_OR_RETURN(auto options, refresh_options(ctx.settings, lake, opt.year, gazetteer));
  options.full = opt.full;
  options.memory_budget_bytes = opt.memory_mb << 20;
  std::optional<pg::Connection> sql;
  if (!opt.no_publish) {
    SL_ASSIGN_OR_RETURN(auto conn, open_source_database(ctx));
    sql.emplace(std::move(conn));
  }
  SL_ASSIGN_OR_RETURN(auto r, lakehouse::run_refresh(options, sql ? &*sql : nullptr));
  const auto& k = r.summary;
  // Gold rows PostgreSQL refused were left out, the others published: exit 4 (like `load`'s
  // rejected rows), each named on stderr.
  for (const auto& rejected : r.publish_rejected)
    fmt::print(stderr, "sportlake refresh: not published: {}\n", rejected);
  if (!r.publish_rejected.empty()) ctx.exit_code = 4;
  if (opt.json) {
    fmt::print(
        "{{\"year\":{},\"bronze_changes\":{},\"employees\":{},\"activities\":{},"
        "\"dq_findings\":{},\"sporty_commuters\":{},\"eligible_bonus\":{},\"total_bonus_eur\":{},"
        "\"max_bonus_eur\":{},\"declaration_anomalies\":{},\"unknown_distances\":{},"
        "\"wellbeing_eligible\":{},\"wellbeing_days\":{},\"published\":{},"
        "\"publish_rejected\":{},\"incremental\":{},\"activities_rebuilt\":{},"
        "\"gold_rebuilt\":{},\"gold_months_recomputed\":[{}]}}\n",
        k.year, r.bronze_changes, r.employees, r.activities, r.issues, k.sporty_commuters,
        k.eligible_bonus, decimal_text(k.total_bonus_cents, 2), decimal_text(k.max_bonus_cents, 2),
        k.declaration_anomalies, k.unknown_distances, k.wellbeing_eligible, k.wellbeing_days,
        r.published ? "true" : "false", r.publish_rejected.size(),
        r.incremental ? "true" : "false", r.activities_rebuilt, r.gold_rebuilt ? "true" : "false",
        fmt::join(r.gold_months_recomputed, ","));
    return {};
  }
  fmt::print(
      "refresh {}: {} Bronze changes → {} employees, {} activities, {} data-quality findings\n",
      k.year, r.bronze_changes, r.employees, r.activities, r.issues);
  fmt::print("  {}\n", r.incremental
                          ? fmt::format("incrémental : {} activités recalculées{}",
                                        r.activities_rebuilt,
                                        r.gold_rebuilt ? "" : ", Gold inchangé")
                          : "complet : " + r.full_reason);
  fmt::print("  prime sportive : {} éligibles sur {} trajets sportifs, {} € (maximum {} €)\n",
             k.eligible_bonus, k.sporty_commuters, decimal_text(k.total_bonus_cents, 2),
             decimal_text(k.max_bonus_cents, 2));
  fmt::print("  anomalies de déclaration : {}, distances inconnues : {}\n", k.declaration_anomalies,
             k.unknown_distances);
  fmt::print("  bien-être : {} salariés éligibles, {} jours\n", k.wellbeing_eligible,
             k.wellbeing_days);
  fmt::print("  {}\n", r.published ? "publié dans le schéma PostgreSQL gold (v_prime_sportive, "
                                     "v_wellbeing)"
                                   : "non publié (--no-publish)");
  return {};
}

}  // namespace

void add_refresh_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "refresh",
      "Bronze → Silver (current state, cleaned, dq_issues) → Gold (sport bonus, well-being "
      "days, KPIs) for a year, then publish the year to PostgreSQL's gold schema");
  static RefreshCliOptions opt;
  cmd->add_option("--year", opt.year, "the year (default: rules.year, else the current year)");
  cmd->add_flag("--no-publish", opt.no_publish, "write the Delta tables only");
  cmd->add_flag("--json", opt.json, "print the figures as JSON");
  cmd->add_flag("--full", opt.full,
                "rebuild Silver whole from Bronze (default: only what changed since the last "
                "refresh, when there was one)");
  cmd->add_option("--memory-mb", opt.memory_mb,
                  "memory budget of a full rebuild in MiB: Silver's rows are written as data "
                  "files whenever those held exceed half of it (default 768)")
      ->check(CLI::Range(size_t{16}, size_t{1} << 20));
  cmd->callback([&ctx] {
    if (auto st = run_refresh_command(ctx, opt); !st) {
      fmt::print(stderr, "sportlake refresh: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
