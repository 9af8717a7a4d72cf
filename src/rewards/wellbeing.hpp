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

// What the decision needs of an employee's activities of one year, when each id comes once
// (Silver's activities: one row per id, replays already absorbed): how many count, the first and
// the last. 24 B per employee, where decide_wellbeing's facts hold 24 B per activity, so Gold
// keeps a tally per employee instead of every activity of the year.
class WellbeingTally {
 public:
  explicit WellbeingTally(int year = 0) : year_(year) {}
  // A tally as stored (Gold keeps one per employee and Silver partition, a month): `first` and
  // `last` matter only when `activities` > 0.
  WellbeingTally(int year, int activities, int64_t first, int64_t last)
      : year_(year), activities_(activities), first_(first), last_(last) {}
  void add(const ActivityFact& activity);  // counted if counts_for_wellbeing
  // Adds another tally of the same year, over other activities: the result is the tally of
  // both sets (in any order), so tallies of a year's months combine into the year's.
  void merge(const WellbeingTally& other);
  // The same decision as decide_wellbeing on the activities added.
  WellbeingDecision decide(const RewardRules& rules) const;
  int activities() const { return activities_; }
  int64_t first() const { return first_; }
  int64_t last() const { return last_; }

 private:
  int year_;
  int activities_ = 0;
  int64_t first_ = 0, last_ = 0;  // of the counted ones, when activities_ > 0
};

}  // namespace sl::rewards
