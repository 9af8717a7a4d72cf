// Slack incoming webhooks (reference/external-apis.md §1): the message body, and what an answer
// means for a sender that must never post twice and never lose a message silently.
//
// Webhooks are not idempotent (no request id), so the outcome of a POST is one of:
// - sent: 2xx;
// - retry_later: 429 (wait `retry_after`, from Retry-After), 5xx, or a connection failure before
//   the request went out; safe to post again;
// - rejected: other 4xx (invalid_payload, no_service, channel_not_found, action_prohibited...):
//   posting again cannot help;
// - uncertain: the request went out but no answer came (timeout, reset): Slack may have posted
//   it; the caller records it and does not post again.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integrations/http_client.hpp"

namespace sl::integrations {

enum class SlackOutcome { sent, retry_later, rejected, uncertain };
std::string_view outcome_name(SlackOutcome outcome);

struct SlackResult {
  SlackOutcome outcome = SlackOutcome::sent;
  int http_status = 0;  // 0 without an answer
  std::chrono::milliseconds retry_after{0};
  std::string detail;  // Slack's answer body or the transport error
};

class SlackWebhook {
 public:
  SlackWebhook(std::string url, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  SlackResult post(std::string_view json_body);

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
