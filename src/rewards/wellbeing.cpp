// The well-being days decision.
#include "rewards/wellbeing.hpp"

#include <algorithm>
#include <utility>
#include <vector>

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
  // Each accepted id once, as its first fact: a stable sort of the accepted (id, start) pairs by
  // id, 16 B each (a hash set of the ids seen cost ~40 B per activity: tens of MB for an
  // employee with hundreds of thousands, in `up`'s memory budget).
  std::vector<std::pair<int64_t, int64_t>> counted;
  counted.reserve(activities.size());
  for (const auto& a : activities)
    if (counts_for_wellbeing(a, year)) counted.emplace_back(a.activity_id, a.start_local_us);
  auto by_id = [](const auto& x, const auto& y) { return x.first < y.first; };
  // Mostly in id order already (Silver's files are sorted by id): no sort then.
  if (!std::is_sorted(counted.begin(), counted.end(), by_id))
    std::stable_sort(counted.begin(), counted.end(), by_id);
  WellbeingTally tally(year);
  for (size_t i = 0; i < counted.size(); ++i) {
    if (i > 0 && counted[i].first == counted[i - 1].first) continue;
    tally.add({counted[i].first, counted[i].second, false});
  }
  return tally.decide(rules);
}

void WellbeingTally::add(const ActivityFact& activity) {
  if (!counts_for_wellbeing(activity, year_)) return;
  const int64_t start = activity.start_local_us;
  first_ = activities_ == 0 ? start : std::min(first_, start);
  last_ = activities_ == 0 ? start : std::max(last_, start);
  ++activities_;
}

void WellbeingTally::merge(const WellbeingTally& other) {
  if (other.activities_ == 0) return;
  first_ = activities_ == 0 ? other.first_ : std::min(first_, other.first_);
  last_ = activities_ == 0 ? other.last_ : std::max(last_, other.last_);
  activities_ += other.activities_;
}

WellbeingDecision WellbeingTally::decide(const RewardRules& rules) const {
  WellbeingDecision d;
  d.activities = activities_;
  if (activities_ > 0) {
    d.first_local_us = first_;
    d.last_local_us = last_;
  }
  d.eligible = d.activities >= rules.wellbeing_min_activities;
  d.days = d.eligible ? rules.wellbeing_days : 0;
  d.missing = d.eligible ? 0 : rules.wellbeing_min_activities - d.activities;
  return d;
}

}  // namespace sl::rewards
