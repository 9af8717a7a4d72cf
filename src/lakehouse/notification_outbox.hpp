// notification_outbox: the table that joins the notifier's two halves (enqueue from the change
// stream, send to the Notifier), its SQL, and the pure rule from a post's outcome to the row's
// next status.
//
// A row's life: pending → sending (claimed, committed before the post) → sent | pending again
// with a retry time | failed | uncertain. A row found `sending` when the job starts belongs to
// a job that died during its post: it may have been posted, so it becomes uncertain.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "integrations/notifier.hpp"
#include "lakehouse/activity_card.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

// Rows left `sending` by a job that died during its post → uncertain; returns how many.
Result<size_t> mark_interrupted_uncertain(pg::Connection& sql);

inline constexpr std::string_view k_notify_job = "notify";  // job_failures.job

struct EnqueueResult {
  size_t added = 0;                 // new outbox rows
  std::vector<std::string> failed;  // activity ids that could not be queued
};

// A source transaction's new activities into the outbox, in one database transaction (the key
// activity_id makes a replayed transaction add nothing). Each activity is queued under its own
// savepoint: one whose card cannot be built or whose row is refused is logged with its activity
// and employee ids, recorded in `job_failures` (job `notify`, item "activity <id>") in the same
// transaction, and skipped; the others are queued, so the source can be acknowledged and one bad
// activity never blocks the stream.
Result<EnqueueResult> enqueue_activities(pg::Connection& sql,
                                         const std::vector<NewActivity>& activities);

struct ClaimedNotification {
  std::string activity_id;
  std::string payload;
  int attempts = 0;  // including this one
};

// Claims the oldest due pending row (status `sending`, attempts + 1), or nullopt.
Result<std::optional<ClaimedNotification>> claim_next(pg::Connection& sql);

enum class OutboxStatus { sent, pending, failed, uncertain };
std::string_view status_name(OutboxStatus status);

// What a post's outcome does to its row.
struct OutboxUpdate {
  OutboxStatus status = OutboxStatus::sent;
  std::optional<int> http_status;         // the answer's status (kept as it was for uncertain)
  std::optional<std::string> last_error;  // nullopt: cleared
  std::optional<std::chrono::milliseconds> retry_in;  // pending only: the next attempt's delay
};

// sent → sent; retry_later → pending after Retry-After when given, else 2^attempts s (at most
// 5 min), or failed once `max_attempts` were made; rejected → failed; uncertain → uncertain.
OutboxUpdate outbox_update(const integrations::NotifyResult& result, int attempts,
                           int max_attempts);

// Records `update` for a claimed row; `channel` is the Notifier's (sent rows only). The error
// text comes from outside (a webhook's answer): it is stored clean (job_failures.hpp clean_text:
// valid UTF-8, no control characters, bounded).
Status record_outcome(pg::Connection& sql, const std::string& activity_id, std::string_view channel,
                      const OutboxUpdate& update);

// An announced activity (a `sent` row), for the dashboard's live feed.
struct Announced {
  std::string activity_id;
  std::string sent_at;     // PostgreSQL's text of sent_at (exact: the next call's cursor)
  int64_t sent_at_ms = 0;  // the same, ms since the epoch
  std::string text;        // the message as posted (the payload's "text")
};

// The sent rows after (`after_sent_at`, `after_activity_id`) in (sent_at, activity_id) order, at
// most `limit`; without a cursor the newest `limit`, oldest first. One notifier sends at a time
// and stamps sent_at at its short outcome transaction, so a row is never stamped behind a row
// already read. Index `notification_outbox_sent` (migration 5) serves both.
Result<std::vector<Announced>> announced_after(pg::Connection& sql,
                                               const std::optional<Announced>& after,
                                               size_t limit);

}  // namespace sl::lakehouse
