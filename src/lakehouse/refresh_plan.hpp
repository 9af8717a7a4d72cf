// What an incremental refresh rebuilds, from what changed in Bronze: the dependencies of Silver
// (silver_build.hpp) and Gold (gold_build.hpp), written down once. Pure, unit-tested.
//
//   Silver row or finding             depends on
//   employees[id] and its findings    rh_employees[id], sport_activities[id]
//   sport_profiles findings [id]      sport_activities[id], whether rh_employees holds id
//   commutes[e] and its findings      employees[e] (kept or not, address, mode, salary),
//                                     distance_cache (origin = the address, destination, mode),
//                                     the gazetteer, the rules
//   job findings (not notify)         job_failures
//   activities[a] and its findings    strava_activities[a], whether Silver's employees hold its
//                                     employee (employee_exists, whether or not another rule
//                                     rejects it too), the time of the check
//                                     (not_in_future)
//   notify_failed [a]                 job_failures[notify, "activity <a>"]
//   Gold of year Y                    all of Silver's employees and commutes, the activities whose
//                                     local start falls in Y, the number of findings by
//                                     severity, the rules
//
// Hence a refresh rebuilds:
// - Silver's employees' part (employees, commutes, the findings not about an activity) whole when
//   one of the small tables changed (rh_employees, sport_activities, distance_cache,
//   job_failures: about one row per employee or address);
// - the activities' part for the activities that changed, those of every employee who entered or
//   left Silver's employees (found in Silver's activities, or among the activities' findings:
//   a rejected activity is only there), those whose notify failure changed, and those no longer
//   in the future;
// - the year's Gold when anything in Silver changed (its KPIs count every finding).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sl::lakehouse {

// The employees who entered or left Silver's employees between two sets of ids.
std::set<int64_t> employees_in_or_out(const std::unordered_set<int64_t>& before,
                                      const std::unordered_set<int64_t>& after);

struct ActivityDependencies {
  std::vector<int64_t> changed;  // keys of strava_activities' changes since the watermark
  std::set<int64_t> employees_in_or_out;
  // Silver before the refresh: (activity, employee) of its activities, and (activity key,
  // employee) of the activities' findings — a rejected activity (for any rule: its
  // employee_exists finding comes and goes with its employee) is only there.
  // Only those of employees_in_or_out matter; the others may be given too.
  std::vector<std::pair<int64_t, int64_t>> silver_activities;
  std::vector<std::pair<std::string, int64_t>> rejected_activity_findings;
  std::vector<std::string> notify_items;  // activity keys of job_failures' notify changes
  std::vector<int64_t> now_due;           // activities that were in the future at the last check
};

struct ActivityRebuild {
  std::vector<int64_t> activities;  // sorted, unique: rows and findings rebuilt
  // Keys of findings rebuilt (owned_by_activity) that are no activity id (a notify item that
  // does not parse as one): only those findings are replaced. The findings of `activities` are
  // rebuilt too, keyed by the id as text: not listed as strings, so a plan of 150,000 activities
  // holds 8 B each.
  std::set<std::string> other_finding_keys;
  bool empty() const { return activities.empty() && other_finding_keys.empty(); }
  // Whether the findings of key `key` (a dq_issues row_key) are rebuilt.
  bool rebuilds_findings_of(std::string_view key) const;
};

ActivityRebuild activities_to_rebuild(const ActivityDependencies& d);

}  // namespace sl::lakehouse
