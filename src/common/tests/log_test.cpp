#include "common/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace sl::log {
namespace {

TEST(Log, JsonLinesEscapeTheMessage) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("t", sink);
  logger.set_formatter(make_formatter(Format::json));
  logger.info("load: \"data_rh.csv\":42\tbad\\row\nnext");
  auto line = out.str();
  ASSERT_FALSE(line.empty());
  auto parsed = nlohmann::json::parse(line);  // throws (fails the test) when not valid JSON
  EXPECT_EQ(parsed["msg"], "load: \"data_rh.csv\":42\tbad\\row\nnext");
  EXPECT_EQ(parsed["level"], "info");
}

TEST(Log, ParsesFormatsAndLevels) {
  EXPECT_EQ(*parse_format("json"), Format::json);
  EXPECT_FALSE(parse_format("xml").ok());
  EXPECT_EQ(*parse_level("warn"), spdlog::level::warn);
  EXPECT_FALSE(parse_level("loud").ok());
}

}  // namespace
}  // namespace sl::log
