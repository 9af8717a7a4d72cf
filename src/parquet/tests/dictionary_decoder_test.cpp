// Dictionary-encoded numbers with nulls spread over their slots as they are gathered (a slice of
// slots at a time) against the values gathered dense and spread afterwards.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parquet/dictionary_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"
#include "parquet/slot_spread.hpp"

namespace sl::parquet {
namespace {

using columnar::Column;
using columnar::DataType;
using columnar::TypeId;

Column dictionary_of(TypeId type, size_t size) {
  Column dictionary{DataType{type}};
  for (size_t k = 0; k < size; ++k) {
    const auto v = static_cast<int64_t>(k) * 7919 + 1;  // never the zero of a null slot
    switch (type) {
      case TypeId::int32:
        dictionary.append_i32(static_cast<int32_t>(v));
        break;
      case TypeId::int64:
        dictionary.append_i64(v * 1'000'003);
        break;
      case TypeId::float32:
        dictionary.append_f32(static_cast<float>(v) / 4);
        break;
      default:
        dictionary.append_f64(static_cast<double>(v) / 8);
    }
  }
  return dictionary;
}

// A page's values section: the bit width, then the indices' runs (repeats become RLE runs).
std::string values_section(const std::vector<uint32_t>& indices, int bit_width) {
  std::string section(1, static_cast<char>(bit_width));
  encode_rle_bit_packed(indices.data(), indices.size(), bit_width, section);
  return section;
}

TEST(DictionaryDecoder, NumbersSpreadAsGatheredEqualDenseThenSpread) {
  std::mt19937 rng(16);
  constexpr size_t k_slots = 20'000;  // several slices of 4,096
  // Validity patterns: random nulls at several densities, a null stretch longer than a slice,
  // a single value, every slot but the last.
  std::vector<std::vector<uint8_t>> patterns;
  for (double null_share : {0.02, 0.1, 0.5, 0.97}) {
    std::bernoulli_distribution is_null(null_share);
    std::vector<uint8_t> valid(k_slots);
    for (auto& v : valid) v = is_null(rng) ? 0 : 1;
    patterns.push_back(valid);
  }
  std::vector<uint8_t> stretch(k_slots, 1);
  std::fill(stretch.begin() + 3000, stretch.begin() + 12'000, 0);
  patterns.push_back(stretch);
  std::vector<uint8_t> single(k_slots, 0);
  single[9000] = 1;
  patterns.push_back(single);
  std::vector<uint8_t> last_null(k_slots, 1);
  last_null.back() = 0;
  patterns.push_back(last_null);

  for (TypeId type : {TypeId::int32, TypeId::int64, TypeId::float32, TypeId::float64}) {
    const Column dictionary = dictionary_of(type, 300);
    for (size_t p = 0; p < patterns.size(); ++p) {
      const std::vector<uint8_t>& valid = patterns[p];
      size_t present = 0;
      for (uint8_t v : valid) present += v;
      // Indices with long repeats (RLE runs across slice edges) and random stretches.
      std::vector<uint32_t> indices(present);
      for (size_t i = 0; i < present; ++i)
        indices[i] = (i / 700) % 2 == 0 ? static_cast<uint32_t>(i / 700 % 300) : rng() % 300;
      const std::string section = values_section(indices, bit_width_for(299));
      std::vector<uint32_t> scratch;

      // Three slot-aligned values before the page, as earlier pages leave them.
      Column expected{DataType{type}}, got{DataType{type}};
      for (Column* c : {&expected, &got}) {
        ASSERT_TRUE(decode_dictionary_indices(values_section({1, 2, 3}, 9), 3, dictionary,
                                              scratch, *c));
      }
      ASSERT_TRUE(decode_dictionary_indices(section, present, dictionary, scratch, expected));
      spread_tail(expected, 3, valid.data(), valid.size());

      const PageSlots slots{valid.data(), valid.size()};
      ASSERT_TRUE(decode_dictionary_indices(section, present, dictionary, scratch, got, &slots));
      const std::string what = "type " + std::to_string(static_cast<int>(type)) + " pattern " +
                               std::to_string(p);
      ASSERT_EQ(got.length, 3 + k_slots) << what;
      EXPECT_EQ(got.i32, expected.i32) << what;
      EXPECT_EQ(got.i64, expected.i64) << what;
      EXPECT_EQ(got.f32, expected.f32) << what;
      EXPECT_EQ(got.f64, expected.f64) << what;
    }
  }
}

TEST(DictionaryDecoder, SpreadingPagesStillRejectBadIndices) {
  const Column dictionary = dictionary_of(TypeId::int64, 10);
  const std::vector<uint8_t> valid = {1, 0, 1, 1};
  const PageSlots slots{valid.data(), valid.size()};
  std::vector<uint32_t> scratch;
  Column out{DataType{TypeId::int64}};
  auto bad = decode_dictionary_indices(values_section({1, 12, 3}, 4), 3, dictionary, scratch, out,
                                       &slots);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("dictionary index 12 out of range"), std::string::npos);
  auto cut = decode_dictionary_indices(std::string("\x04\x03", 2), 3, dictionary, scratch, out,
                                       &slots);
  EXPECT_FALSE(cut);
}

}  // namespace
}  // namespace sl::parquet
