#include "common/byte_cursor.hpp"

#include <gtest/gtest.h>

namespace sl {
namespace {

TEST(ByteCursor, ReadsLittleAndBigEndian) {
  const unsigned char data[] = {0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 0x03, 0x04};
  ByteCursor c(data, sizeof data);
  EXPECT_EQ(c.fixed_le<uint32_t>("le"), 0x04030201u);
  EXPECT_EQ(c.fixed_be<uint32_t>("be"), 0x01020304u);
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.at_end());
}

TEST(ByteCursor, TruncationIsStickyAndNamed) {
  const unsigned char data[] = {0x01, 0x02};
  ByteCursor c(data, sizeof data);
  EXPECT_EQ(c.fixed_be<uint32_t>("Begin.final_lsn"), 0u);
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error().find("truncated Begin.final_lsn"), std::string::npos);
  EXPECT_EQ(c.u8(), 0);  // stays failed, returns zeros
  EXPECT_EQ(c.remaining(), 0u);
}

TEST(ByteCursor, Varints) {
  const unsigned char data[] = {0xac, 0x02, 0x03, 0x80};
  ByteCursor c(data, sizeof data);
  EXPECT_EQ(c.uvarint(), 300u);
  EXPECT_EQ(c.zigzag_varint(), -2);
  c.uvarint("dangling");
  EXPECT_FALSE(c.ok());
}

}  // namespace
}  // namespace sl
