#include <gtest/gtest.h>

#include "parquet/compression.hpp"

#include <lz4.h>

namespace sl::parquet {
namespace {

TEST(Compression, EveryCodecRoundTrips) {
  std::string input;
  for (int i = 0; i < 10000; ++i) input += "Course à pied " + std::to_string(i % 97) + ";";
  for (Codec codec : {Codec::uncompressed, Codec::snappy, Codec::gzip, Codec::zstd, Codec::lz4_raw,
                      Codec::brotli}) {
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
  EXPECT_EQ(decompress(Codec::brotli, "x", 1, out).error().code, Errc::corrupt);
  ASSERT_TRUE(compress(Codec::brotli, std::string(1000, 'x'), packed).ok());
  EXPECT_EQ(decompress(Codec::brotli, packed, 999, out).error().code, Errc::corrupt);
  EXPECT_EQ(decompress(Codec::brotli, packed.substr(0, packed.size() - 1), 1000, out).error().code,
            Errc::corrupt);
  EXPECT_EQ(decompress(Codec::lz4, std::string("\0\0\0\x05\0\0\0\x09xy", 10), 5, out).error().code,
            Errc::corrupt);
  EXPECT_EQ(decompress(Codec::lzo, "x", 1, out).error().code, Errc::unsupported);
}

TEST(Compression, MultiMemberGzip) {
  std::string a, b, out;
  ASSERT_TRUE(compress(Codec::gzip, "hello ", a).ok());
  ASSERT_TRUE(compress(Codec::gzip, "world", b).ok());
  ASSERT_TRUE(decompress(Codec::gzip, a + b, 11, out).ok());
  EXPECT_EQ(out, "hello world");
}

// The deprecated LZ4 codec: Hadoop frames (u32be raw size, u32be packed size, block), several of
// them, as parquet-java writes; and a bare block, as old parquet-cpp wrote under the same label.
TEST(Compression, HadoopFramedAndBareLz4) {
  auto block = [](std::string_view raw) {
    std::string packed(static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw.size()))), '\0');
    int n = LZ4_compress_default(raw.data(), packed.data(), static_cast<int>(raw.size()),
                                 static_cast<int>(packed.size()));
    packed.resize(static_cast<size_t>(n));
    return packed;
  };
  auto be32 = [](uint32_t v) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
    return out;
  };
  std::string a(3000, 'a'), b = "Randonnée 12 km, Natation 1,5 km";
  std::string framed;
  for (const std::string& raw : {a, b}) {
    std::string packed = block(raw);
    framed += be32(static_cast<uint32_t>(raw.size())) + be32(static_cast<uint32_t>(packed.size())) +
              packed;
  }
  std::string out;
  ASSERT_TRUE(decompress(Codec::lz4, framed, a.size() + b.size(), out).ok());
  EXPECT_EQ(out, a + b);
  ASSERT_TRUE(decompress(Codec::lz4, block(a + b), a.size() + b.size(), out).ok());
  EXPECT_EQ(out, a + b);
  EXPECT_EQ(decompress(Codec::lz4, framed, a.size() + b.size() + 1, out).error().code,
            Errc::corrupt);
}

TEST(Compression, ParsesCodecNames) {
  EXPECT_EQ(*parse_codec("zstd"), Codec::zstd);
  EXPECT_EQ(*parse_codec("brotli"), Codec::brotli);
  EXPECT_FALSE(parse_codec("lzo").ok());
}

}  // namespace
}  // namespace sl::parquet
