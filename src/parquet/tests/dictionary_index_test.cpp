// DictionaryIndex: first-seen dense indices through growth, for each key kind the writer uses.
#include "parquet/dictionary_index.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sl::parquet {
namespace {

TEST(DictionaryIndex, DenseFirstSeenIndicesThroughGrowth) {
  DictionaryIndex<int64_t> index;
  for (int64_t round = 0; round < 3; ++round) {
    for (int64_t v = 0; v < 5000; ++v) {
      auto [position, inserted] = index.insert(v * 1024);  // keys sharing their low bits
      EXPECT_EQ(position, static_cast<uint32_t>(v));
      EXPECT_EQ(inserted, round == 0);
    }
  }
  EXPECT_EQ(index.size(), 5000u);
  DictionaryIndex<uint64_t> bits;  // a double column's keys: 0 is a key like the others
  EXPECT_EQ(bits.insert(0).first, 0u);
  EXPECT_EQ(bits.insert(uint64_t{1} << 63).first, 1u);  // -0.0
  EXPECT_EQ(bits.insert(0), (std::pair<uint32_t, bool>{0, false}));
  DictionaryIndex<int32_t> small;
  for (int32_t v = -3000; v < 3000; ++v) EXPECT_EQ(small.insert(v).first, uint32_t(v + 3000));
  EXPECT_EQ(small.insert(-3000), (std::pair<uint32_t, bool>{0, false}));
}

TEST(DictionaryIndex, StringsAndWideKeys) {
  std::vector<std::string> texts = {"Run", "Hike", "", "Run ", "Hike"};
  DictionaryIndex<std::string_view> strings;
  std::vector<uint32_t> got;
  for (const auto& t : texts) got.push_back(strings.insert(t).first);
  EXPECT_EQ(got, (std::vector<uint32_t>{0, 1, 2, 3, 1}));
  DictionaryIndex<__int128> wide;
  const __int128 big = static_cast<__int128>(1) << 100;
  EXPECT_EQ(wide.insert(big).first, 0u);
  EXPECT_EQ(wide.insert(big + 1).first, 1u);
  EXPECT_EQ(wide.insert(-big).first, 2u);
  EXPECT_FALSE(wide.insert(big).second);
}

}  // namespace
}  // namespace sl::parquet
