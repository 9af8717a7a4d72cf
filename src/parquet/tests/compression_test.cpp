#include <gtest/gtest.h>

#include "parquet/compression.hpp"

namespace sl::parquet {
namespace {

TEST(Compression, EveryCodecRoundTrips) {
  std::string input;
  for (int i = 0; i < 10000; ++i) input += "Course à pied " + std::to_string(i % 97) + ";";
  for (Codec codec :
       {Codec::uncompressed, Codec::snappy, Codec::gzip, Codec::zstd, Codec::lz4_raw}) {
    std::string packed, unpacked;
    ASSERT_TRUE(compress(codec, input, packed).ok()) << codec_name(codec);
    if (codec != Codec::uncompressed) {
      EXPECT_LT(packed.size(), input.size() / 3) << codec_name(codec);
    }
    ASSERT_TRUE(decompress(codec, packed, input.size(), unpacked).ok()) << codec_name(codec);
    EXPECT_EQ(unpacked, input) << codec_name(codec);
  }
}

TEST(Compression, CorruptOrMislabelledInputIsAnError) {
  std::string packed, out;
  ASSERT_TRUE(compress(Codec::snappy, std::string(1000, 'x'), packed).ok());
  EXPECT_EQ(decompress(Codec::snappy, packed, 999, out).error().code, Errc::corrupt);
  EXPECT_FALSE(decompress(Codec::zstd, "not zstd at all", 10, out).ok());
  EXPECT_FALSE(decompress(Codec::gzip, "\x1f\x8b garbage", 10, out).ok());
  EXPECT_FALSE(decompress(Codec::lz4_raw, std::string("\xff\xff\xff", 3), 10, out).ok());
  EXPECT_EQ(decompress(Codec::brotli, "x", 1, out).error().code, Errc::unsupported);
}

TEST(Compression, MultiMemberGzip) {
  std::string a, b, out;
  ASSERT_TRUE(compress(Codec::gzip, "hello ", a).ok());
  ASSERT_TRUE(compress(Codec::gzip, "world", b).ok());
  ASSERT_TRUE(decompress(Codec::gzip, a + b, 11, out).ok());
  EXPECT_EQ(out, "hello world");
}

TEST(Compression, ParsesCodecNames) {
  EXPECT_EQ(*parse_codec("zstd"), Codec::zstd);
  EXPECT_FALSE(parse_codec("brotli").ok());
}

}  // namespace
}  // namespace sl::parquet
