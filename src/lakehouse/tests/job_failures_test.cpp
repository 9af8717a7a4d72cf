// clean_text: what a job stores from outside servers is valid, printable, bounded UTF-8.
#include "lakehouse/job_failures.hpp"

#include <gtest/gtest.h>

namespace sl::lakehouse {
namespace {

TEST(CleanText, ValidPrintableAndBounded) {
  EXPECT_EQ(clean_text("no_service"), "no_service");
  EXPECT_EQ(clean_text(std::string("a\0b\nc\x7f", 6)), "a b c ");
  EXPECT_EQ(clean_text("bad \xff\xfe byte"), "bad \uFFFD\uFFFD byte");
  EXPECT_EQ(clean_text("\xC3"), "\uFFFD");                      // truncated sequence
  EXPECT_EQ(clean_text("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate is not UTF-8
  EXPECT_EQ(clean_text("éééé", 6), "é…");  // cut at a character boundary, with "…"
  const std::string long_text(3000, 'x');
  const std::string cut = clean_text(long_text);
  EXPECT_EQ(cut.size(), k_max_error_bytes);
  EXPECT_TRUE(cut.ends_with("…"));
}

}  // namespace
}  // namespace sl::lakehouse
