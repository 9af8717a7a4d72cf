// The well-being days decision.
#include "rewards/wellbeing.hpp"

#include <algorithm>
#include <unordered_set>

#include "common/civil_time.hpp"

namespace sl::rewards {

bool counts_for_wellbeing(const ActivityFact& activity, int year) {
  constexpr int64_t k_day_us = 86'400'000'000LL;
  const int64_t begin = days_from_civil({year, 1, 1}) * k_day_us;
  const int64_t end = days_from_civil({year + 1, 1, 1}) * k_day_us;
  return !activity.commute && activity.start_local_us >= begin && activity.start_local_us < end;
}

WellbeingDecision decide_wellbeing(const std::vector<ActivityFact>& activities, int year,
                                   const RewardRules& rules) {
  WellbeingDecision d;
  std::unordered_set<int64_t> seen;
  for (const auto& a : activities) {
    if (!counts_for_wellbeing(a, year)) continue;
    if (!seen.insert(a.activity_id).second) continue;
    ++d.activities;
    d.first_local_us = std::min(d.first_local_us.value_or(a.start_local_us), a.start_local_us);
    d.last_local_us = std::max(d.last_local_us.value_or(a.start_local_us), a.start_local_us);
  }
  d.eligible = d.activities >= rules.wellbeing_min_activities;
  d.days = d.eligible ? rules.wellbeing_days : 0;
  d.missing = d.eligible ? 0 : rules.wellbeing_min_activities - d.activities;
  return d;
}

}  // namespace sl::rewards
