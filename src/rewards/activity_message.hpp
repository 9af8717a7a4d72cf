// The French Slack message announcing a new activity (DESIGN §1, reference/external-apis.md §7.3):
// "Bravo Juliette Mendes ! Tu viens de courir 10,9 km en 1 h 17 min ! Quelle énergie ! 🔥🏅"
//
// Formatting rules (the scoping note's examples are not consistent with each other, so we chose
// and test these):
// - distance in km with one decimal and a decimal comma, rounded to the nearest 100 m
//   (10,879 m → "10,9 km"; whole numbers keep their ",0": "10,0 km"); swims in metres
//   ("1 500 m", narrow no-break space as the thousands separator);
// - time is the moving time (Strava's "en 46 min"), else the elapsed time, rounded to the
//   minute: "46 min", "1 h 17 min", "2 h" (at least "1 min");
// - one sentence per kind of sport (run, walk, hike, ride, swim, other with a distance, other
//   without), each with its emoji; the comment, if any, follows in French quotes;
// - sports without a distance (tennis, climbing, team sports, workouts) give the duration only.
// The message is a pure function of the activity: the same activity always gives the same text
// (a notification that is retried or audited says the same thing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sl::rewards {

struct ActivityAnnouncement {
  std::string first_name;
  std::string last_name;
  std::string sport_type;   // Strava's sport_type: Run, Walk, Hike, Ride, Swim, Workout, Tennis...
  std::string sport_label;  // the French name of the sport ("Rugby", "Tennis de table"...)
  double distance_m = 0;    // 0: no distance (indoor sports)
  int64_t moving_time_s = 0;
  int64_t elapsed_time_s = 0;
  std::string comment;  // the activity's description, may be empty
};

std::string activity_message(const ActivityAnnouncement& activity);

// Helpers, exposed for tests: "10,9 km", "1 500 m", "1 h 17 min".
std::string format_km(double metres);
std::string format_metres(double metres);
std::string format_duration(int64_t seconds);

}  // namespace sl::rewards
