#include "integrations/notifier.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace sl::integrations {
namespace {

// The default logger replaced by one writing into `out` for the test's lifetime.
class CapturedLog {
 public:
  explicit CapturedLog(spdlog::level::level_enum level) : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("captured",
                                                   std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    logger->set_pattern("%l %v");
    logger->set_level(level);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  size_t count(const std::string& needle) const {
    size_t n = 0;
    const std::string text = out.str();
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }
  std::ostringstream out;

 private:
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(LogNotifier, ShowsTheFirstMessagesOfASecondAndCountsTheRest) {
  CapturedLog log(spdlog::level::info);
  int64_t now = 5'000;
  {
    LogNotifier notifier(3, [&] { return now; });
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(notifier.post(R"({"text":"Bravo Zoé !"})").outcome, NotifyOutcome::sent);
    }
    now += 1'000;  // the next second: its first message shows, and the count of the last one
    notifier.post(R"({"text":"Encore"})");
    notifier.post(R"({"text":"Encore"})");
  }
  EXPECT_EQ(log.count("info notify (no Slack webhook): Bravo Zoé !"), 3u);
  EXPECT_EQ(log.count("7 more messages in that second"), 1u);
  EXPECT_EQ(log.count("info notify (no Slack webhook): Encore"), 2u);
  EXPECT_EQ(log.count("more message"), 1u) << log.out.str();  // nothing held back in the last second
}

TEST(LogNotifier, DebugLevelShowsEveryMessage) {
  CapturedLog log(spdlog::level::debug);
  int64_t now = 0;
  {
    LogNotifier notifier(2, [&] { return now; });
    for (int i = 0; i < 5; ++i) notifier.post(R"({"text":"Sortie"})");
  }
  EXPECT_EQ(log.count("notify (no Slack webhook): Sortie"), 5u);
  EXPECT_EQ(log.count("debug notify (no Slack webhook): Sortie"), 3u);
  EXPECT_EQ(log.count("3 more messages in that second"), 1u);  // reported when the notifier goes
}

TEST(LogNotifier, ABodyWithoutTextIsLoggedWhole) {
  CapturedLog log(spdlog::level::info);
  LogNotifier notifier;
  notifier.post("not json");
  EXPECT_EQ(log.count("notify (no Slack webhook): not json"), 1u);
}

}  // namespace
}  // namespace sl::integrations
