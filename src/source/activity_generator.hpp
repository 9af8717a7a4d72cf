// ActivityGenerator: Strava-shaped activities for employees with a declared sport (pure, seeded).
//
// Same seed, same employees, same `as_of` and same first id ⇒ the same activities, byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sl::source {

// How a declared sport (data_sport.csv label) becomes Strava activities.
struct SportProfile {
  std::string_view label;        // normalised French label, e.g. "randonnee"
  std::string_view type;         // Strava legacy `type`
  std::string_view sport_type;   // Strava `sport_type`
  std::string_view french_name;  // "Course à pied", used in activity names
  double min_km, max_km;         // 0, 0 for sports without distance (indoor, court, team sports)
  double min_kmh, max_kmh;       // speed range when there is a distance
  int min_minutes, max_minutes;  // duration range when there is no distance
  double met;                    // metabolic equivalent, for calories
  double max_elev_per_km;        // elevation gain per km (hikes climb, swims do not)
};

// The profile of a declared sport (labels of data_sport.csv, typos like "Runing" included);
// unknown labels get a generic "Workout" profile.
const SportProfile& profile_for(std::string_view declared_sport);
// Every known profile, for tests.
const std::vector<SportProfile>& sport_profiles();

struct Practitioner {
  int64_t employee_id;
  std::string first_name;
  std::string last_name;
  std::string sport;  // as declared
};

struct Activity {
  int64_t activity_id;
  int64_t employee_id;
  std::string name;
  double distance_m;
  int moving_time_s;
  int elapsed_time_s;
  double total_elev_gain_m;
  std::string type;
  std::string sport_type;
  int64_t start_utc_us;    // microseconds since the epoch, UTC
  int64_t start_local_us;  // wall-clock time in Europe/Paris, as microseconds "since the epoch"
  std::string timezone;    // "(GMT+01:00) Europe/Paris"
  int utc_offset_s;
  bool commute, manual, is_private, flagged;
  double calories;
  std::optional<std::string> description;  // a French comment, sometimes
  std::string raw_payload;                 // Strava's activity object (JSON)
};

// Europe/Paris offset at a UTC instant (EU rule: +2h from the last Sunday of March 01:00 UTC to
// the last Sunday of October 01:00 UTC, else +1h).
int paris_utc_offset_s(int64_t utc_seconds);

class ActivityGenerator {
 public:
  ActivityGenerator(std::vector<Practitioner> practitioners, uint64_t seed,
                    int64_t first_activity_id);

  // One activity that ended just before `now_utc_s` (live simulation).
  Activity next_live(int64_t now_utc_s);
  // A realistic history over the `months` before `as_of_utc_s`: each practitioner gets a habit
  // (from occasional to very regular), so some end up above and some below 15 activities a year.
  std::vector<Activity> backfill(int months, int64_t as_of_utc_s);

 private:
  Activity make(const Practitioner& who, int64_t start_utc_s);
  std::string payload(const Activity& a, const Practitioner& who) const;

  std::vector<Practitioner> practitioners_;
  std::mt19937_64 rng_;
  int64_t next_id_;
};

}  // namespace sl::source
