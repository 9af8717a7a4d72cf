// Notifier: where an announcement goes (a Slack webhook, the log), and what an attempt's answer
// means for a sender that must never post twice and never lose a message silently.
//
// A post's outcome is one of:
// - sent: delivered;
// - retry_later: not delivered and safe to post again (wait `retry_after` when the channel gave
//   one: Slack's 429 Retry-After; 5xx; a connection that failed before the request went out);
// - rejected: refused for good (posting again cannot help);
// - uncertain: the request went out but no answer came: it may have been delivered, so the
//   caller records it and does not post again (webhooks are not idempotent).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sl::integrations {

enum class NotifyOutcome { sent, retry_later, rejected, uncertain };
std::string_view outcome_name(NotifyOutcome outcome);

struct NotifyResult {
  NotifyOutcome outcome = NotifyOutcome::sent;
  int http_status = 0;  // 0 without an HTTP answer
  std::chrono::milliseconds retry_after{0};
  std::string detail;  // the channel's answer body or the transport error
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // The outbox's `channel` column: "slack", "log".
  virtual std::string_view channel() const = 0;
  // Whether posts must be spaced out (Slack: about one a second); the log has no limit.
  virtual bool rate_limited() const = 0;
  // Posts one message: a Slack body (JSON with "text" and optional "blocks").
  virtual NotifyResult post(std::string_view json_body) = 0;
};

// The log as a channel (no webhook configured): the message's text at info level, always sent.
class LogNotifier final : public Notifier {
 public:
  std::string_view channel() const override { return "log"; }
  bool rate_limited() const override { return false; }
  NotifyResult post(std::string_view json_body) override;
};

}  // namespace sl::integrations
