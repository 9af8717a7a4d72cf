// Our Snappy decoder against libsnappy's compressor (random data of every compressibility) and
// hand-built blocks for the element forms libsnappy never writes (4-byte offsets, long literal
// lengths) and for every malformation.
#include <gtest/gtest.h>
#include <snappy.h>

#include <random>

#include "parquet/snappy_decoder.hpp"

namespace sl::parquet {
namespace {

std::string decode(std::string_view block, size_t size, bool* ok) {
  // Guard bytes after the output: the decoder must not write past `size`.
  std::string out(size + 64, '\x5a');
  *ok = snappy_decompress(block, out.data(), size);
  for (size_t i = size; i < out.size(); ++i) EXPECT_EQ(out[i], '\x5a') << "wrote past the end";
  out.resize(size);
  return out;
}

std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

TEST(SnappyDecoder, MatchesLibsnappyOnDataOfEveryShape) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 300; ++round) {
    const size_t size = rng() % 3 == 0 ? rng() % 64 : rng() % 200000;
    std::string raw(size, '\0');
    const int shape = round % 5;
    for (size_t i = 0; i < size; ++i) {
      switch (shape) {
        case 0:  // incompressible
          raw[i] = static_cast<char>(rng());
          break;
        case 1:  // runs of one byte (offset-1 copies)
          raw[i] = static_cast<char>(i / (1 + rng() % 200) % 3);
          break;
        case 2:  // short periods 2..15 (overlapping copies)
          raw[i] = static_cast<char>((i % (2 + round % 14)) * 7);
          break;
        case 3:  // little-endian int64 counters, as in Parquet pages
          raw[i] = static_cast<char>(i % 8 == 0 ? (i / 8) & 0xff : i % 8 == 1 ? (i / 2048) : 0);
          break;
        default:  // text with repeats at every distance
          raw[i] = "Activité de course à pied "[rng() % 4 == 0 ? rng() % 26 : i % 26];
      }
    }
    std::string block;
    snappy::Compress(raw.data(), raw.size(), &block);
    bool ok = false;
    EXPECT_EQ(decode(block, size, &ok), raw) << "round " << round;
    EXPECT_TRUE(ok) << "round " << round;
  }
}

TEST(SnappyDecoder, ElementFormsLibsnappyDoesNotWrite) {
  // A 61-byte literal with its length in one extra byte (tag 60 << 2), then a copy with a 4-byte
  // offset (kind 3) of 8 bytes from 61 back, then a copy with a 2-byte offset (kind 2).
  std::string literal(61, 'a');
  for (size_t i = 0; i < literal.size(); ++i) literal[i] = static_cast<char>('a' + i % 26);
  std::string block = varint(61 + 8 + 3);
  block += static_cast<char>(60 << 2);
  block += static_cast<char>(60);  // length - 1
  block += literal;
  block += static_cast<char>(((8 - 1) << 2) | 3);
  block += std::string("\x3d\0\0\0", 4);  // offset 61
  block += static_cast<char>(((3 - 1) << 2) | 2);
  block += std::string("\x02\0", 2);  // offset 2: overlapping
  bool ok = false;
  std::string out = decode(block, 72, &ok);
  ASSERT_TRUE(ok);
  std::string expected = literal + literal.substr(0, 8);
  expected += expected.substr(expected.size() - 2, 2);
  expected += expected[expected.size() - 2];
  EXPECT_EQ(out, expected);
  // A literal whose length takes 4 extra bytes (tag 63 << 2).
  std::string four =
      varint(5) + static_cast<char>(63 << 2) + std::string("\x04\0\0\0", 4) + "hello";
  EXPECT_EQ(decode(four, 5, &ok), "hello");
  EXPECT_TRUE(ok);
}

TEST(SnappyDecoder, MalformedBlocksAreRefused) {
  std::string raw;
  for (int i = 0; i < 5000; ++i) raw += "sport " + std::to_string(i % 50) + " ";
  std::string block;
  snappy::Compress(raw.data(), raw.size(), &block);
  bool ok = true;
  decode(block, raw.size() - 1, &ok);
  EXPECT_FALSE(ok) << "length preamble differs from the expected size";
  for (size_t cut = 0; cut < block.size(); cut += 7) {
    decode(block.substr(0, cut), raw.size(), &ok);
    EXPECT_FALSE(ok) << "truncated at " << cut;
  }
  auto refuse = [&](const std::string& b, size_t size, const char* why) {
    bool result = true;
    decode(b, size, &result);
    EXPECT_FALSE(result) << why;
  };
  refuse(varint(4) + static_cast<char>((4 - 1) << 2 | 2) + std::string("\x01\0", 2), 4,
         "copy before any output");
  refuse(varint(8) + static_cast<char>(3 << 2) + "abcd" + static_cast<char>((4 - 1) << 2 | 2) +
             std::string("\0\0", 2),
         8, "offset 0");
  refuse(varint(8) + static_cast<char>(3 << 2) + "abcd" + static_cast<char>((4 - 1) << 2 | 2) +
             std::string("\x05\0", 2),
         8, "offset before the output's start");
  refuse(varint(4) + static_cast<char>(3 << 2) + "abcd" + static_cast<char>((8 - 1) << 2 | 2) +
             std::string("\x04\0", 2),
         4, "copy past the end of the output");
  refuse(varint(3) + static_cast<char>(3 << 2) + "abcd", 3, "literal past the end of the output");
  refuse(varint(6) + static_cast<char>(3 << 2) + "abcd", 6, "output shorter than declared");
  refuse(varint(4) + static_cast<char>(63 << 2) + "\xff\xff", 4, "truncated literal length");
  refuse(std::string("\xff\xff\xff\xff\xff\x01", 6), 0, "length preamble too long");
  bool empty_ok = false;
  decode(varint(0), 0, &empty_ok);
  EXPECT_TRUE(empty_ok);
}

}  // namespace
}  // namespace sl::parquet
