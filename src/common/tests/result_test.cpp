#include "common/result.hpp"

#include <gtest/gtest.h>

namespace sl {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(Errc::invalid_argument, "not positive: " + std::to_string(v));
  return v;
}

Result<int> doubled(int v) {
  SL_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return x * 2;
}

Status check(int v) {
  SL_TRY(parse_positive(v));
  return {};
}

TEST(Result, CarriesValueOrError) {
  auto good = doubled(4);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 8);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_EQ(bad.error().message, "not positive: -1");
  EXPECT_EQ(bad.error().to_string(), "invalid argument: not positive: -1");
}

TEST(Result, StatusPropagates) {
  EXPECT_TRUE(check(1).ok());
  EXPECT_FALSE(check(0).ok());
}

TEST(Result, ContextPrefixesMessage) {
  Error e = make_error(Errc::parse, "bad date").with_context("data_rh.csv:42");
  EXPECT_EQ(e.message, "data_rh.csv:42: bad date");
}

TEST(Result, RetryableCategories) {
  EXPECT_TRUE(retryable(Errc::conflict));
  EXPECT_TRUE(retryable(Errc::unavailable));
  EXPECT_FALSE(retryable(Errc::parse));
  EXPECT_FALSE(retryable(Errc::corrupt));
}

}  // namespace
}  // namespace sl
