#include "common/fs.hpp"

#include <gtest/gtest.h>

namespace sl::fs {
namespace {

TEST(Fs, AtomicWriteThenRead) {
  TempDir dir;
  auto path = dir.path() / "a.txt";
  ASSERT_TRUE(write_file_atomic(path, "first").ok());
  ASSERT_TRUE(write_file_atomic(path, "second").ok());
  auto content = read_file(path);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "second");
}

TEST(Fs, MissingFileIsNotFoundAndNamed) {
  TempDir dir;
  auto content = read_file(dir.path() / "nope");
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.error().code, Errc::not_found);
  EXPECT_NE(content.error().message.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace sl::fs
