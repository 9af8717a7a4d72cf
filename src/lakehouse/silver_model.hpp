// Silver and Gold rows as plain structs: Silver is the current, typed, cleaned state of the
// source (built from Bronze), Gold the HR rewards and KPIs of one year (built from Silver).
// The jobs build them in memory, then write them as Delta tables and publish Gold to PostgreSQL;
// each table's columns there (names, types, which member) are described once, in lake_tables.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sl::lakehouse {

// ---- Silver ----

struct Employee {
  int64_t id = 0;
  std::string nom, prenom;
  std::optional<int32_t> date_naissance;  // days since 1970-01-01
  std::optional<int32_t> date_embauche;
  std::string business_unit;
  int64_t salaire_brut_cents = 0;
  std::string contrat;
  std::optional<int32_t> nb_conges_payes;
  std::string adresse_complete;
  std::string moyen_deplacement;  // as declared
  std::string commute_mode;       // walk_run, bike_scooter, car, public_transport, unknown
  std::string sport_declared;     // "" when none
  std::string sport;              // normalised ("Runing" → "Course à pied"), "" when none
};

// A Silver activity: `Activity` holds its texts (a row kept: the tests, the incremental refresh's
// pieces), `ActivityView` points at them where they are (Bronze's state, while it lives): the full
// refresh builds its columns from views, with no string made per row (lakehouse/README "The
// builder in columns"). One list of members for both, so both go through the same spec.
template <class Text>
struct ActivityOf {
  int64_t activity_id = 0;
  int64_t employee_id = 0;
  Text name;
  Text sport_type;
  std::optional<double> distance_m;
  std::optional<int32_t> moving_time_s;
  std::optional<int32_t> elapsed_time_s;
  std::optional<int64_t> start_date_utc_us;
  std::optional<int64_t> start_date_local_us;
  bool commute = false;
  std::optional<double> calories;
  // The table's partition (silver_layout.hpp): the month of the local start date, of the UTC one
  // when the local one is unknown (an activity without a start is rejected).
  int32_t start_year = 0;
  int32_t start_month = 0;
};
using Activity = ActivityOf<std::string>;
using ActivityView = ActivityOf<std::string_view>;

struct Commute {
  int64_t employee_id = 0;
  std::string adresse_complete;
  std::string moyen_deplacement;
  std::string travel_mode;  // walking, bicycling, "" for non-sporty modes
  std::optional<double> distance_m;
  std::string distance_source;  // provider: google_distance_matrix, google_routes, offline, ""
  bool distance_estimate = false;
  std::string address_match;  // gazetteer: exact, postcode_mismatch, no_postcode, postcode_only,
                              // not_found, "" (not checked)
  std::string commune;        // the located commune, "" when not located
};

// A data-quality finding; as for activities, `DqIssueView` is one whose texts are elsewhere.
template <class Text>
struct DqIssueOf {
  Text table;     // employees, sport_profiles, activities, commutes
  Text key;       // the row's key as text
  Text rule;      // e.g. salary_positive, speed_plausible
  Text severity;  // error (row rejected), warning (kept, reported), info
  Text reason;    // in French, for people
  // The employee the finding concerns (an activity's owner, a commute's employee, a failed
  // distance's employee...), so an employee's findings are one filter away (`sportlake
  // explain`); nullopt when it concerns no one employee (a Gold row of a BU, a job's item).
  std::optional<int64_t> employee_id;
};
using DqIssue = DqIssueOf<std::string>;
using DqIssueView = DqIssueOf<std::string_view>;

struct Silver {
  std::vector<Employee> employees;
  std::vector<Activity> activities;
  std::vector<Commute> commutes;
  std::vector<DqIssue> issues;
};

// ---- Gold's parts: what Gold reads of Silver's activities, per Silver partition ----
// Kept in the Silver layer (gold_parts.hpp), so that an incremental refresh recomputes only
// the months whose Silver files changed. Each row carries the fingerprint of its partition's
// Silver activity files it was computed from: a part that does not match them is not used.

// One employee's well-being tally of the activities filed under one month (employees with at
// least one counted activity only).
struct WellbeingPart {
  int32_t start_year = 0;  // the Silver partition
  int32_t start_month = 0;
  int64_t employee_id = 0;
  int32_t activities = 0;         // counted (rewards::counts_for_wellbeing)
  int64_t first_activity_us = 0;  // local time, of the counted ones
  int64_t last_activity_us = 0;
  int64_t silver_files = 0;
};

// One sport's totals of the activities filed under one month, as exact sums (integers): added
// in any order they give the same Gold.
struct MonthlyPart {
  int32_t start_year = 0;
  int32_t start_month = 0;
  std::string sport_type;
  int64_t activities = 0;
  int64_t distance_mm = 0;  // millimetres
  int64_t moving_s = 0;
  int64_t silver_files = 0;
};

// ---- Gold (one year) ----

struct PrimeSportive {
  int32_t year = 0;
  int64_t employee_id = 0;
  std::string nom, prenom, business_unit;
  int64_t salaire_brut_cents = 0;
  std::string moyen_deplacement;
  std::optional<double> distance_km;
  std::string distance_source;
  bool distance_estimate = false;
  std::optional<double> threshold_km;
  bool eligible = false;
  std::string reason;       // rewards::reason_code
  std::string reason_text;  // French
  bool declaration_anomaly = false;
  int64_t prime_cents = 0;
};

struct Wellbeing {
  int32_t year = 0;
  int64_t employee_id = 0;
  std::string nom, prenom, business_unit;
  int32_t activities = 0;
  std::optional<int64_t> first_activity_us;  // local time
  std::optional<int64_t> last_activity_us;
  bool eligible = false;
  int32_t days = 0;
  int32_t missing = 0;
};

struct KpiSummary {
  int32_t year = 0;
  int64_t employees = 0;
  int64_t sporty_commuters = 0;
  int64_t eligible_bonus = 0;
  int64_t total_bonus_cents = 0;
  int64_t max_bonus_cents = 0;  // if every sporty commuter were eligible
  int64_t declaration_anomalies = 0;
  int64_t unknown_distances = 0;
  int64_t wellbeing_eligible = 0;
  int64_t wellbeing_days = 0;
  int64_t activities = 0;
  int64_t dq_errors = 0;
  int64_t dq_warnings = 0;
};

struct KpiByBu {
  int32_t year = 0;
  std::string business_unit;
  int64_t employees = 0;
  int64_t eligible_bonus = 0;
  int64_t total_bonus_cents = 0;
  int64_t wellbeing_eligible = 0;
  int64_t activities = 0;
};

struct ActivityMonthly {
  int32_t year = 0;
  int32_t month = 0;
  std::string sport_type;
  int64_t activities = 0;
  double distance_km = 0;
  double moving_hours = 0;
};

// The dashboard's aggregates of per-employee rows (a viewer sees these, not the rows).
// Sporty commuters with a known distance per travel mode and 1 km bin: `km` is the bin's lower
// bound (distance_km rounded down), 50 holds every distance from 50 km on.
struct DistanceBin {
  int32_t year = 0;
  std::string travel_mode;  // walking, bicycling
  int32_t km = 0;
  int64_t employees = 0;
};
constexpr int32_t k_distance_bin_cap_km = 50;

// Employees by how many activities they are short of the well-being days (0: eligible).
struct WellbeingShortfall {
  int32_t year = 0;
  int32_t missing = 0;
  int64_t employees = 0;
};

struct Gold {
  std::vector<PrimeSportive> prime_sportive;
  std::vector<Wellbeing> wellbeing;
  KpiSummary summary;
  std::vector<KpiByBu> by_bu;
  std::vector<ActivityMonthly> monthly;
  std::vector<DistanceBin> distance_bins;
  std::vector<WellbeingShortfall> wellbeing_shortfall;
};

}  // namespace sl::lakehouse
