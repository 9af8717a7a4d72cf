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

#include <array>
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
#include "lakehouse/table_builder.hpp"
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

// Where the activities' part goes as it is built (and the findings of the employees' part):
// held as rows (`SilverRows`: build_silver, the tests, the incremental refresh), or straight into
// their tables' columns (`SilverColumns`: the full refresh's pieces, no string made per row).
// `activity`'s texts must stay valid until the rows are taken (they are Bronze's, which outlives
// its piece); `issue`'s during the call only (a reason is formatted in a reused buffer).
class SilverOut {
 public:
  virtual ~SilverOut() = default;
  virtual void activity(const ActivityView& activity) = 0;
  virtual void issue(const DqIssueView& issue) = 0;
};

// Into a Silver held as rows.
class SilverRows final : public SilverOut {
 public:
  explicit SilverRows(Silver& silver) : silver_(silver) {}
  void activity(const ActivityView& activity) override;
  void issue(const DqIssueView& issue) override;

 private:
  Silver& silver_;
};

// Into the columns of Silver's activities and dq_issues (lake_tables.hpp's specs), a piece at a
// time: `take_*` hands a piece's columns over, `reuse` gives them back once written, so the next
// piece is built in their buffers (the builder thread then allocates next to nothing: each
// allocation took malloc's one arena lock, shared with the writer thread — src/lakehouse/README.md
// "The malloc lock").
class SilverColumns final : public SilverOut {
 public:
  SilverColumns();
  void activity(const ActivityView& activity) override { activities_.append(activity); }
  void issue(const DqIssueView& issue) override;
  columnar::RecordBatch take_activities() { return activities_.take(); }
  columnar::RecordBatch take_issues() { return issues_.take(); }
  void reuse(columnar::RecordBatch&& activities, columnar::RecordBatch&& issues);

 private:
  SpecRows<ActivityView> activities_;
  SpecRows<DqIssueView> issues_;
  // A finding's texts per slot of the block being built (SpecRows::slot), until it is filled in.
  std::vector<std::array<std::string, 5>> issue_texts_;
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
                           const NotifyKeys& notify_keys, SilverOut& out);

// Part 2 in pieces (the full refresh streams the activities file by file): the rules over chosen
// rows of `inputs.activities`, and the notify failures (once).
void build_activity_rows(const SilverInputs& inputs, const IdSet& employees,
                         std::span<const size_t> rows, SilverOut& out);
void build_notify_findings(const SilverInputs& inputs, const NotifyKeys& notify_keys,
                           SilverOut& out);

// A finding of part 2, keyed by an activity id (its rules, unconverted values, notify failures).
bool owned_by_activity(const DqIssue& issue);

// An employee's source columns (Bronze's rh_employees and Silver's employees name them alike).
Employee employee_columns(const BronzeState& state, size_t row);

// The month an activity is filed under in Silver (Activity::start_year/start_month).
void set_start_month(Activity& activity);
void set_start_month(ActivityView& activity);

}  // namespace sl::lakehouse
