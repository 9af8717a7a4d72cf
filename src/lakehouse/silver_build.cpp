// Building Silver from Bronze, with the data-quality rules.
#include "lakehouse/silver_build.hpp"

#include <fmt/format.h>

#include <iterator>

#include "common/civil_time.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include "lakehouse/job_failures.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/text_repair.hpp"
#include "rewards/commute_mode.hpp"
#include "rewards/sport_bonus.hpp"
#include "rewards/sport_label.hpp"

namespace sl::lakehouse {

namespace {

constexpr int64_t k_day_us = 86'400'000'000LL;

std::string mode_code(const std::optional<rewards::CommuteMode>& mode) {
  if (!mode) return "unknown";
  switch (*mode) {
    case rewards::CommuteMode::walk_run:
      return "walk_run";
    case rewards::CommuteMode::bike_scooter:
      return "bike_scooter";
    case rewards::CommuteMode::car:
      return "car";
    case rewards::CommuteMode::public_transport:
      return "public_transport";
  }
  return "unknown";
}

// Plausible average speeds (km/h) by Strava sport type (reference/external-apis.md §7.5). One
// hash per activity: the three sets looked up in turn before (a tree walk of string compares
// each) were ~2 % of the full refresh's builder.
std::pair<double, double> speed_bounds(std::string_view sport_type) {
  using Bounds = std::pair<double, double>;
  static const std::unordered_map<std::string_view, Bounds> by_sport = [] {
    std::unordered_map<std::string_view, Bounds> m;
    for (std::string_view s : {"Ride", "EBikeRide", "GravelRide", "VirtualRide",
                               "MountainBikeRide", "Velomobile"})
      m.emplace(s, Bounds{6, 50});
    for (std::string_view s : {"Run", "TrailRun", "VirtualRun", "Walk", "Hike"})
      m.emplace(s, Bounds{3, 20});
    for (std::string_view s :
         {"Swim", "Rowing", "Kayaking", "Canoeing", "StandUpPaddling", "Sail", "Surfing"})
      m.emplace(s, Bounds{1.5, 18});
    return m;
  }();
  const auto it = by_sport.find(sport_type);
  return it == by_sport.end() ? Bounds{0.5, 60} : it->second;
}

// "128 Rue du Port, 34000 Frontignan": the street (a number is optional: many sample addresses
// have none), a comma, a 5-digit postcode, the city.
bool well_formed_address(std::string_view address) {
  const size_t comma = address.rfind(", ");
  if (comma == std::string_view::npos || comma == 0) return false;
  const std::string_view place = address.substr(comma + 2);
  if (place.size() < 7 || place[5] != ' ') return false;
  for (size_t i = 0; i < 5; ++i)
    if (place[i] < '0' || place[i] > '9') return false;
  return true;
}

// A value quoted in a reason, cut to a readable length (a reason is for people; the value itself
// is in the row).
std::string in_quotes(std::string_view value) {
  return "« " + clean_text(value, 200) + " »";
}

class Issues {
 public:
  explicit Issues(SilverOut& out) : out_(out) {}
  void add(std::string_view table, std::string_view key, std::optional<int64_t> employee,
           std::string_view rule, std::string_view severity, std::string_view reason) {
    out_.issue({table, key, rule, severity, reason, employee});
  }
  // Bronze values that had no lake representation, kept as text.
  void unconverted(const BronzeState& state, size_t row, std::string_view table,
                   std::string_view key, std::optional<int64_t> employee) {
    unconverted(state, state.column("_unconverted"), row, table, key, employee);
  }
  void unconverted(const BronzeState& state, BronzeState::ColumnRef column, size_t row,
                   std::string_view table, std::string_view key,
                   std::optional<int64_t> employee) {
    if (auto text = state.text_view(column, row)) {
      reason_.assign("valeurs non convertibles, gardées en texte dans Bronze : ");
      reason_.append(*text);
      add(table, key, employee, "value_converted", "warning", reason_);
    }
  }

 private:
  SilverOut& out_;
  std::string reason_;  // reused: no string made per finding
};

void build_employees(const SilverInputs& in, Silver& silver, Issues& issues) {
  if (!in.employees) return;
  const BronzeState& b = *in.employees;
  std::map<int64_t, std::pair<std::string, std::string>> sports;  // id → (declared, normalised)
  std::set<int64_t> employee_ids;
  for (size_t row : b.rows())
    if (auto id = b.integer("id", row)) employee_ids.insert(*id);
  if (in.sports) {
    for (size_t row : in.sports->rows()) {
      auto id = in.sports->integer("id", row);
      if (!id) continue;
      const std::string key = std::to_string(*id);
      const std::string declared = in.sports->text("pratique_sport", row).value_or("");
      const std::string normalised = rewards::normalise_declared_sport(declared);
      if (normalised != declared && !declared.empty())
        issues.add("sport_profiles", key, *id, "sport_label_normalised", "info",
                   "sport déclaré " + in_quotes(declared) + " lu comme " + in_quotes(normalised));
      if (!employee_ids.contains(*id))
        issues.add("sport_profiles", key, *id, "employee_exists", "warning",
                   "sport déclaré pour un salarié inconnu");
      sports[*id] = {declared, normalised};
    }
  }
  for (size_t row : b.rows()) {
    Employee e = employee_columns(b, row);
    const std::string key = std::to_string(e.id);
    const auto mode = rewards::parse_commute_mode(e.moyen_deplacement);
    e.commute_mode = mode_code(mode);
    if (auto it = sports.find(e.id); it != sports.end()) {
      e.sport_declared = it->second.first;
      e.sport = it->second.second;
    }
    issues.unconverted(b, row, "employees", key, e.id);
    for (auto [field, value] : {std::pair<const char*, std::string*>{"nom", &e.nom},
                                std::pair<const char*, std::string*>{"prenom", &e.prenom}}) {
      if (auto repaired = repair_double_encoding(*value)) {
        issues.add("employees", key, e.id, "name_encoding", "info",
                   std::string(field) + " mal encodé (UTF-8 lu comme Latin-1) réparé : " +
                       in_quotes(*value) + " → " + in_quotes(*repaired));
        *value = std::move(*repaired);
      } else if (looks_double_encoded(*value)) {
        issues.add("employees", key, e.id, "name_encoding", "warning",
                   std::string(field) +
                       " probablement mal encodé, réparation ambiguë : " + in_quotes(*value));
      }
    }
    bool rejected = false;
    if (e.salaire_brut_cents <= 0) {
      issues.add("employees", key, e.id, "salary_positive", "error",
                 "salaire brut absent ou non positif : salarié écarté des calculs");
      rejected = true;
    }
    if (!mode) {
      issues.add("employees", key, e.id, "commute_mode_known", "error",
                 "moyen de déplacement inconnu : " + in_quotes(e.moyen_deplacement));
      rejected = true;
    }
    if (!well_formed_address(e.adresse_complete))
      issues.add("employees", key, e.id, "address_well_formed", "warning",
                 "adresse mal formée (attendu « voie, code postal ville ») : " +
                     in_quotes(e.adresse_complete));
    // 16 is France's ordinary minimum working age; `load` rejects only below 14 (the legal
    // exception for apprentices and holiday jobs), so 14–15 passes load and is flagged here.
    if (e.date_naissance && e.date_embauche && *e.date_embauche < *e.date_naissance + 16 * 365)
      issues.add("employees", key, e.id, "hire_after_birth", "warning",
                 "date d'embauche avant les 16 ans du salarié");
    if (!rejected) silver.employees.push_back(std::move(e));
  }
}

void build_activities(const SilverInputs& in, const IdSet& employee_ids,
                      std::span<const size_t> rows, SilverOut& out, Issues& issues) {
  if (!in.activities) return;
  const BronzeState& b = *in.activities;
  // Each column found once, not at every cell (millions of rows in a full refresh).
  const auto activity_id = b.column("activity_id"), employee_id = b.column("employee_id"),
             name = b.column("name"), sport_type = b.column("sport_type"), type = b.column("type"),
             distance_m = b.column("distance_m"), moving_time_s = b.column("moving_time_s"),
             elapsed_time_s = b.column("elapsed_time_s"),
             start_date_utc = b.column("start_date_utc"),
             start_date_local = b.column("start_date_local"), commute = b.column("commute"),
             calories = b.column("calories"), unconverted = b.column("_unconverted");
  std::string reason;  // a finding's reason when it quotes values, built here without allocating
  char key_digits[24];
  for (size_t row : rows) {
    ActivityView a;  // its texts in place, in Bronze
    a.activity_id = b.integer(activity_id, row).value_or(0);
    // A finding's key, the id as text: formatted for the fifth of the rows that have one (for
    // every row it was 1.5 % of the full refresh's CPU).
    size_t key_size = 0;
    auto key = [&]() -> std::string_view {
      if (key_size == 0)
        key_size = static_cast<size_t>(fmt::format_to(key_digits, "{}", a.activity_id) -
                                       key_digits);
      return {key_digits, key_size};
    };
    a.employee_id = b.integer(employee_id, row).value_or(0);
    a.name = b.text_view(name, row).value_or("");
    if (auto sport = b.text_view(sport_type, row))
      a.sport_type = *sport;
    else
      a.sport_type = b.text_view(type, row).value_or("");
    a.distance_m = b.number(distance_m, row);
    if (auto v = b.integer(moving_time_s, row)) a.moving_time_s = static_cast<int32_t>(*v);
    if (auto v = b.integer(elapsed_time_s, row)) a.elapsed_time_s = static_cast<int32_t>(*v);
    a.start_date_utc_us = b.timestamp(start_date_utc, row);
    a.start_date_local_us = b.timestamp(start_date_local, row);
    a.commute = b.boolean(commute, row).value_or(false);
    a.calories = b.number(calories, row);
    if (b.text_view(unconverted, row))
      issues.unconverted(b, unconverted, row, "activities", key(), a.employee_id);
    bool rejected = false;
    auto reject = [&](std::string_view rule, std::string_view why) {
      issues.add("activities", key(), a.employee_id, rule, "error", why);
      rejected = true;
    };
    if (!employee_ids.contains(a.employee_id)) {
      reason.clear();
      fmt::format_to(std::back_inserter(reason), "activité d'un salarié inconnu ({})",
                     a.employee_id);
      reject("employee_exists", reason);
    }
    if (a.distance_m && *a.distance_m < 0) reject("distance_non_negative", "distance négative");
    if (!a.elapsed_time_s || *a.elapsed_time_s <= 0)
      reject("elapsed_positive", "durée écoulée absente ou nulle");
    if (!a.start_date_utc_us)
      reject("start_known", "date de début absente");
    else if (in.now_us > 0 && *a.start_date_utc_us > in.now_us + k_day_us / 24)
      reject("not_in_future", "activité datée dans le futur");
    if (a.moving_time_s && a.elapsed_time_s && *a.moving_time_s > *a.elapsed_time_s)
      issues.add("activities", key(), a.employee_id, "moving_within_elapsed", "warning",
                 "temps en mouvement supérieur au temps écoulé");
    const int32_t moving = a.moving_time_s.value_or(a.elapsed_time_s.value_or(0));
    if (!rejected && a.distance_m && *a.distance_m >= 50 && moving > 0) {
      const double kmh = *a.distance_m / 1000.0 / (moving / 3600.0);
      const auto [low, high] = speed_bounds(a.sport_type);
      if (kmh < low || kmh > high) {
        reason.clear();
        fmt::format_to(std::back_inserter(reason),
                       "vitesse moyenne {:.1f} km/h hors de [{}, {}] pour {}", kmh, low, high,
                       a.sport_type);
        issues.add("activities", key(), a.employee_id, "speed_plausible", "warning", reason);
      }
    }
    if (!rejected) {
      set_start_month(a);
      out.activity(a);
    }
  }
}

void build_commutes(const SilverInputs& in, Silver& silver, Issues& issues) {
  // The best distance per (origin, mode): a routed one (Google) before an estimate, then the
  // most recent.
  struct Known {
    double distance_m;
    std::string provider;
    int64_t computed_at;
  };
  std::map<std::pair<std::string, std::string>, Known> known;
  if (in.distances) {
    const BronzeState& d = *in.distances;
    for (size_t row : d.rows()) {
      if (d.text("destination", row).value_or("") != in.destination) continue;
      if (d.text("status", row).value_or("") != "ok") continue;
      auto distance = d.number("distance_m", row);
      if (!distance) continue;
      Known k{*distance, d.text("provider", row).value_or(""),
              d.timestamp("computed_at", row).value_or(0)};
      auto slot = std::pair(d.text("origin", row).value_or(""), d.text("mode", row).value_or(""));
      auto it = known.find(slot);
      auto rank = [](const Known& x) { return std::pair(x.provider != "offline", x.computed_at); };
      if (it == known.end() || rank(k) > rank(it->second)) known[slot] = k;
    }
  }
  std::string workplace_commune;  // the workplace's INSEE code, when the gazetteer knows it
  if (in.gazetteer)
    if (auto located = in.gazetteer->locate(in.destination))
      workplace_commune = located->commune->insee;
  for (const auto& e : silver.employees) {
    Commute c;
    bool in_workplace_commune = false;
    c.employee_id = e.id;
    c.adresse_complete = e.adresse_complete;
    c.moyen_deplacement = e.moyen_deplacement;
    const std::string key = std::to_string(e.id);
    const auto mode = rewards::parse_commute_mode(e.moyen_deplacement);
    c.travel_mode = mode ? std::string(rewards::travel_mode(*mode)) : "";
    if (in.gazetteer) {
      if (auto located = in.gazetteer->locate(e.adresse_complete)) {
        c.address_match = std::string(integrations::match_name(located->match));
        c.commune = located->commune->name;
        in_workplace_commune = located->commune->insee == workplace_commune;
        if (located->match == integrations::LocationMatch::postcode_mismatch)
          issues.add("employees", key, e.id, "postcode_matches_city", "warning",
                     "le code postal de " + in_quotes(e.adresse_complete) + " n'est pas celui de " +
                         c.commune);
        else if (located->match == integrations::LocationMatch::no_postcode)
          issues.add("employees", key, e.id, "address_has_postcode", "warning",
                     "adresse sans code postal : " + in_quotes(e.adresse_complete));
        else if (located->match == integrations::LocationMatch::postcode_only)
          issues.add("employees", key, e.id, "address_located", "warning",
                     "ville introuvable, commune du code postal retenue : " +
                         in_quotes(e.adresse_complete));
      } else {
        c.address_match = "not_found";
        issues.add("employees", key, e.id, "address_located", "warning",
                   "adresse non localisée : " + in_quotes(e.adresse_complete));
      }
    }
    if (!c.travel_mode.empty()) {
      if (auto it = known.find({e.adresse_complete, c.travel_mode}); it != known.end()) {
        c.distance_m = it->second.distance_m;
        c.distance_source = it->second.provider;
        c.distance_estimate = it->second.provider == "offline";
        if (c.distance_estimate && in_workplace_commune)
          issues.add("commutes", key, e.id, "distance_within_commune", "info",
                     fmt::format("distance estimée dans la commune du lieu de travail ({}) : "
                                 "{:.1f} km, moyenne entre deux points d'un disque de la taille "
                                 "de la commune, pas un trajet calculé",
                                 c.commune, *c.distance_m / 1000.0));
      }
      const auto decision = rewards::decide_sport_bonus(
          {e.salaire_brut_cents, mode,
           c.distance_m ? std::optional<double>(*c.distance_m / 1000.0) : std::nullopt},
          in.rules);
      if (decision.reason == rewards::BonusReason::distance_unknown)
        issues.add("commutes", key, e.id, "distance_known", "warning",
                   "distance domicile-travail inconnue : pas de prime (dans le doute)");
      else if (decision.declaration_anomaly)
        issues.add("commutes", key, e.id, "within_threshold", "warning",
                   std::string(rewards::reason_text_fr(decision.reason)) +
                       fmt::format(" ({:.1f} km, seuil {:.0f} km)", *c.distance_m / 1000.0,
                                   *decision.threshold_km));
    }
    silver.commutes.push_back(std::move(c));
  }
}

// The open failures of the jobs (job_failures, lakehouse/job_failures.hpp): an item a job
// skipped so that the others could go on. Keyed like the row it concerns. The notify failures
// belong to the activities' part (`notify_part`, for the keys of `notify_keys`, every one when
// empty), the others to the employees' part.
void report_job_failures(const SilverInputs& in, bool notify_part,
                         const NotifyKeys& notify_keys, Issues& issues) {
  if (!in.job_failures) return;
  const BronzeState& f = *in.job_failures;
  for (size_t row : f.rows()) {
    const std::string job = f.text("job", row).value_or("");
    const std::string item = f.text("item", row).value_or("");
    const std::string error = clean_text(f.text("error", row).value_or(""), 300);
    const int64_t failures = f.integer("failures", row).value_or(1);
    const std::string times = failures > 1 ? fmt::format(" ({} essais)", failures) : "";
    const auto space = item.find(' ');
    const std::string item_key = space == std::string::npos ? item : item.substr(space + 1);
    const auto employee = f.integer("employee_id", row);
    // A Kafka record a consumer could not read concerns no row of ours: the jobs' part.
    const bool log_record = item.starts_with("kafka ");
    if ((job == "notify" && !log_record) != notify_part) continue;
    if (notify_part && notify_keys && !notify_keys(item_key)) continue;
    if (log_record) {
      issues.add("jobs", job + " " + item, employee, job + "_failed", "warning",
                 "message Kafka illisible, ignoré" + times + " : " + error);
    } else if (job == "distances") {
      issues.add("commutes", employee ? std::to_string(*employee) : item_key, employee,
                 "distances_failed", "warning",
                 "distance domicile-travail non calculée" + times + " : " + error);
    } else if (job == "notify") {
      issues.add("activities", item_key, employee, "notify_failed", "warning",
                 "annonce Slack non mise en file" + times + " : " + error);
    } else if (job == "publish") {
      issues.add("gold", item, employee, "publish_failed", "error",
                 "ligne Gold refusée par PostgreSQL, non publiée" + times + " : " + error);
    } else {
      issues.add("jobs", job + " " + item, employee, job + "_failed", "warning", error);
    }
  }
}

}  // namespace

Employee employee_columns(const BronzeState& b, size_t row) {
  Employee e;
  e.id = b.integer("id", row).value_or(0);
  e.nom = b.text("nom", row).value_or("");
  e.prenom = b.text("prenom", row).value_or("");
  e.date_naissance = b.date("date_naissance", row);
  e.date_embauche = b.date("date_embauche", row);
  e.business_unit = b.text("business_unit", row).value_or("");
  e.salaire_brut_cents = b.cents("salaire_brut", row).value_or(0);
  e.contrat = b.text("contrat", row).value_or("");
  if (auto cp = b.integer("nb_conges_payes", row)) e.nb_conges_payes = static_cast<int32_t>(*cp);
  e.adresse_complete = b.text("adresse_complete", row).value_or("");
  e.moyen_deplacement = b.text("moyen_deplacement", row).value_or("");
  return e;
}

void build_employees_part(const SilverInputs& inputs, Silver& silver) {
  SilverRows out(silver);
  Issues issues(out);
  build_employees(inputs, silver, issues);
  build_commutes(inputs, silver, issues);
  report_job_failures(inputs, false, {}, issues);
}

void build_activities_part(const SilverInputs& inputs, const IdSet& employees,
                           const NotifyKeys& notify_keys, SilverOut& out) {
  if (inputs.activities) build_activity_rows(inputs, employees, inputs.activities->rows(), out);
  build_notify_findings(inputs, notify_keys, out);
}

void build_activity_rows(const SilverInputs& inputs, const IdSet& employees,
                         std::span<const size_t> rows, SilverOut& out) {
  Issues issues(out);
  build_activities(inputs, employees, rows, out, issues);
}

void build_notify_findings(const SilverInputs& inputs, const NotifyKeys& notify_keys,
                           SilverOut& out) {
  Issues issues(out);
  report_job_failures(inputs, true, notify_keys, issues);
}

bool owned_by_activity(const DqIssue& issue) { return issue.table == "activities"; }

void SilverRows::activity(const ActivityView& v) {
  Activity& a = silver_.activities.emplace_back();
  a.activity_id = v.activity_id;
  a.employee_id = v.employee_id;
  a.name = v.name;
  a.sport_type = v.sport_type;
  a.distance_m = v.distance_m;
  a.moving_time_s = v.moving_time_s;
  a.elapsed_time_s = v.elapsed_time_s;
  a.start_date_utc_us = v.start_date_utc_us;
  a.start_date_local_us = v.start_date_local_us;
  a.commute = v.commute;
  a.calories = v.calories;
  a.start_year = v.start_year;
  a.start_month = v.start_month;
}

void SilverRows::issue(const DqIssueView& v) {
  silver_.issues.push_back({std::string(v.table), std::string(v.key), std::string(v.rule),
                            std::string(v.severity), std::string(v.reason), v.employee_id});
}

SilverColumns::SilverColumns()
    : activities_(silver_specs().activity_views),
      issues_(silver_specs().dq_issue_views),
      issue_texts_(k_rows_per_block) {}

void SilverColumns::issue(const DqIssueView& v) {
  auto& texts = issue_texts_[issues_.slot()];
  std::array<std::string_view, 5> from{v.table, v.key, v.rule, v.severity, v.reason};
  for (size_t i = 0; i < texts.size(); ++i) texts[i].assign(from[i]);
  issues_.append({texts[0], texts[1], texts[2], texts[3], texts[4], v.employee_id});
}

void SilverColumns::reuse(columnar::RecordBatch&& activities, columnar::RecordBatch&& issues) {
  activities_.reuse(std::move(activities));
  issues_.reuse(std::move(issues));
}

namespace {

template <class Row>
void set_month_of_start(Row& activity) {
  const auto start = activity.start_date_local_us ? activity.start_date_local_us
                                                  : activity.start_date_utc_us;
  if (!start) return;
  const CivilDate date = civil_from_days(floor_div(*start, k_day_us));
  activity.start_year = date.year;
  activity.start_month = date.month;
}

}  // namespace

void set_start_month(Activity& activity) { set_month_of_start(activity); }
void set_start_month(ActivityView& activity) { set_month_of_start(activity); }

Silver build_silver(const SilverInputs& inputs) {
  Silver silver;
  build_employees_part(inputs, silver);
  IdSet employees;
  for (const auto& e : silver.employees) employees.insert(e.id);
  SilverRows out(silver);
  build_activities_part(inputs, employees, {}, out);
  return silver;
}

}  // namespace sl::lakehouse
