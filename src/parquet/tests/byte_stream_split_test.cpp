// BYTE_STREAM_SPLIT: values through a reference encoder written from Encodings.md (every width the
// spec allows), a section with more values than the levels ask for, and malformed sections.
#include "parquet/byte_stream_split.hpp"

#include <gtest/gtest.h>

namespace sl::parquet {
namespace {

// Encodings.md: byte k of every value, value by value, forms stream k; streams are concatenated.
std::string split(std::string_view plain, size_t width) {
  const size_t n = plain.size() / width;
  std::string out(plain.size(), '\0');
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < width; ++k) out[k * n + i] = plain[i * width + k];
  return out;
}

TEST(ByteStreamSplit, EveryWidthRoundTrips) {
  for (size_t width : {2u, 4u, 5u, 8u, 16u}) {
    std::string plain;
    for (size_t i = 0; i < 37 * width; ++i) plain.push_back(static_cast<char>(i * 7 + width));
    std::string decoded = "stale";
    ASSERT_TRUE(byte_stream_split_to_plain(split(plain, width), 37, width, decoded).ok()) << width;
    EXPECT_EQ(decoded, plain) << width;
  }
}

TEST(ByteStreamSplit, StrideIsTheWholeSection) {
  // 4 doubles encoded, 3 asked for (the levels say so): the stride stays 4.
  std::string plain;
  for (double v : {1.5, -2.25, 1e300, 0.0}) plain.append(reinterpret_cast<const char*>(&v), 8);
  std::string decoded;
  ASSERT_TRUE(byte_stream_split_to_plain(split(plain, 8), 3, 8, decoded).ok());
  EXPECT_EQ(decoded, plain.substr(0, 24));
}

TEST(ByteStreamSplit, MalformedSectionsAreErrors) {
  std::string decoded;
  auto not_whole = byte_stream_split_to_plain(std::string(7, 'x'), 1, 4, decoded);
  ASSERT_FALSE(not_whole.ok());
  EXPECT_EQ(not_whole.error().code, Errc::corrupt);
  EXPECT_NE(not_whole.error().message.find("whole number"), std::string::npos);
  auto too_few = byte_stream_split_to_plain(std::string(8, 'x'), 3, 4, decoded);
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.error().message.find("holds 2 values"), std::string::npos);
  EXPECT_FALSE(byte_stream_split_to_plain("", 1, 0, decoded).ok());
  EXPECT_TRUE(byte_stream_split_to_plain("", 0, 4, decoded).ok());
}

}  // namespace
}  // namespace sl::parquet
