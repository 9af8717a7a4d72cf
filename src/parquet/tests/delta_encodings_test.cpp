// DELTA encodings: values through a small reference encoder written from Encodings.md (any bit
// width, partial last block, wrapping deltas), prefix/suffix byte arrays, and malformed input.
#include "parquet/delta_encodings.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>

namespace sl::parquet {
namespace {

void uleb(std::string& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(static_cast<char>(v ? b | 0x80 : b));
  } while (v);
}
void zigzag(std::string& out, int64_t v) {
  uleb(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

// Block of 128 values in 4 miniblocks of 32, as parquet-mr and arrow write.
std::string encode(const std::vector<int64_t>& values) {
  std::string out;
  uleb(out, 128);
  uleb(out, 4);
  uleb(out, values.size());
  zigzag(out, values.empty() ? 0 : values[0]);
  for (size_t start = 1; start < values.size(); start += 128) {
    std::vector<uint64_t> deltas;
    for (size_t i = start; i < std::min(values.size(), start + 128); ++i)
      deltas.push_back(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
    int64_t min = std::numeric_limits<int64_t>::max();
    for (uint64_t d : deltas) min = std::min(min, static_cast<int64_t>(d));
    zigzag(out, min);
    std::string widths(4, '\0'), bodies;
    for (size_t m = 0; m < 4 && m * 32 < deltas.size(); ++m) {
      int width = 0;
      for (size_t j = m * 32; j < std::min(deltas.size(), m * 32 + 32); ++j)
        width = std::max(width, 64 - __builtin_clzll((deltas[j] - static_cast<uint64_t>(min)) | 1));
      widths[m] = static_cast<char>(width);
      std::string body(32 * static_cast<size_t>(width) / 8, '\0');
      for (size_t j = 0; j < 32; ++j) {
        uint64_t v =
            m * 32 + j < deltas.size() ? deltas[m * 32 + j] - static_cast<uint64_t>(min) : 0;
        for (int b = 0; b < width; ++b) {
          size_t bit = j * static_cast<size_t>(width) + static_cast<size_t>(b);
          if ((v >> b) & 1) body[bit / 8] = static_cast<char>(body[bit / 8] | (1 << (bit % 8)));
        }
      }
      bodies += body;
    }
    out += widths + bodies;
  }
  return out;
}

std::vector<int64_t> decode(const std::string& bytes, size_t count) {
  ByteCursor in(bytes);
  std::vector<uint64_t> out;
  auto st = decode_delta_binary_packed(in, count, out);
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(in.at_end());
  return {out.begin(), out.end()};
}

TEST(DeltaEncodings, BinaryPackedRoundTripsEveryWidth) {
  std::mt19937_64 rng(7);
  for (size_t n : {0, 1, 2, 33, 128, 129, 300, 1000}) {
    std::vector<int64_t> small, wide;
    for (size_t i = 0; i < n; ++i) {
      small.push_back(static_cast<int64_t>(rng() % 1000) - 500);
      wide.push_back(static_cast<int64_t>(rng()));  // deltas wrap around
    }
    EXPECT_EQ(decode(encode(small), n), small) << n;
    EXPECT_EQ(decode(encode(wide), n), wide) << n;
  }
  std::vector<int64_t> extremes = {std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max(), 0, -1};
  EXPECT_EQ(decode(encode(extremes), 4), extremes);
}

TEST(DeltaEncodings, ByteArraysWithPrefixes) {
  // "apple", "applesauce", "apricot": prefixes 0,5,2; suffixes "apple","sauce","ricot".
  std::string bytes = encode({0, 5, 2}) + encode({5, 5, 5}) + "applesaucericot";
  ByteCursor in(bytes);
  std::string plain;
  ASSERT_TRUE(delta_byte_array_to_plain(in, 3, 0, plain).ok());
  std::string want;
  for (std::string v : {"apple", "applesauce", "apricot"}) {
    uint32_t n = static_cast<uint32_t>(v.size());
    want.append(reinterpret_cast<const char*>(&n), 4);
    want += v;
  }
  EXPECT_EQ(plain, want);

  std::string lengths = encode({2, 0, 3}) + "abxyz";
  ByteCursor in2(lengths);
  plain.clear();
  ASSERT_TRUE(delta_length_byte_array_to_plain(in2, 3, 0, plain).ok());
  EXPECT_EQ(plain.size(), 12u + 5u);
}

TEST(DeltaEncodings, MalformedInputIsAClearError) {
  auto fails = [](const std::string& bytes, size_t count, std::string_view words) {
    ByteCursor in(bytes);
    std::vector<uint64_t> out;
    auto st = decode_delta_binary_packed(in, count, out);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Errc::corrupt);
    EXPECT_NE(st.error().message.find(words), std::string::npos) << st.error().message;
  };
  std::string good = encode({1, 5, 9, 200, -7});
  fails(good.substr(0, good.size() - 1), 5, "truncated");
  fails(good, 6, "holds 5 values");
  std::string bad_header;
  uleb(bad_header, 100);  // not a multiple of 128
  uleb(bad_header, 4);
  uleb(bad_header, 1);
  zigzag(bad_header, 0);
  fails(bad_header, 1, "header");
  std::string wide = encode({0, 1});
  wide[encode({}).size() + 1] = static_cast<char>(65);  // after the header and the min delta
  fails(wide, 2, "bit width 65");

  std::string prefix_too_long = encode({3}) + encode({1}) + "x";
  ByteCursor in(prefix_too_long);
  std::string plain;
  auto st = delta_byte_array_to_plain(in, 1, 0, plain);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("prefix"), std::string::npos);
}

}  // namespace
}  // namespace sl::parquet
