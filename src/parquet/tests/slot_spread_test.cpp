// Spreading present values over their slots: the portable loop and the AVX-512 expands (when the
// CPU has them) against slots built one by one, for every value size, block edges and densities.
#include <gtest/gtest.h>

#include <random>

#include "parquet/slot_spread.hpp"

namespace sl::parquet {
namespace {

using columnar::Column;
using columnar::DataType;
using columnar::TypeId;

// Value k of a column of `type`: distinct per k, never the zero a null slot takes.
void append_value(Column& c, size_t k) {
  const auto v = static_cast<int64_t>(k) * 7919 + 1;
  switch (c.type.id) {
    case TypeId::boolean:
      c.append_bool(true);
      break;
    case TypeId::int32:
    case TypeId::date32:
      c.append_i32(static_cast<int32_t>(v));
      break;
    case TypeId::int64:
      c.append_i64(v * 1'000'003);
      break;
    case TypeId::decimal:
      c.append_i128(static_cast<__int128>(v) << 70);
      break;
    case TypeId::float32:
      c.append_f32(static_cast<float>(v) / 4);
      break;
    case TypeId::float64:
      c.append_f64(static_cast<double>(v) / 8);
      break;
    default:
      c.append_string(std::string(k % 23, static_cast<char>('a' + k % 26)));
  }
}

// What a null slot holds once spread: a zero, an empty string.
void append_zero(Column& c) {
  switch (c.type.id) {
    case TypeId::boolean:
      c.append_bool(false);
      break;
    case TypeId::int32:
    case TypeId::date32:
      c.append_i32(0);
      break;
    case TypeId::int64:
      c.append_i64(0);
      break;
    case TypeId::decimal:
      c.append_i128(0);
      break;
    case TypeId::float32:
      c.append_f32(0);
      break;
    case TypeId::float64:
      c.append_f64(0);
      break;
    default:
      c.append_string("");
  }
}

void expect_same_slots(const Column& got, const Column& want, const std::string& what) {
  EXPECT_EQ(got.length, want.length) << what;
  EXPECT_EQ(got.bools, want.bools) << what;
  EXPECT_EQ(got.i32, want.i32) << what;
  EXPECT_EQ(got.i64, want.i64) << what;
  EXPECT_TRUE(got.i128 == want.i128) << what;
  EXPECT_EQ(got.f32, want.f32) << what;
  EXPECT_EQ(got.f64, want.f64) << what;
  EXPECT_EQ(got.offsets, want.offsets) << what;
  EXPECT_EQ(got.bytes, want.bytes) << what;
}

TEST(SlotSpread, BothPathsPutEachPresentValueInItsSlot) {
  if (!cpu_has_avx512()) std::cerr << "no AVX-512 on this CPU: only the baseline runs\n";
  const std::vector<DataType> types = {
      {TypeId::boolean},        {TypeId::int32},   {TypeId::date32},  {TypeId::int64},
      {TypeId::decimal, 30, 2}, {TypeId::float32}, {TypeId::float64}, {TypeId::string}};
  std::mt19937_64 rng(16);
  for (const auto& type : types) {
    for (size_t first : {0, 3, 70}) {
      for (size_t n : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 129, 1000}) {
        for (double null_share : {0.0, 0.1, 0.5, 0.9, 1.0}) {
          std::vector<uint8_t> valid(n);
          for (auto& v : valid) v = std::bernoulli_distribution(1 - null_share)(rng) ? 1 : 0;
          Column dense(type), want(type);
          for (size_t k = 0; k < first; ++k) {
            append_value(dense, k);
            append_value(want, k);
          }
          size_t k = first;
          for (size_t i = 0; i < n; ++i) {
            if (valid[i]) {
              append_value(dense, k);
              append_value(want, k++);
            } else {
              append_zero(want);
            }
          }
          for (SimdPath path : {SimdPath::baseline, SimdPath::fastest}) {
            Column got = dense;
            spread_tail(got, first, valid.data(), n, path);
            expect_same_slots(got, want,
                              "type " + std::to_string(static_cast<int>(type.id)) + " first " +
                                  std::to_string(first) + " n " + std::to_string(n) + " nulls " +
                                  std::to_string(null_share) +
                                  (path == SimdPath::baseline ? " baseline" : " fastest"));
          }
        }
      }
    }
  }
}

// The PLAIN bytes of a column's values (fixed width, as stored).
std::string plain_bytes(const Column& c) {
  auto bytes = [](const auto& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(v[0]));
  };
  switch (c.type.id) {
    case TypeId::int32:
    case TypeId::date32:
      return bytes(c.i32);
    case TypeId::float32:
      return bytes(c.f32);
    case TypeId::float64:
      return bytes(c.f64);
    default:
      return bytes(c.i64);
  }
}

TEST(SlotSpread, PlainPagesSpreadStraightFromThePage) {
  const std::vector<std::pair<DataType, size_t>> types = {{{TypeId::int32}, 4},
                                                          {{TypeId::date32}, 4},
                                                          {{TypeId::float32}, 4},
                                                          {{TypeId::int64}, 8},
                                                          {{TypeId::float64}, 8}};
  std::mt19937_64 rng(61);
  for (const auto& [type, width] : types) {
    for (size_t first : {0, 5}) {
      // Up to several slices of 2,048 slots (spread_plain zeroes and fills one at a time).
      for (size_t n : {0, 1, 8, 15, 16, 17, 40, 1000, 2047, 2048, 2049, 7000}) {
        for (double null_share : {0.0, 0.1, 0.5, 1.0}) {
          std::vector<uint8_t> valid(n);
          for (auto& v : valid) v = std::bernoulli_distribution(1 - null_share)(rng) ? 1 : 0;
          Column page(type), want(type);
          for (size_t k = 0; k < first; ++k) append_value(want, k);
          Column got = want;
          size_t k = first;
          for (size_t i = 0; i < n; ++i) {
            if (valid[i]) {
              append_value(page, k);
              append_value(want, k++);
            } else {
              append_zero(want);
            }
          }
          const std::string bytes = plain_bytes(page);
          const std::string what = "type " + std::to_string(static_cast<int>(type.id)) + " n " +
                                   std::to_string(n) + " nulls " + std::to_string(null_share);
          EXPECT_FALSE(
              spread_plain(got, bytes, width, page.length, valid.data(), n, SimdPath::baseline))
              << what;
          if (page.length > 0) {
            // A page shorter than its values is left to the decoder, which reports it.
            EXPECT_FALSE(spread_plain(got, std::string_view(bytes).substr(1), width, page.length,
                                      valid.data(), n))
                << what;
          }
          ASSERT_EQ(spread_plain(got, bytes, width, page.length, valid.data(), n), cpu_has_avx512())
              << what;
          if (cpu_has_avx512()) expect_same_slots(got, want, what);
        }
      }
    }
  }
}

}  // namespace
}  // namespace sl::parquet
