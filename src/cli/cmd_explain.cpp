// `sportlake explain <employee-id> [--year Y] [--json]`: why one employee got (or did not get)
// the sport bonus and the well-being days of a year, from the lake (serve/employee_facts.hpp,
// the same facts as the dashboard's employee page).
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/lake_storage.hpp"
#include "common/civil_time.hpp"
#include "serve/employee_facts.hpp"

namespace sl::cli {

namespace {

std::string km(std::optional<double> value) {
  return value ? fmt::format("{:.1f} km", *value) : "unknown";
}

std::string source_text(const std::string& source, bool estimate) {
  if (source.empty()) return "none";
  return source + (estimate ? " (estimate)" : " (routed)");
}

void print_decision(const serve::EmployeeFacts& f) {
  fmt::print("\nsport bonus {}\n", f.year);
  const auto* d = f.decision ? &*f.decision : nullptr;
  fmt::print("  declared mode   {}\n", d ? d->moyen_deplacement : f.declared_mode);
  if (f.has_commute) {
    fmt::print("  address         {}\n", f.address);
    fmt::print("  located         {}{}\n",
               f.address_match.empty() ? "not checked" : f.address_match,
               f.commune.empty() ? "" : ", commune " + f.commune);
  }
  if (!d) {
    fmt::print(
        "  decision        none for {} (hired after the year, or rejected by a data-quality "
        "error: see the findings)\n",
        f.year);
    return;
  }
  if (d->threshold_km || d->distance_km)
    fmt::print("  distance        {}, source {}\n", km(d->distance_km),
               source_text(d->distance_source, d->distance_estimate));
  else  // car, public transport: no distance is asked for them
    fmt::print("  distance        not computed (not a sporty mode)\n");
  fmt::print("  threshold       {}\n",
             d->threshold_km ? km(d->threshold_km) : "none (not a sporty mode: never eligible)");
  fmt::print("  decision        {} ({}): {}\n", d->eligible ? "eligible" : "not eligible",
             d->reason, d->reason_text);
  fmt::print("  gross salary    {} EUR\n", d->salaire_brut_eur);
  fmt::print("  bonus           {} EUR\n", d->prime_eur);
  if (f.commute_changed)
    fmt::print(
        "  note            the current commute ({}, {}) is not the one this decision used; "
        "the next `sportlake refresh --year {}` recomputes it\n",
        f.declared_mode, km(f.current_distance_km), f.year);
}

void print_wellbeing(const serve::EmployeeFacts& f) {
  fmt::print("\nwell-being days {}\n", f.year);
  if (!f.has_wellbeing) {
    fmt::print("  decision        none for {}\n", f.year);
    return;
  }
  fmt::print("  activities      {} counted\n", f.wellbeing_activities);
  if (f.wellbeing_eligible)
    fmt::print("  decision        eligible: {} days\n", f.wellbeing_days);
  else
    fmt::print("  decision        not eligible: {} missing to reach {}\n", f.wellbeing_missing,
               f.wellbeing_activities + f.wellbeing_missing);
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string line;
  for (int m = 0; m < 12; ++m) line += fmt::format(" {} {}", months[m], f.monthly[m]);
  fmt::print("  per month      {}\n", line);
}

void print_lists(const serve::EmployeeFacts& f) {
  fmt::print("\nactivities {} ({})\n", f.year, f.activities.size());
  for (const auto& a : f.activities) {
    const std::string when =
        a.start_local_us ? format_timestamp_us(*a.start_local_us, ' ', false).substr(0, 16) : "";
    fmt::print("  {}  {:<14} {:>9}  {}{}\n", when, a.sport_type,
               a.distance_km ? km(a.distance_km) : "", a.name,
               a.counted ? "" : "  (commute: not counted)");
  }
  fmt::print("\ndata-quality findings ({})\n", f.findings.size());
  for (const auto& i : f.findings)
    fmt::print("  {:<8} {} {}  {}: {}\n", i.severity, i.table, i.key, i.rule, i.reason);
  fmt::print("\nhistory\n");
  for (const auto& d : f.history)
    fmt::print("  {}  {:<32} {:>9}  threshold {:>7}  {:<12}  {} EUR\n", d.year, d.moyen_deplacement,
               km(d.distance_km), d.threshold_km ? km(d.threshold_km) : "-",
               d.eligible ? "eligible" : "not eligible", d.prime_eur);
}

Status run_explain(const Context& ctx, int64_t employee_id, int year, bool json) {
  SL_ASSIGN_OR_RETURN(auto facts, serve::employee_facts(serve::GoldReader(open_lake(ctx)), employee_id, year));
  if (json) {
    fmt::print("{}\n", serve::employee_facts_json(facts));
    return {};
  }
  fmt::print("employee {}: {} {} ({}), year {}{}\n", facts.employee_id, facts.prenom, facts.nom,
             facts.business_unit, facts.year,
             facts.in_silver
                 ? ""
                 : " — no longer in Silver (deleted, or rejected by a data-quality error)");
  print_decision(facts);
  print_wellbeing(facts);
  print_lists(facts);
  return {};
}

}  // namespace

void add_explain_command(CLI::App& app, Context& ctx) {
  static int64_t employee_id = 0;
  static int year = 0;
  static bool json = false;
  auto* cmd = app.add_subcommand(
      "explain",
      "why an employee got (or not) the sport bonus and the well-being days of a year: the "
      "facts the lake holds (the dashboard's employee page, in the terminal)");
  cmd->add_option("employee-id", employee_id, "the employee's id (rh_employees.id)")->required();
  cmd->add_option("--year", year, "the year (default: the latest refreshed year)");
  cmd->add_flag("--json", json, "print the facts as JSON (the same as /api/employee/<id>)");
  cmd->callback([&ctx] {
    if (auto done = run_explain(ctx, employee_id, year, json); !done) {
      fmt::print(stderr, "sportlake explain: {}\n", done.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
