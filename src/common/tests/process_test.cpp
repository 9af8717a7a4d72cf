#include "common/process.hpp"

#include <gtest/gtest.h>

namespace sl::process {
namespace {

TEST(Process, CapturesOutputAndExitCode) {
  auto outcome = run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(outcome.ok()) << outcome.error().to_string();
  EXPECT_EQ(outcome->exit_code, 3);
  EXPECT_NE(outcome->output.find("out"), std::string::npos);
  EXPECT_NE(outcome->output.find("err"), std::string::npos);
}

TEST(Process, MissingProgramIsAnError) {
  auto outcome = run({"/nonexistent/program"});
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("/nonexistent/program"), std::string::npos);
}

TEST(Process, RendersArgvForMessages) {
  EXPECT_EQ(render({"pg_ctl", "-D", "/a b", "it's"}), "pg_ctl -D '/a b' 'it'\\''s'");
}

}  // namespace
}  // namespace sl::process
