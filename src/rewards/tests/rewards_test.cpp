// The reward rules on hand-made cases (every reason, thresholds at their edges, rounding, rule
// changes) and on the sample HR file (DESIGN §1: 68 sporty commuters, 172,482.50 € at most).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/civil_time.hpp"
#include "rewards/sport_bonus.hpp"
#include "rewards/wellbeing.hpp"
#include "source/hr_files.hpp"

namespace sl::rewards {
namespace {

BonusDecision decide(std::optional<CommuteMode> mode, std::optional<double> km,
                     int64_t salary_cents = 3'094'000, RewardRules rules = {}) {
  return decide_sport_bonus({salary_cents, mode, km}, rules);
}

TEST(SportBonus, EveryReason) {
  EXPECT_EQ(decide(CommuteMode::walk_run, 4.2).reason, BonusReason::eligible);
  EXPECT_EQ(decide(CommuteMode::walk_run, 4.2).bonus_cents, 154'700);  // 5 % of 30,940.00 €
  EXPECT_EQ(decide(CommuteMode::car, 4.2).reason, BonusReason::not_sporty);
  EXPECT_EQ(decide(CommuteMode::public_transport, 1).reason, BonusReason::not_sporty);
  EXPECT_EQ(decide(std::nullopt, 1).reason, BonusReason::unknown_mode);
  EXPECT_EQ(decide(CommuteMode::bike_scooter, std::nullopt).reason, BonusReason::distance_unknown);
  EXPECT_EQ(decide(CommuteMode::bike_scooter, -1).reason, BonusReason::distance_unknown);
  EXPECT_EQ(decide(CommuteMode::walk_run, 15.01).reason, BonusReason::over_threshold);
  EXPECT_TRUE(decide(CommuteMode::walk_run, 15.01).declaration_anomaly);
  EXPECT_EQ(decide(CommuteMode::walk_run, 30.01).reason, BonusReason::likely_error);
  EXPECT_EQ(decide(CommuteMode::bike_scooter, 50).reason, BonusReason::over_threshold);
  EXPECT_EQ(decide(CommuteMode::bike_scooter, 50.5).reason, BonusReason::likely_error);
  EXPECT_EQ(decide(CommuteMode::walk_run, 1, -5).reason, BonusReason::invalid_salary);
  for (auto r : {BonusReason::eligible, BonusReason::not_sporty, BonusReason::unknown_mode,
                 BonusReason::distance_unknown, BonusReason::over_threshold,
                 BonusReason::likely_error, BonusReason::invalid_salary}) {
    EXPECT_FALSE(reason_code(r).empty());
    EXPECT_FALSE(reason_text_fr(r).empty());
  }
}

TEST(SportBonus, ThresholdsAreInclusiveAndFollowTheRules) {
  EXPECT_TRUE(decide(CommuteMode::walk_run, 15.0).eligible);
  EXPECT_TRUE(decide(CommuteMode::bike_scooter, 25.0).eligible);
  EXPECT_FALSE(decide(CommuteMode::bike_scooter, 25.000001).eligible);
  RewardRules stricter;
  stricter.bike_max_km = 20;
  stricter.bonus_rate = 0.03;
  EXPECT_EQ(decide(CommuteMode::bike_scooter, 22, 3'094'000, stricter).reason,
            BonusReason::over_threshold);
  EXPECT_EQ(decide(CommuteMode::bike_scooter, 19, 3'094'000, stricter).bonus_cents, 92'820);
}

TEST(SportBonus, PercentagesAreExactInCents) {
  EXPECT_EQ(percent_of(3'094'000, 0.05), 154'700);
  EXPECT_EQ(percent_of(3'094'010, 0.05), 154'701);  // 1,547.005 € → 1,547.01 € (half away)
  EXPECT_EQ(percent_of(3'094'009, 0.05), 154'700);
  EXPECT_EQ(percent_of(-10, 0.05), -1);
  EXPECT_EQ(percent_of(333, 0.035), 12);  // 11.655 → 12
}

TEST(CommuteModes, LabelsRoundTripAndTravelModes) {
  for (auto m : {CommuteMode::walk_run, CommuteMode::bike_scooter, CommuteMode::car,
                 CommuteMode::public_transport})
    EXPECT_EQ(parse_commute_mode(commute_mode_label(m)), m);
  for (const auto& label : source::commute_modes())
    EXPECT_TRUE(parse_commute_mode(label).has_value()) << label << " (the loader's spelling)";
  EXPECT_EQ(parse_commute_mode("Velo"), std::nullopt);
  EXPECT_EQ(travel_mode(CommuteMode::walk_run), "walking");
  EXPECT_EQ(travel_mode(CommuteMode::bike_scooter), "bicycling");
  EXPECT_EQ(travel_mode(CommuteMode::car), "");
}

int64_t local(int year, int month, int day) {
  return days_from_civil({year, month, day}) * 86'400'000'000LL + 9 * 3'600'000'000LL;
}

TEST(Wellbeing, CountsTheCalendarYearWithoutCommutesOrRepeats) {
  std::vector<ActivityFact> facts;
  for (int i = 0; i < 14; ++i) facts.push_back({i, local(2025, 1 + i % 12, 10), false});
  facts.push_back({100, local(2024, 12, 31), false});  // the year before
  facts.push_back({101, local(2026, 1, 1), false});    // the year after
  facts.push_back({102, local(2025, 6, 1), true});     // a commute
  facts.push_back({3, local(2025, 4, 10), false});     // the same activity again
  auto d = decide_wellbeing(facts, 2025, {});
  EXPECT_EQ(d.activities, 14);
  EXPECT_FALSE(d.eligible);
  EXPECT_EQ(d.days, 0);
  EXPECT_EQ(d.missing, 1);
  facts.push_back(
      {14, days_from_civil({2025, 12, 31}) * 86'400'000'000LL + 86'399'999'999LL, false});
  d = decide_wellbeing(facts, 2025, {});
  EXPECT_EQ(d.activities, 15);
  EXPECT_TRUE(d.eligible);
  EXPECT_EQ(d.days, 5);
  EXPECT_EQ(d.missing, 0);
  EXPECT_EQ(d.first_local_us, local(2025, 1, 10));
  RewardRules more;
  more.wellbeing_min_activities = 20;
  more.wellbeing_days = 3;
  EXPECT_FALSE(decide_wellbeing(facts, 2025, more).eligible);
  EXPECT_EQ(decide_wellbeing(facts, 2024, {}).activities, 1);
}

TEST(Wellbeing, ARepeatedActivityCountsOnceAtItsFirstFact) {
  // Ids unsorted, activity 7 listed again with another start: the first fact is the one counted.
  const std::vector<ActivityFact> facts = {{9, local(2025, 3, 1), false},
                                           {7, local(2025, 2, 1), false},
                                           {7, local(2025, 11, 1), false},
                                           {8, local(2025, 5, 1), false}};
  const auto d = decide_wellbeing(facts, 2025, {});
  EXPECT_EQ(d.activities, 3);
  EXPECT_EQ(d.first_local_us, local(2025, 2, 1));
  EXPECT_EQ(d.last_local_us, local(2025, 5, 1));
}

TEST(Wellbeing, ATallyOfActivitiesGivenOnceDecidesTheSame) {
  // Gold's path: Silver gives each id once, in any order; the tally keeps no activity.
  std::vector<ActivityFact> facts;
  for (int i = 0; i < 16; ++i)
    facts.push_back({100 - i, local(2025 - (i % 5 == 0), 1 + (i * 7) % 12, 1 + i), i % 4 == 1});
  for (int year : {2024, 2025, 2026}) {
    WellbeingTally tally(year);
    for (const auto& f : facts) tally.add(f);
    const auto by_facts = decide_wellbeing(facts, year, {});
    const auto by_tally = tally.decide({});
    EXPECT_EQ(by_tally.activities, by_facts.activities) << year;
    EXPECT_EQ(by_tally.first_local_us, by_facts.first_local_us) << year;
    EXPECT_EQ(by_tally.last_local_us, by_facts.last_local_us) << year;
    EXPECT_EQ(by_tally.eligible, by_facts.eligible) << year;
    EXPECT_EQ(by_tally.days, by_facts.days) << year;
    EXPECT_EQ(by_tally.missing, by_facts.missing) << year;
  }
  EXPECT_EQ(WellbeingTally(2025).decide({}).first_local_us, std::nullopt);
  EXPECT_EQ(WellbeingTally(2025).decide({}).missing, RewardRules{}.wellbeing_min_activities);
}

TEST(Wellbeing, TalliesOfPartsMergeIntoTheTallyOfAll) {
  std::vector<ActivityFact> facts;
  for (int i = 0; i < 40; ++i)
    facts.push_back({i, local(2025 - (i % 7 == 0), 1 + (i * 5) % 12, 1 + i % 28), i % 6 == 1});
  WellbeingTally all(2025);
  for (const auto& f : facts) all.add(f);
  // Per month, merged in a scrambled order, each part also stored and read back.
  std::vector<WellbeingTally> months(12, WellbeingTally(2025));
  for (const auto& f : facts) months[static_cast<size_t>(
        civil_from_days(floor_div(f.start_local_us, 86'400'000'000LL)).month - 1)].add(f);
  WellbeingTally merged(2025);
  for (size_t m : {5u, 0u, 11u, 3u, 7u, 1u, 9u, 2u, 10u, 4u, 8u, 6u}) {
    const WellbeingTally& part = months[m];
    merged.merge(WellbeingTally(2025, part.activities(), part.first(), part.last()));
  }
  EXPECT_EQ(merged.activities(), all.activities());
  const auto a = merged.decide({}), b = all.decide({});
  EXPECT_EQ(a.activities, b.activities);
  EXPECT_EQ(a.first_local_us, b.first_local_us);
  EXPECT_EQ(a.last_local_us, b.last_local_us);
  EXPECT_EQ(a.eligible, b.eligible);
  EXPECT_EQ(a.missing, b.missing);
  merged.merge(WellbeingTally(2025));  // an empty part changes nothing
  EXPECT_EQ(merged.decide({}).first_local_us, b.first_local_us);
}

TEST(Wellbeing, WhichActivitiesCount) {
  EXPECT_TRUE(counts_for_wellbeing({1, local(2025, 1, 1), false}, 2025));
  EXPECT_FALSE(counts_for_wellbeing({1, local(2025, 1, 1), true}, 2025)) << "a commute";
  EXPECT_FALSE(counts_for_wellbeing({1, local(2024, 12, 31), false}, 2025));
  EXPECT_TRUE(counts_for_wellbeing(
      {1, days_from_civil({2025, 12, 31}) * 86'400'000'000LL + 86'399'999'999LL, false}, 2025));
  EXPECT_FALSE(
      counts_for_wellbeing({1, days_from_civil({2026, 1, 1}) * 86'400'000'000LL, false}, 2025));
}

TEST(SampleData, SixtyEightSportyCommutersAndTheMaximumBonus) {
  const char* source_dir = std::getenv("SL_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr);
  std::ifstream in(std::filesystem::path(source_dir) / "data/sample/data_rh.csv", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto parsed = source::parse_employees(bytes.str(), "data_rh.csv");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->rows.size(), 161u);
  int sporty = 0;
  int64_t max_total = 0;
  for (const auto& e : parsed->rows) {
    const auto mode = parse_commute_mode(e.moyen_deplacement);
    ASSERT_TRUE(mode.has_value()) << e.moyen_deplacement;
    // Everyone within reach: the bonus each sporty commuter could get.
    auto d = decide_sport_bonus({std::llround(e.salaire_brut * 100), mode, 0.0}, {});
    sporty += d.eligible;
    max_total += d.bonus_cents;
  }
  EXPECT_EQ(sporty, 68);
  EXPECT_EQ(max_total, 17'248'250);  // 172,482.50 €
}

}  // namespace
}  // namespace sl::rewards
