// Slack incoming webhooks (reference/external-apis.md §1): the Notifier that posts to one, and
// the message body.
//
// Webhooks are not idempotent (no request id), so the outcome of a POST (integrations/notifier)
// is: sent on 2xx; retry_later on 429 (wait `retry_after`, from Retry-After), 5xx, or a
// connection failure before the request went out; rejected on other 4xx (invalid_payload,
// no_service, channel_not_found, action_prohibited...); uncertain when the request went out but
// no answer came (timeout, reset).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integrations/http_client.hpp"
#include "integrations/notifier.hpp"

namespace sl::integrations {

class SlackWebhook final : public Notifier {
 public:
  SlackWebhook(std::string url, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::string_view channel() const override { return "slack"; }
  bool rate_limited() const override { return true; }
  NotifyResult post(std::string_view json_body) override;

 private:
  std::string url_;
  std::chrono::milliseconds timeout_;
  HttpClient http_;
};

// Slack's control characters escaped for mrkdwn text: & < > → &amp; &lt; &gt;.
std::string escape_mrkdwn(std::string_view text);

// An activity card: the plain text (notifications, previews) and Block Kit blocks (a header, the
// sentence, labelled fields, a context line), within Slack's size limits (header ≤ 150 chars,
// section ≤ 3,000, ≤ 10 fields of ≤ 2,000).
struct SlackCard {
  std::string text;    // the sentence, plain
  std::string header;  // e.g. "🏃 Nouvelle activité : Course à pied"
  std::vector<std::pair<std::string, std::string>> fields;  // label → value
  std::string context;                                      // e.g. the comment; "" for none
};
std::string slack_payload(const SlackCard& card);

}  // namespace sl::integrations
