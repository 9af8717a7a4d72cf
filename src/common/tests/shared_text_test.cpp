#include "common/shared_text.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace sl {
namespace {

TEST(SharedText, OwnTextIsCopiedOnce) {
  std::string source = "a text longer than the short-string buffer of std::string";
  SharedText text(source);
  source.assign(source.size(), 'x');  // the copy does not see later changes
  EXPECT_EQ(text, "a text longer than the short-string buffer of std::string");
  SharedText copy = text;
  EXPECT_EQ(copy.data(), text.data());  // copies share the bytes
  EXPECT_TRUE(SharedText().empty());
  EXPECT_TRUE(SharedText("").empty());
}

TEST(SharedText, AViewKeepsItsBufferAlive) {
  auto buffer = std::make_shared<std::string>("{\"numRecords\":1}{\"numRecords\":2}");
  std::weak_ptr<std::string> watch = buffer;
  SharedText second(buffer, std::string_view(*buffer).substr(16));
  SharedText kept = second;
  buffer.reset();
  second = SharedText();
  EXPECT_FALSE(watch.expired());  // `kept` still holds it
  EXPECT_EQ(kept, "{\"numRecords\":2}");
  kept = SharedText("other");
  EXPECT_TRUE(watch.expired());  // the last view gone, so is the buffer
}

TEST(SharedText, ComparesAndPrintsByContent) {
  SharedText a("same"), b(std::string("same")), c("other");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a, std::string("same"));
  EXPECT_EQ(a, std::string_view("same"));
  EXPECT_EQ(std::optional<SharedText>("same"), "same");
  std::ostringstream out;
  out << a;
  EXPECT_EQ(out.str(), "same");
}

}  // namespace
}  // namespace sl
