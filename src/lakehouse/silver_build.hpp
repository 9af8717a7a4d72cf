// Bronze → Silver: the current state of the source tables, typed, normalised and checked.
// Pure over its inputs (the Bronze states, the gazetteer, the time of the check), so a test or a
// recomputation gives the same Silver.
//
// Data-quality rules (each finding is a DqIssue: `error` rejects the row from Silver, `warning`
// keeps it and reports it, `info` records a correction):
// employees: salary_positive (error), commute_mode_known (error), hire_after_birth (warning:
//   hired before 16), address_well_formed (warning: "street, postcode city"), address_located /
//   postcode_matches_city / address_has_postcode (warning, with a gazetteer); sport_profiles:
//   name_encoding (info: a double-encoded name "Ã©" repaired, text_repair.hpp; warning when it
//   looks damaged but the repair is ambiguous); sport_profiles:
//   sport_label_normalised (info, "Runing"), employee_exists (warning); activities: employee_exists
//   (error), distance_non_negative (error), elapsed_positive (error), not_in_future (error),
//   moving_within_elapsed (warning), speed_plausible (warning, per sport: bike-like 6-50 km/h,
//   run/walk/hike 3-20, swim 1.5-18, other 0.5-60); commutes: distance_known (warning: no bonus),
//   within_threshold (warning: a declaration anomaly, worded as a likely error beyond 2x),
//   distance_within_commune (info: an offline estimate for a home in the workplace's commune is
//   the mean distance inside a disc of the commune's size, integrations/offline_distance.hpp);
//   bronze:
//   value_converted (warning, values kept as text in _unconverted); jobs (job_failures, the rows
//   a job skipped so the others went on): distances_failed (commutes, warning: no distance, so no
//   bonus for that employee), notify_failed (activities, warning), publish_failed (gold, error: a
//   Gold row PostgreSQL refused, missing from the `gold` schema). Quoted values are cut to 200
//   bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "integrations/gazetteer.hpp"
#include "lakehouse/bronze_state.hpp"
#include "lakehouse/id_set.hpp"
#include "lakehouse/silver_model.hpp"
#include "rewards/rules.hpp"

namespace sl::lakehouse {

struct SilverInputs {
  const BronzeState* employees = nullptr;              // rh_employees
  const BronzeState* sports = nullptr;                 // sport_activities
  const BronzeState* activities = nullptr;             // strava_activities
  const BronzeState* distances = nullptr;              // distance_cache
  const BronzeState* job_failures = nullptr;           // job_failures
  const integrations::Gazetteer* gazetteer = nullptr;  // address checks when present
  std::string destination;  // the workplace, as distance_cache's destination
  int64_t now_us = 0;       // for "activity in the future"
  rewards::RewardRules rules;
};

// Silver is built in two parts, which the incremental refresh rebuilds separately
// (refresh_plan.hpp lists what depends on what):
// 1. the employees' part, from the small tables (rh_employees, sport_activities, distance_cache,
//    job_failures): employees, commutes, and every finding not about an activity;
// 2. the activities' part, from strava_activities, the ids of the employees part 1 kept and
//    job_failures: activities and the findings of table "activities" (owned_by_activity).
// build_silver is 1 then 2 over every row.
Silver build_silver(const SilverInputs& inputs);

// Part 1: appends to silver.employees, silver.commutes, silver.issues (`inputs.activities` unused).
void build_employees_part(const SilverInputs& inputs, Silver& silver);

// Which activity keys' notify failures to report (empty: every one).
using NotifyKeys = std::function<bool(std::string_view)>;

// Part 2 over the activities of `inputs.activities` (a whole state, or only the keys being
// rebuilt), checked against `employees` (the ids of Silver's employees). `notify_keys`: the
// activity keys whose notify failures to report (empty: every one).
void build_activities_part(const SilverInputs& inputs, const IdSet& employees,
                           const NotifyKeys& notify_keys, Silver& silver);

// Rows of a piece already written, given back so that the next piece's rows are built in them:
// their strings keep their capacity, so the full refresh's builder thread allocates next to
// nothing per row (malloc's one arena is shared with the writer thread, and each allocation took
// its lock: src/lakehouse/README.md "Both cores in the full refresh").
struct SpareRows {
  std::vector<Activity> activities;
  std::vector<DqIssue> issues;
};

// Part 2 in pieces (the full refresh streams the activities file by file): the rules over chosen
// rows of `inputs.activities`, and the notify failures (once). Rows are taken from `spare` (when
// given) before new ones are made.
void build_activity_rows(const SilverInputs& inputs, const IdSet& employees,
                         std::span<const size_t> rows, Silver& silver, SpareRows* spare = nullptr);
void build_notify_findings(const SilverInputs& inputs, const NotifyKeys& notify_keys,
                           Silver& silver);

// A finding of part 2, keyed by an activity id (its rules, unconverted values, notify failures).
bool owned_by_activity(const DqIssue& issue);

// An employee's source columns (Bronze's rh_employees and Silver's employees name them alike).
Employee employee_columns(const BronzeState& state, size_t row);

// The month an activity is filed under in Silver (Activity::start_year/start_month).
void set_start_month(Activity& activity);

}  // namespace sl::lakehouse
