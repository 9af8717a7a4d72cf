// Notifier outcomes and the log notifier.
#include "integrations/notifier.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <utility>

namespace sl::integrations {

std::string_view outcome_name(NotifyOutcome outcome) {
  switch (outcome) {
    case NotifyOutcome::sent:
      return "sent";
    case NotifyOutcome::retry_later:
      return "retry_later";
    case NotifyOutcome::rejected:
      return "rejected";
    case NotifyOutcome::uncertain:
      return "uncertain";
  }
  return "";
}

LogNotifier::LogNotifier(size_t per_second, Clock now_ms)
    : per_second_(per_second), now_ms_(std::move(now_ms)) {
  if (!now_ms_) {
    now_ms_ = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

LogNotifier::~LogNotifier() { report_held_back(); }

void LogNotifier::report_held_back() {
  if (held_back_ > 0) {
    spdlog::info("notify (no Slack webhook): {} more message{} in that second, at debug level only",
                 held_back_, held_back_ == 1 ? "" : "s");
  }
  held_back_ = 0;
}

NotifyResult LogNotifier::post(std::string_view json_body) {
  const auto body = nlohmann::json::parse(json_body, nullptr, false);
  const std::string text = body.is_object() && body.contains("text") && body["text"].is_string()
                               ? body["text"].get<std::string>()
                               : std::string(json_body);
  const int64_t second = now_ms_() / 1000;
  if (second != second_) {
    report_held_back();
    second_ = second;
    shown_ = 0;
  }
  if (shown_ < per_second_) {
    ++shown_;
    spdlog::info("notify (no Slack webhook): {}", text);
  } else {
    ++held_back_;
    spdlog::debug("notify (no Slack webhook): {}", text);
  }
  return {};
}

}  // namespace sl::integrations
