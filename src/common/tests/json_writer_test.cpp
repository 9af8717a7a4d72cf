// JsonWriter: comma placement, escaping, numbers; checked by parsing the output with nlohmann.
#include "common/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace sl {
namespace {

TEST(JsonWriter, NestedObjectsAndArraysGetCommasRight) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("a", int64_t{1})
      .key("b")
      .begin_array()
      .number(int64_t{2})
      .string("x")
      .begin_object()
      .end_object()
      .null()
      .end_array()
      .field("c", true)
      .key("d")
      .begin_object()
      .field("e", "f")
      .end_object()
      .end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[2,"x",{},null],"c":true,"d":{"e":"f"}})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string text = std::string("q\"b\\n\nt\tz") + '\x01' + "é";
  std::string out;
  append_json_string(out, text);
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\nt\\tz\\u0001é\"");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text);
}

TEST(JsonWriter, DoublesRoundTripAndNonFiniteBecomesNull) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().number(0.1).number(-3.5e300).number(std::nan("")).raw("7").end_array();
  auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed[0].get<double>(), 0.1);
  EXPECT_EQ(parsed[1].get<double>(), -3.5e300);
  EXPECT_TRUE(parsed[2].is_null());
  EXPECT_EQ(parsed[3].get<int>(), 7);
}

}  // namespace
}  // namespace sl
