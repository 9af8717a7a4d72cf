// IdSet answers like a hash set for every id: the small non-negative ones held as bits, the
// negative and the large ones in the hash set.
#include "lakehouse/id_set.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <unordered_set>

namespace sl::lakehouse {
namespace {

TEST(IdSet, AnswersLikeAHashSetForEveryKindOfId) {
  const std::unordered_set<int64_t> ids = {0,  1,           7,       100'000,
                                           -1, int64_t{1} << 24,    std::numeric_limits<int64_t>::max(),
                                           std::numeric_limits<int64_t>::min()};
  const IdSet set(ids);
  for (int64_t id : ids) EXPECT_TRUE(set.contains(id)) << id;
  for (int64_t id : {int64_t{2}, int64_t{99'999}, int64_t{100'001}, int64_t{-2},
                     (int64_t{1} << 24) - 1, (int64_t{1} << 24) + 1, int64_t{1} << 40})
    EXPECT_FALSE(set.contains(id)) << id;
  EXPECT_FALSE(IdSet().contains(0));
}

}  // namespace
}  // namespace sl::lakehouse
