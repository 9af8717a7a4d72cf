// The HR reward rules (DESIGN §1) as parameters: they change over time, so every computation takes
// them as an argument and a past year can be recomputed under any rule set.
#pragma once

#include <cstdint>

namespace sl::rewards {

struct RewardRules {
  // Sport bonus: `bonus_rate` of the gross annual salary for a sporty commute whose home → work
  // distance is at most the mode's threshold.
  double bonus_rate = 0.05;
  double walk_max_km = 15;  // Marche/running
  double bike_max_km = 25;  // Vélo/Trottinette/Autres
  // A declared sporty commute beyond this multiple of its threshold is a likely declaration error
  // (beyond the threshold alone: a declaration anomaly).
  double likely_error_factor = 2;
  // Well-being days: `wellbeing_days` for at least `wellbeing_min_activities` activities in the
  // year (commutes excluded: the bonus rewards those).
  int wellbeing_min_activities = 15;
  int wellbeing_days = 5;
};

}  // namespace sl::rewards
