// What a viewer reads of the Gold aggregates: no money figure that one or two people's pay gives.
#include <gtest/gtest.h>

#include "serve/statistical_secrecy.hpp"

namespace sl::serve {
namespace {

using columnar::Column;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;

// kpi_by_bu's shape: business_unit, eligible_bonus, total_bonus_eur (cents, decimal(12,2)).
std::shared_ptr<const RecordBatch> units(const std::vector<int64_t>& eligible) {
  RecordBatch b;
  const columnar::DataType euros{TypeId::decimal, 12, 2};
  b.schema = {Field{"business_unit", {TypeId::string}}, Field{"eligible_bonus", {TypeId::int64}},
              Field{"total_bonus_eur", euros, false}};
  Column name({TypeId::string}), count({TypeId::int64}), total(euros);
  for (size_t i = 0; i < eligible.size(); ++i) {
    name.append_string("BU" + std::to_string(i));
    count.append_i64(eligible[i]);
    total.append_i64(eligible[i] * 150'000);
  }
  b.columns = {name, count, total};
  b.num_rows = eligible.size();
  return std::make_shared<const RecordBatch>(std::move(b));
}

std::vector<bool> shown_totals(const RecordBatch& b) {
  std::vector<bool> shown;
  for (size_t r = 0; r < b.num_rows; ++r) shown.push_back(b.columns[2].is_valid(r));
  return shown;
}

TEST(StatisticalSecrecy, HidesTotalsOfOneOrTwoPeopleAndOneMoreWhenOnlyOneIsHidden) {
  // Two small units: both hidden, nothing else (their sum is two units' worth of people).
  auto two_small = hide_small_groups(units({40, 1, 2, 12}));
  EXPECT_EQ(shown_totals(*two_small), (std::vector<bool>{true, false, false, true}));
  EXPECT_TRUE(two_small->schema[2].nullable);
  // One small unit: the next fewest (12) is hidden with it, or total − others gives it back.
  auto one_small = hide_small_groups(units({40, 1, 30, 12}));
  EXPECT_EQ(shown_totals(*one_small), (std::vector<bool>{true, false, true, false}));
  // Units with no eligible employee reveal nothing (0 €) and are not a second hiding place.
  auto zeros = hide_small_groups(units({0, 2, 0, 7}));
  EXPECT_EQ(shown_totals(*zeros), (std::vector<bool>{true, false, true, false}));
  // Three or more everywhere: unchanged, values intact.
  auto big = hide_small_groups(units({3, 4, 50}));
  EXPECT_EQ(shown_totals(*big), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(big->columns[2].i64[0], 450'000);
  // The year's summary (one row): hidden when one or two are eligible company-wide.
  EXPECT_EQ(shown_totals(*hide_small_groups(units({2}))), std::vector<bool>{false});
  EXPECT_EQ(shown_totals(*hide_small_groups(units({3}))), std::vector<bool>{true});
}

TEST(StatisticalSecrecy, TheLargestBonusIsOnePersonsAndNeverShown) {
  RecordBatch b;
  b.schema = {Field{"year", {TypeId::int32}}, Field{"max_bonus_eur", {TypeId::decimal, 12, 2}}};
  Column year({TypeId::int32}), max({TypeId::decimal, 12, 2});
  year.append_i32(2025);
  max.append_i64(312'345);
  b.columns = {year, max};
  b.num_rows = 1;
  auto shown = hide_small_groups(std::make_shared<const RecordBatch>(b));
  EXPECT_FALSE(shown->columns[1].is_valid(0));
  EXPECT_TRUE(shown->columns[0].is_valid(0));
}

TEST(StatisticalSecrecy, OtherTablesComeBackAsTheyAre) {
  RecordBatch b;
  b.schema = {Field{"km", {TypeId::int32}}, Field{"employees", {TypeId::int64}}};
  b.columns = {Column({TypeId::int32}), Column({TypeId::int64})};
  b.columns[0].append_i32(3);
  b.columns[1].append_i64(1);
  b.num_rows = 1;
  auto in = std::make_shared<const RecordBatch>(b);
  EXPECT_EQ(hide_small_groups(in), in);
}

}  // namespace
}  // namespace sl::serve
