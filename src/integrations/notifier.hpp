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
#include <cstddef>
#include <cstdint>
#include <functional>
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
// At most `per_second` messages a second reach the info level — the demo shows each of its few
// messages, while `up` at 10,000 activities a second does not drown its log (and its disk) in
// them: the rest go to the debug level and one info line a second counts them.
class LogNotifier final : public Notifier {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds, monotonic
  explicit LogNotifier(size_t per_second = 20, Clock now_ms = {});
  ~LogNotifier() override;
  std::string_view channel() const override { return "log"; }
  bool rate_limited() const override { return false; }
  NotifyResult post(std::string_view json_body) override;

 private:
  void report_held_back();

  size_t per_second_;
  Clock now_ms_;
  int64_t second_ = -1;   // the second (now_ms / 1000) being counted
  size_t shown_ = 0;      // messages at info level in that second
  size_t held_back_ = 0;  // messages at debug level only in that second
};

}  // namespace sl::integrations
