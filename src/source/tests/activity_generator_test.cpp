// The activity generator: determinism, per-sport ranges, Paris time, Strava payload shape.
#include "source/activity_generator.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

namespace sl::source {
namespace {

std::vector<Practitioner> practitioners() {
  return {{1, "Juliette", "Mendes", "Runing"},
          {2, "Laurence", "Morvan", "Randonnée"},
          {3, "Ana", "B", "Natation"},
          {4, "Paul", "C", "Tennis"},
          {5, "Léa", "D", "Escalade"},
          {6, "Max", "E", "Tennis de table"},
          {7, "Zoé", "F", "Équitation"},
          {8, "Hugo", "G", "Voile"},
          {9, "Iris", "H", "Judo"},
          {10, "Jean", "I", "Triathlon"},
          {11, "Kim", "J", "Curling inconnu"}};
}

constexpr int64_t k_as_of = 1764028800;  // 2025-11-25T00:00:00Z

TEST(ActivityGenerator, SameSeedSameActivities) {
  ActivityGenerator a(practitioners(), 42, 100), b(practitioners(), 42, 100),
      c(practitioners(), 43, 100);
  auto ha = a.backfill(12, k_as_of), hb = b.backfill(12, k_as_of), hc = c.backfill(12, k_as_of);
  ASSERT_EQ(ha.size(), hb.size());
  for (size_t i = 0; i < ha.size(); ++i) EXPECT_EQ(ha[i].raw_payload, hb[i].raw_payload);
  EXPECT_NE(ha.size() == hc.size() && ha[0].raw_payload == hc[0].raw_payload, true);
  EXPECT_EQ(a.next_live(k_as_of).raw_payload, b.next_live(k_as_of).raw_payload);
}

TEST(ActivityGenerator, ValuesStayWithinEachSportsRange) {
  ActivityGenerator gen(practitioners(), 7, 1);
  auto history = gen.backfill(12, k_as_of);
  ASSERT_GT(history.size(), 100u);
  std::map<int64_t, std::string> sport_of;
  for (const auto& p : practitioners()) sport_of[p.employee_id] = p.sport;
  for (const auto& a : history) {
    const SportProfile& p = profile_for(sport_of[a.employee_id]);
    EXPECT_EQ(a.type, p.type);
    EXPECT_EQ(a.sport_type, p.sport_type);
    EXPECT_GE(a.elapsed_time_s, a.moving_time_s);
    EXPECT_LT(a.start_utc_us, k_as_of * 1000000);
    if (p.max_km > 0) {
      EXPECT_GE(a.distance_m, p.min_km * 1000 - 1) << a.sport_type;
      EXPECT_LE(a.distance_m, p.max_km * 1000 + 1) << a.sport_type;
      double kmh = a.distance_m / 1000 / (a.moving_time_s / 3600.0);
      EXPECT_GE(kmh, p.min_kmh - 0.1);
      EXPECT_LE(kmh, p.max_kmh + 0.1);
    } else {
      EXPECT_EQ(a.distance_m, 0) << "indoor sports have no distance: " << a.sport_type;
      EXPECT_GE(a.moving_time_s, p.min_minutes * 60);
      EXPECT_LE(a.moving_time_s, p.max_minutes * 60);
    }
  }
}

TEST(ActivityGenerator, DeclaredSportsMapToStravaTypes) {
  EXPECT_EQ(profile_for("Runing").sport_type, "Run");
  EXPECT_EQ(profile_for("Randonnée").sport_type, "Hike");
  EXPECT_EQ(profile_for("Natation").sport_type, "Swim");
  EXPECT_EQ(profile_for("Escalade").sport_type, "RockClimbing");
  EXPECT_EQ(profile_for("Tennis de table").sport_type, "TableTennis");
  EXPECT_EQ(profile_for("Football").sport_type, "Soccer");
  EXPECT_EQ(profile_for("Voile").sport_type, "Sail");
  EXPECT_EQ(profile_for("Pétanque").sport_type, "Workout");
}

TEST(ActivityGenerator, AYearHasEmployeesOnBothSidesOfFifteen) {
  std::vector<Practitioner> many;
  for (int i = 0; i < 95; ++i) many.push_back({i + 1, "P", "N", i % 2 ? "Runing" : "Tennis"});
  ActivityGenerator gen(many, 2026, 1);
  auto history = gen.backfill(12, k_as_of);
  EXPECT_GT(history.size(), 1000u);
  std::map<int64_t, int> per_employee;
  for (const auto& a : history) per_employee[a.employee_id]++;
  int above = 0, below = 0;
  for (const auto& p : many) (per_employee[p.employee_id] >= 15 ? above : below)++;
  EXPECT_GT(above, 10);
  EXPECT_GT(below, 10);
}

TEST(ActivityGenerator, PayloadIsShapedLikeStrava) {
  ActivityGenerator gen(practitioners(), 1, 555);
  auto a = gen.next_live(k_as_of);
  auto j = nlohmann::json::parse(a.raw_payload);
  EXPECT_EQ(j["id"], 555);
  EXPECT_EQ(j["athlete"]["id"], a.employee_id);
  EXPECT_EQ(j["sport_type"], a.sport_type);
  EXPECT_EQ(j["elapsed_time"], a.elapsed_time_s);
  EXPECT_TRUE(j.contains("start_date_local"));
  EXPECT_EQ(j["timezone"], "(GMT+01:00) Europe/Paris");
  EXPECT_EQ(a.start_utc_us + static_cast<int64_t>(a.elapsed_time_s) * 1000000, k_as_of * 1000000);
}

TEST(ParisTime, SummerAndWinterOffsets) {
  EXPECT_EQ(paris_utc_offset_s(1735689600), 3600);  // 2025-01-01
  EXPECT_EQ(paris_utc_offset_s(1751328000), 7200);  // 2025-07-01
  EXPECT_EQ(paris_utc_offset_s(1743296399), 3600);  // 2025-03-30 00:59:59Z, just before the switch
  EXPECT_EQ(paris_utc_offset_s(1743296400), 7200);  // 2025-03-30 01:00:00Z
  EXPECT_EQ(paris_utc_offset_s(1761440400), 3600);  // 2025-10-26 01:00:00Z
}

}  // namespace
}  // namespace sl::source
