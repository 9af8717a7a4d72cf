// Silver → Gold for one year: the sport bonus and the well-being days of every employee (with
// the reason of each decision), the year's KPIs overall and by business unit, and activities
// per month and sport; the distribution of sporty commute distances (1 km bins) and of how many
// activities employees are short of the well-being days, so the dashboard's viewer role draws
// them without per-employee rows (both written to the lake only, not published). Pure: the same Silver, rules and year always give the same Gold, so any
// past year can be recomputed under any rule set.
//
// Who is counted in year Y: every employee of Silver hired before the end of Y (the HR file has
// no departure date: a departure is a delete in the source, gone from Silver). The bonus uses
// the current salary, mode and address (the HR file keeps no history of them); well-being counts
// the activities whose local start date falls in Y.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lakehouse/silver_model.hpp"
#include "rewards/rules.hpp"
#include "rewards/wellbeing.hpp"

namespace sl::lakehouse {

// Silver's findings as Gold's KPIs count them.
struct FindingCounts {
  int64_t errors = 0;
  int64_t warnings = 0;
  void add(const DqIssue& issue) {
    errors += issue.severity == "error";
    warnings += issue.severity == "warning";
  }
};

// What Gold needs of Silver's activities, taken one activity at a time (24 B per activity of the
// year, not the activity): the full refresh feeds it while it builds Silver, so Silver's
// activities need not stay in memory until Gold is built.
class YearActivities {
 public:
  explicit YearActivities(int year) : year_(year) {}
  void add(const Activity& activity);

 private:
  friend Gold build_gold(const std::vector<Employee>&, const std::vector<Commute>&,
                         const YearActivities&, const FindingCounts&, int,
                         const rewards::RewardRules&);
  int year_;
  std::unordered_map<int64_t, std::vector<rewards::ActivityFact>> facts_;  // per employee
  // (month, sport), found by a (month, sport view): no string built per activity.
  struct MonthSportLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<int, std::string_view>(a.first, a.second) <
             std::pair<int, std::string_view>(b.first, b.second);
    }
  };
  std::map<std::pair<int, std::string>, ActivityMonthly, MonthSportLess> monthly_;
};

// What Gold of one year reads of Silver, never Silver's activity or finding rows: the small
// tables (about one row per employee) whole, the activities and findings as Gold counts them.
// The full refresh fills it while it builds Silver; the incremental one reads it back from the
// lake one data file at a time (silver_store.hpp, read_silver_for_gold).
struct GoldInputs {
  explicit GoldInputs(int year) : activities(year) {}
  std::vector<Employee> employees;
  std::vector<Commute> commutes;
  YearActivities activities;
  FindingCounts findings;
};

Gold build_gold(const std::vector<Employee>& employees, const std::vector<Commute>& commutes,
                const YearActivities& activities, const FindingCounts& findings, int year,
                const rewards::RewardRules& rules);
Gold build_gold(const GoldInputs& in, int year, const rewards::RewardRules& rules);
// The same over a Silver held whole.
Gold build_gold(const Silver& silver, int year, const rewards::RewardRules& rules);

}  // namespace sl::lakehouse
