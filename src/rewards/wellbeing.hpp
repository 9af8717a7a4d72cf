// Well-being days of one employee for one year: at least `wellbeing_min_activities` sport
// activities in the calendar year earn `wellbeing_days` days off (DESIGN §1).
//
// Choices: the year is the calendar year of each activity's local start date (what the employee
// sees in Strava); activities flagged as commutes are not counted (the sport bonus rewards the
// commute; these days reward sport outside work, as the scoping note says); an activity is
// counted once per id (a replayed change must not count twice).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rewards/rules.hpp"

namespace sl::rewards {

struct ActivityFact {
  int64_t activity_id = 0;
  int64_t start_local_us = 0;  // local start time, µs since the epoch as if it were UTC
  bool commute = false;
};

struct WellbeingDecision {
  int activities = 0;                     // counted in the year
  std::optional<int64_t> first_local_us;  // first counted activity
  std::optional<int64_t> last_local_us;   // last counted activity
  bool eligible = false;
  int days = 0;
  int missing = 0;  // activities still needed (0 when eligible)
};

// Does `activity` count towards `year`'s well-being days (local start date in the year, not a
// commute)? decide_wellbeing counts each id it accepts once; the explain page's monthly counts
// use the same test.
bool counts_for_wellbeing(const ActivityFact& activity, int year);

WellbeingDecision decide_wellbeing(const std::vector<ActivityFact>& activities, int year,
                                   const RewardRules& rules);

}  // namespace sl::rewards
