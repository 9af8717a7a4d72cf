// The hybrid encoder, checked against a straightforward decoder of the documented grammar.
#include <gtest/gtest.h>

#include <random>

#include "parquet/rle_bit_packed.hpp"

namespace sl::parquet {
namespace {

// Reference decoder written from the grammar in rle_bit_packed.hpp (test-only).
std::vector<uint32_t> decode(const std::string& bytes, int bit_width, size_t count) {
  std::vector<uint32_t> out;
  size_t pos = 0;
  auto varint = [&] {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      auto b = static_cast<uint8_t>(bytes.at(pos++));
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (out.size() < count) {
    uint64_t header = varint();
    if (header & 1) {
      size_t values = (header >> 1) * 8;
      uint64_t acc = 0;
      int bits = 0;
      for (size_t i = 0; i < values; ++i) {
        while (bits < bit_width) {
          acc |= static_cast<uint64_t>(static_cast<uint8_t>(bytes.at(pos++))) << bits;
          bits += 8;
        }
        uint32_t v = static_cast<uint32_t>(acc & ((1ull << bit_width) - 1));
        acc >>= bit_width;
        bits -= bit_width;
        if (out.size() < count) out.push_back(v);
      }
    } else {
      uint32_t v = 0;
      for (int b = 0; b < (bit_width + 7) / 8; ++b)
        v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes.at(pos++))) << (8 * b);
      for (uint64_t i = 0; i < (header >> 1); ++i) out.push_back(v);
    }
  }
  EXPECT_EQ(pos, bytes.size()) << "no trailing bytes";
  return out;
}

TEST(RleBitPacked, RoundTripsMixedRunsForEveryWidth) {
  std::mt19937 rng(1);
  for (int width = 1; width <= 20; ++width) {
    std::vector<uint32_t> values;
    uint32_t max = width == 32 ? 0xffffffffu : (1u << width) - 1;
    for (int block = 0; block < 40; ++block) {
      uint32_t v = rng() & max;
      int repeat = static_cast<int>(rng() % 3 == 0 ? rng() % 30 : 1);
      for (int i = 0; i < repeat; ++i) values.push_back(rng() % 4 == 0 ? (rng() & max) : v);
    }
    std::string out;
    encode_rle_bit_packed(values.data(), values.size(), width, out);
    EXPECT_EQ(decode(out, width, values.size()), values) << "bit width " << width;
  }
}

TEST(RleBitPacked, LongRunIsCompact) {
  std::vector<uint32_t> ones(10000, 1);
  std::string out;
  encode_rle_bit_packed(ones.data(), ones.size(), 1, out);
  EXPECT_EQ(out.size(), 4u);  // one run: varint(20000) in 3 bytes + 1 value byte
}

TEST(RleBitPacked, WidthZeroAndWidths) {
  std::vector<uint32_t> zeros(5, 0);
  std::string out;
  encode_rle_bit_packed(zeros.data(), zeros.size(), 0, out);
  EXPECT_EQ(out, std::string("\x0a", 1));
  EXPECT_EQ(bit_width_for(0), 0);
  EXPECT_EQ(bit_width_for(1), 1);
  EXPECT_EQ(bit_width_for(255), 8);
  EXPECT_EQ(bit_width_for(256), 9);
}

// Our decoder against the reference one, at every width, for literal-heavy streams whose last
// values sit in the final bytes (the decoder's byte-by-byte tail) and counts cut inside a group.
TEST(RleBitPacked, DecoderMatchesTheReferenceForEveryWidth) {
  std::mt19937 rng(7);
  for (int width = 0; width <= 32; ++width) {
    const uint32_t max = width == 32 ? 0xffffffffu : (1u << width) - 1;
    for (size_t count : {1u, 7u, 8u, 9u, 63u, 1000u, 4099u}) {
      std::vector<uint32_t> values(count);
      for (size_t i = 0; i < count; ++i)
        values[i] = (rng() % 5 == 0 && i > 0) ? values[i - 1] : (rng() & max);
      std::string bytes;
      encode_rle_bit_packed(values.data(), values.size(), width, bytes);
      std::vector<uint32_t> decoded;
      ASSERT_TRUE(decode_rle_bit_packed(bytes, width, count, decoded)) << width << " " << count;
      EXPECT_EQ(decoded, values) << "bit width " << width << ", " << count << " values";
      EXPECT_EQ(decoded, decode(bytes, width, count));
    }
  }
}

TEST(RleBitPacked, TruncatedStreamsAreRefusedUnlessOnlyPaddingIsCut) {
  std::vector<uint32_t> values(100);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint32_t>(i * 37 % 1000);
  std::string bytes;
  encode_rle_bit_packed(values.data(), values.size(), 10, bytes);
  // One bit-packed run: a 1-byte header, then 13 groups of 8 (130 bytes) of which the last 4
  // values are padding: 125 bytes carry values.
  ASSERT_EQ(bytes.size(), 1u + 130u);
  std::vector<uint32_t> decoded;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    const bool ok = decode_rle_bit_packed(bytes.substr(0, cut), 10, values.size(), decoded);
    EXPECT_EQ(ok, cut >= 1 + 125) << cut;
    if (ok) {
      EXPECT_EQ(decoded, values) << "only padding was cut";
    }
  }
}

TEST(RleBitPacked, LeadingRunValueSeesOnlyARunCoveringTheCount) {
  std::vector<uint32_t> ones(1000, 1);
  std::string run;
  encode_rle_bit_packed(ones.data(), ones.size(), 1, run);
  EXPECT_EQ(leading_run_value(run, 1, 1000), 1u);
  EXPECT_EQ(leading_run_value(run, 1, 999), 1u);
  EXPECT_EQ(leading_run_value(run, 1, 1001), std::nullopt);  // shorter than the page
  ones[500] = 0;
  std::string mixed;
  encode_rle_bit_packed(ones.data(), ones.size(), 1, mixed);
  EXPECT_EQ(leading_run_value(mixed, 1, 1000), std::nullopt);
  EXPECT_EQ(leading_run_value("", 1, 1), std::nullopt);
  EXPECT_EQ(leading_run_value(run.substr(0, run.size() - 1), 1, 1000), std::nullopt);  // no value
}

TEST(RleBitPacked, WidthOneBitsAsBytesMatchUnpackBits) {
  std::mt19937 rng(16);
  std::vector<uint8_t> packed(64);
  for (auto& b : packed) b = static_cast<uint8_t>(rng());
  // Both loops: the AVX-512 one runs only where the CPU has it (cpu_features.hpp).
  for (SimdPath path : {SimdPath::baseline, SimdPath::fastest}) {
    for (size_t n = 0; n <= 8 * packed.size(); ++n) {
      std::vector<uint32_t> expected(n);
      unpack_bits(packed.data(), packed.data() + packed.size(), 1, n, expected.data());
      std::vector<uint8_t> got(n);
      const size_t ones = unpack_bits_to_bytes(packed.data(), n, got.data(), path);
      size_t expected_ones = 0;
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(got[i], expected[i]) << "n " << n << " bit " << i;
        expected_ones += expected[i];
      }
      EXPECT_EQ(ones, expected_ones) << "n " << n;
    }
  }
}

TEST(RleBitPacked, BitLevelsDecodeEveryMixOfRunsOnBothPaths) {
  std::mt19937 rng(1616);
  for (double null_share : {0.0, 0.02, 0.1, 0.5, 0.9, 1.0}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{63}, size_t{64}, size_t{65},
                     size_t{1000}, size_t{4099}}) {
      std::bernoulli_distribution is_null(null_share);
      std::vector<uint32_t> levels(n);
      for (auto& level : levels) level = is_null(rng) ? 0 : 1;
      std::string encoded;
      encode_rle_bit_packed(levels.data(), n, 1, encoded);
      for (SimdPath path : {SimdPath::baseline, SimdPath::fastest}) {
        std::vector<uint8_t> got(n + k_bit_level_slack, 7);
        const BitLevels decoded = decode_bit_levels(encoded, n, got.data(), path);
        ASSERT_TRUE(decoded.ok) << "nulls " << null_share << " n " << n;
        size_t ones = 0;
        for (size_t i = 0; i < n; ++i) {
          ASSERT_EQ(got[i], levels[i]) << "nulls " << null_share << " n " << n << " level " << i;
          ones += levels[i];
        }
        EXPECT_EQ(decoded.ones, ones);
        EXPECT_LE(decoded.highest, 1u);
      }
    }
  }
}

TEST(RleBitPacked, BitLevelsAgreeOnCutAndForgedStreams) {
  // Every prefix of a mixed stream, and RLE values above 1: both paths give the same verdict, the
  // same levels when they accept and the same highest level.
  std::vector<uint32_t> levels(300);
  std::mt19937 rng(7);
  for (auto& level : levels) level = rng() % 10 == 0 ? 0 : 1;
  std::string encoded;
  encode_rle_bit_packed(levels.data(), levels.size(), 1, encoded);
  std::string forged = encoded;
  forged += std::string("\x10\x03", 2);  // an RLE run of 8 levels of 3
  for (const std::string& stream : {encoded, forged}) {
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
      for (size_t n : {levels.size(), levels.size() + 8}) {
        const std::string_view bytes(stream.data(), cut);
        std::vector<uint8_t> base(n + k_bit_level_slack), fast(n + k_bit_level_slack);
        const BitLevels a = decode_bit_levels(bytes, n, base.data(), SimdPath::baseline);
        const BitLevels b = decode_bit_levels(bytes, n, fast.data(), SimdPath::fastest);
        ASSERT_EQ(a.ok, b.ok) << "cut " << cut << " n " << n;
        if (!a.ok) continue;
        EXPECT_EQ(a.ones, b.ones) << "cut " << cut << " n " << n;
        EXPECT_EQ(a.highest, b.highest) << "cut " << cut << " n " << n;
        EXPECT_TRUE(std::equal(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(n),
                               fast.begin()))
            << "cut " << cut << " n " << n;
      }
    }
  }
  std::vector<uint8_t> out(8 + k_bit_level_slack);
  EXPECT_EQ(decode_bit_levels(std::string("\x10\x03", 2), 8, out.data()).highest, 3u);
  EXPECT_FALSE(decode_bit_levels(std::string("\x00\x01", 2), 8, out.data()).ok);  // empty run
}

TEST(RleBitPacked, UnpackBitsGivesTheSameValuesOnBothPaths) {
  // Every width, counts around the permute loop's groups of 16, and streams ending exactly where
  // the values do (the loop's loads must stay before `end`).
  std::mt19937 rng(25);
  for (int width = 1; width <= 32; ++width) {
    for (size_t n : {size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{64}, size_t{1000},
                     size_t{1024}}) {
      std::vector<uint32_t> values(n);
      const uint64_t mask = width == 32 ? 0xffffffffull : (1ull << width) - 1;
      for (auto& v : values) v = static_cast<uint32_t>(rng() & mask);
      // The plain bit-packed form, exactly (n * width + 7) / 8 bytes, in a buffer of its size.
      std::vector<uint8_t> bits((n * static_cast<size_t>(width) + 7) / 8);
      for (size_t i = 0; i < n; ++i)
        for (int b = 0; b < width; ++b)
          if ((values[i] >> b) & 1) {
            const size_t bit = i * static_cast<size_t>(width) + static_cast<size_t>(b);
            bits[bit / 8] = static_cast<uint8_t>(bits[bit / 8] | (1u << (bit % 8)));
          }
      for (SimdPath path : {SimdPath::baseline, SimdPath::fastest}) {
        std::vector<uint32_t> got(n);
        unpack_bits(bits.data(), bits.data() + bits.size(), width, n, got.data(), path);
        ASSERT_EQ(got, values) << "width " << width << " n " << n;
      }
    }
  }
}

}  // namespace
}  // namespace sl::parquet
