// Notifier outcomes and the log notifier.
#include "integrations/notifier.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

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

NotifyResult LogNotifier::post(std::string_view json_body) {
  const auto body = nlohmann::json::parse(json_body, nullptr, false);
  const std::string text = body.is_object() && body.contains("text") && body["text"].is_string()
                               ? body["text"].get<std::string>()
                               : std::string(json_body);
  spdlog::info("notify (no Slack webhook): {}", text);
  return {};
}

}  // namespace sl::integrations
