// decimal_text: scales, signs, zero, and the extremes of 64- and 128-bit unscaled values.
#include "common/decimal_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace sl {
namespace {

TEST(DecimalText, PlacesThePointAtTheScale) {
  EXPECT_EQ(decimal_text(int64_t{12345}, 2), "123.45");
  EXPECT_EQ(decimal_text(int64_t{-5}, 3), "-0.005");
  EXPECT_EQ(decimal_text(int64_t{0}, 4), "0.0000");
  EXPECT_EQ(decimal_text(int64_t{42}, 0), "42");
  EXPECT_EQ(decimal_text(std::numeric_limits<int64_t>::min(), 2), "-92233720368547758.08");
}

TEST(DecimalText, HandlesThirtyEightDigits) {
  __int128 max38 = 0;
  for (int i = 0; i < 38; ++i) max38 = max38 * 10 + 9;
  EXPECT_EQ(decimal_text(max38, 18), "99999999999999999999.999999999999999999");
  EXPECT_EQ(decimal_text(-max38, 0), "-99999999999999999999999999999999999999");
  EXPECT_EQ(decimal_text(__int128{0}, 10), "0.0000000000");
  __int128 min128 = static_cast<__int128>(static_cast<unsigned __int128>(1) << 127);
  EXPECT_EQ(decimal_text(min128, 0), "-170141183460469231731687303715884105728");
}

}  // namespace
}  // namespace sl
