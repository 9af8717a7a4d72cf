// Sport profiles, Paris time, and the seeded generation of activities and their Strava payloads.
#include "source/activity_generator.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "source/hr_files.hpp"

namespace sl::source {

namespace {

const SportProfile k_workout = {"", "Workout", "Workout", "Séance de sport", 0, 0, 0, 0, 40,
                                90, 6.0,       0};

}  // namespace

const std::vector<SportProfile>& sport_profiles() {
  // label, type, sport_type, French name, km, km/h, minutes, MET, elevation per km
  static const std::vector<SportProfile> profiles = {
      {"runing", "Run", "Run", "Course à pied", 3, 21, 8.5, 13.5, 0, 0, 9.8, 12},
      {"running", "Run", "Run", "Course à pied", 3, 21, 8.5, 13.5, 0, 0, 9.8, 12},
      {"course a pied", "Run", "Run", "Course à pied", 3, 21, 8.5, 13.5, 0, 0, 9.8, 12},
      {"randonnee", "Hike", "Hike", "Randonnée", 5, 22, 3.0, 5.0, 0, 0, 6.0, 45},
      {"natation", "Swim", "Swim", "Natation", 0.5, 4, 2.0, 3.5, 0, 0, 8.0, 0},
      {"triathlon", "Ride", "Ride", "Entraînement triathlon", 20, 90, 22, 32, 0, 0, 8.0, 8},
      {"voile", "Sail", "Sail", "Sortie voile", 5, 40, 7, 15, 0, 0, 3.0, 0},
      {"equitation", "Workout", "Workout", "Équitation", 5, 25, 7, 14, 0, 0, 5.5, 10},
      {"tennis", "Tennis", "Tennis", "Tennis", 0, 0, 0, 0, 45, 120, 7.3, 0},
      {"badminton", "Badminton", "Badminton", "Badminton", 0, 0, 0, 0, 45, 90, 5.5, 0},
      {"tennis de table", "TableTennis", "TableTennis", "Tennis de table", 0, 0, 0, 0, 30, 90, 4.0,
       0},
      {"escalade", "RockClimbing", "RockClimbing", "Escalade", 0, 0, 0, 0, 60, 180, 8.0, 0},
      {"football", "Soccer", "Soccer", "Football", 0, 0, 0, 0, 60, 100, 7.0, 0},
      {"rugby", "Workout", "Workout", "Rugby", 0, 0, 0, 0, 60, 100, 8.3, 0},
      {"judo", "Workout", "Workout", "Judo", 0, 0, 0, 0, 45, 120, 10.3, 0},
      {"boxe", "Workout", "Workout", "Boxe", 0, 0, 0, 0, 45, 90, 9.0, 0},
      {"basketball", "Workout", "Workout", "Basketball", 0, 0, 0, 0, 45, 120, 6.5, 0},
      {"velo", "Ride", "Ride", "Sortie vélo", 10, 80, 18, 30, 0, 0, 8.0, 8},
      {"marche", "Walk", "Walk", "Marche", 2, 10, 4, 6, 0, 0, 3.5, 5},
  };
  return profiles;
}

const SportProfile& profile_for(std::string_view declared_sport) {
  std::string key = normalise_label(declared_sport);
  for (const auto& p : sport_profiles()) {
    if (p.label == key) return p;
  }
  return k_workout;
}

int paris_utc_offset_s(int64_t utc_seconds) {
  std::time_t t = static_cast<std::time_t>(utc_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int year = tm.tm_year + 1900;
  // Last Sunday of a month at 01:00 UTC.
  auto last_sunday_1am = [year](int month) {
    std::tm m{};
    m.tm_year = year - 1900;
    m.tm_mon = month;  // first day of the next month...
    m.tm_mday = 1;
    std::time_t first_next = timegm(&m);
    std::tm f{};
    gmtime_r(&first_next, &f);
    int back = f.tm_wday == 0 ? 7 : f.tm_wday;  // ...minus days back to the previous Sunday
    return static_cast<int64_t>(first_next) - back * 86400 + 3600;
  };
  int64_t summer_start = last_sunday_1am(3);  // month index 3 = April → last Sunday of March
  int64_t summer_end = last_sunday_1am(10);   // November → last Sunday of October
  return (utc_seconds >= summer_start && utc_seconds < summer_end) ? 7200 : 3600;
}

ActivityGenerator::ActivityGenerator(std::vector<Practitioner> practitioners, uint64_t seed,
                                     int64_t first_activity_id)
    : practitioners_(std::move(practitioners)), rng_(seed), next_id_(first_activity_id) {}

namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

std::string_view part_of_day(int local_hour) {
  if (local_hour < 12) return "le matin";
  if (local_hour < 18) return "l'après-midi";
  if (local_hour < 22) return "en soirée";
  return "de nuit";
}

const std::vector<std::string_view>& comments() {
  static const std::vector<std::string_view> list = {
      "Belle sortie sous le soleil !",
      "Randonnée de St Guilhem le désert, je vous la conseille c'est top",
      "Dur dur avec le vent aujourd'hui...",
      "Nouveau record personnel 💪",
      "Séance tranquille pour récupérer.",
      "Avec les collègues de l'équipe, super ambiance !",
      "Les jambes ont bien tenu jusqu'au bout.",
      "Un peu de pluie mais quel plaisir.",
      "Reprise après une petite blessure, ça fait du bien.",
      "Lever de soleil magnifique sur les étangs de Lattes 🌅",
  };
  return list;
}

std::string iso_utc(int64_t us, bool z) {
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buffer) + (z ? "Z" : "");
}

}  // namespace

Activity ActivityGenerator::make(const Practitioner& who, int64_t start_utc_s) {
  const SportProfile& p = profile_for(who.sport);
  Activity a{};
  a.activity_id = next_id_++;
  a.employee_id = who.employee_id;
  a.type = std::string(p.type);
  a.sport_type = std::string(p.sport_type);
  if (p.max_km > 0) {
    double km = uniform(rng_, p.min_km, p.max_km);
    double kmh = uniform(rng_, p.min_kmh, p.max_kmh);
    a.distance_m = std::round(km * 1000 * 10) / 10;
    a.moving_time_s = static_cast<int>(std::lround(km / kmh * 3600));
    a.total_elev_gain_m = std::round(km * uniform(rng_, 0, p.max_elev_per_km) * 10) / 10;
  } else {
    a.distance_m = 0;
    a.moving_time_s =
        static_cast<int>(std::lround(uniform(rng_, p.min_minutes, p.max_minutes) * 60));
    a.total_elev_gain_m = 0;
  }
  // Pauses: elapsed is moving time plus 0–15 %.
  a.elapsed_time_s =
      a.moving_time_s + static_cast<int>(std::lround(a.moving_time_s * uniform(rng_, 0, 0.15)));
  a.utc_offset_s = paris_utc_offset_s(start_utc_s);
  a.start_utc_us = start_utc_s * 1000000;
  a.start_local_us = (start_utc_s + a.utc_offset_s) * 1000000;
  a.timezone = a.utc_offset_s == 7200 ? "(GMT+02:00) Europe/Paris" : "(GMT+01:00) Europe/Paris";
  int local_hour = static_cast<int>(((start_utc_s + a.utc_offset_s) % 86400) / 3600);
  a.name = std::string(p.french_name) + " " + std::string(part_of_day(local_hour));
  a.commute = false;
  a.manual = uniform(rng_, 0, 1) < 0.05;
  a.is_private = uniform(rng_, 0, 1) < 0.03;
  a.flagged = false;
  a.calories = std::round(p.met * 70.0 * (a.moving_time_s / 3600.0));
  if (uniform(rng_, 0, 1) < 0.25) {
    const auto& list = comments();
    a.description =
        std::string(list[std::uniform_int_distribution<size_t>(0, list.size() - 1)(rng_)]);
  }
  a.raw_payload = payload(a, who);
  return a;
}

std::string ActivityGenerator::payload(const Activity& a, const Practitioner& who) const {
  double speed = a.moving_time_s > 0 ? a.distance_m / a.moving_time_s : 0.0;
  nlohmann::ordered_json j = {
      {"resource_state", 2},
      {"athlete", {{"id", who.employee_id}, {"resource_state", 1}}},
      {"name", a.name},
      {"distance", a.distance_m},
      {"moving_time", a.moving_time_s},
      {"elapsed_time", a.elapsed_time_s},
      {"total_elevation_gain", a.total_elev_gain_m},
      {"type", a.type},
      {"sport_type", a.sport_type},
      {"workout_type", nullptr},
      {"id", a.activity_id},
      {"start_date", iso_utc(a.start_utc_us, true)},
      {"start_date_local", iso_utc(a.start_local_us, true)},
      {"timezone", a.timezone},
      {"utc_offset", static_cast<double>(a.utc_offset_s)},
      {"location_country", "France"},
      {"achievement_count", 0},
      {"kudos_count", 0},
      {"comment_count", 0},
      {"athlete_count", 1},
      {"photo_count", 0},
      {"trainer", a.distance_m == 0},
      {"commute", a.commute},
      {"manual", a.manual},
      {"private", a.is_private},
      {"visibility", a.is_private ? "only_me" : "everyone"},
      {"flagged", a.flagged},
      {"gear_id", nullptr},
      {"average_speed", std::round(speed * 1000) / 1000},
      {"max_speed", std::round(speed * 1.35 * 1000) / 1000},
      {"has_heartrate", false},
      {"pr_count", 0},
      {"total_photo_count", 0},
      {"has_kudoed", false},
      {"description",
       a.description ? nlohmann::ordered_json(*a.description) : nlohmann::ordered_json(nullptr)},
      {"calories", a.calories},
  };
  return j.dump();
}

Activity ActivityGenerator::next_live(int64_t now_utc_s) {
  const auto& who =
      practitioners_[std::uniform_int_distribution<size_t>(0, practitioners_.size() - 1)(rng_)];
  // Generate with a provisional start, then shift so the activity has just ended.
  Activity a = make(who, now_utc_s);
  int64_t start = now_utc_s - a.elapsed_time_s;
  int64_t shift_us = (start - now_utc_s) * 1000000;
  a.start_utc_us += shift_us;
  a.utc_offset_s = paris_utc_offset_s(start);
  a.start_local_us = a.start_utc_us + static_cast<int64_t>(a.utc_offset_s) * 1000000;
  a.raw_payload = payload(a, who);
  return a;
}

std::vector<Activity> ActivityGenerator::backfill(int months, int64_t as_of_utc_s) {
  std::vector<Activity> out;
  const int64_t span_s =
      static_cast<int64_t>(months) * 30 * 86400 + static_cast<int64_t>(months / 2) * 86400;
  for (const auto& who : practitioners_) {
    // Activities per month: log-normal around ~2 (median), from about 0.3 to 8.
    double per_month = std::exp(std::normal_distribution<double>(std::log(2.0), 0.9)(rng_));
    per_month = std::clamp(per_month, 0.2, 10.0);
    int count = std::poisson_distribution<int>(per_month * months)(rng_);
    for (int i = 0; i < count; ++i) {
      int64_t day_start =
          as_of_utc_s - static_cast<int64_t>(uniform(rng_, 0, 1) * static_cast<double>(span_s));
      day_start -= day_start % 86400;
      // Local start hour weighted towards mornings, lunch and evenings.
      static constexpr int hours[] = {6, 7, 7, 8, 9, 10, 12, 12, 13, 17, 18, 18, 19, 19, 20};
      int hour = hours[std::uniform_int_distribution<int>(0, 14)(rng_)];
      int64_t start = day_start + hour * 3600 + std::uniform_int_distribution<int>(0, 3599)(rng_);
      start -= paris_utc_offset_s(start);
      if (start >= as_of_utc_s) continue;
      out.push_back(make(who, start));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Activity& a, const Activity& b) { return a.start_utc_us < b.start_utc_us; });
  return out;
}

}  // namespace sl::source
