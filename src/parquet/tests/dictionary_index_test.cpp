// DictionaryIndex: first-seen dense indices through growth, for each key kind the writer uses.
#include "parquet/dictionary_index.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
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

// The slot is the hash's low bits: keys that differ only in their high bits must spread there
// too. A double column's keys are bit patterns whose low mantissa bits are zero for whole or
// half numbers (calories 300.0, elevation 12.5): a multiplicative hash read from bits 32..63
// put 900 such values in a few dozen slots, and each lookup walked a long run of them (10 % of
// the full refresh's CPU in the double columns' dictionaries).
TEST(DictionaryIndex, KeysDifferingInTheirHighBitsSpreadOverTheSlots) {
  auto spread = [](const std::vector<uint64_t>& keys) {
    std::set<uint32_t> slots;
    for (uint64_t k : keys) slots.insert(DictionaryIndex<uint64_t>::slot_hash(k) & 4095);
    return slots.size();
  };
  auto bits = [](double d) {
    uint64_t k;
    std::memcpy(&k, &d, 8);
    return k;
  };
  std::vector<uint64_t> whole, halves, counters, shifted;
  for (int i = 0; i < 2000; ++i) {
    whole.push_back(bits(300.0 + i));
    halves.push_back(bits(i / 2.0));
    counters.push_back(static_cast<uint64_t>(i));
    shifted.push_back(static_cast<uint64_t>(i) << 40);
  }
  // 2,000 keys over 4,096 slots: ~1,580 distinct slots when spread at random.
  EXPECT_GT(spread(whole), 1400u);
  EXPECT_GT(spread(halves), 1400u);
  EXPECT_GT(spread(counters), 1400u);
  EXPECT_GT(spread(shifted), 1400u);
}

}  // namespace
}  // namespace sl::parquet
