// The Slack notifier job: every new activity (a live insert into strava_activities) is announced
// once in French on Slack; never twice, never lost without a trace.
//
// Two halves, joined by the `notification_outbox` table of the source database:
// 1. enqueue: the job's own change source (a slot, default `sportlake_notify`, created at the
//    current position: history is never announced) streams the inserts; for each transaction the
//    messages are written to the outbox (activity_id is the key: a replayed transaction adds
//    nothing) and only then is the slot acknowledged;
// 2. send: one pending row at a time is claimed (status `sending`, committed before the POST),
//    posted to the Notifier (integrations/notifier: Slack, the log), and its outcome recorded
//    (notification_outbox.hpp): `sent`; `pending` again with a retry time (429 after its
//    Retry-After, 5xx and refused connections with exponential backoff, up to `max_attempts`,
//    then `failed`); `failed` for a refusal (4xx); `uncertain` when the request went out without
//    an answer, or when the job died in the middle of a POST (a row found `sending` at start):
//    Slack may have posted it, so it is not posted again (webhooks are not idempotent).
// Only news is announced: an inserted activity that started more than `max_age` ago (7 days) is
// an import or a backfill and stays silent (the seed's consumers posted only live inserts).
// Posts are at least `min_interval` apart (Slack: about 1 per second), and a 429 holds every
// post back for its Retry-After. The log notifier (no webhook URL) has no rate limit; its rows
// are `sent` with channel `log`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "cdc/change_source.hpp"
#include "common/result.hpp"
#include "integrations/notifier.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

struct NotifierOptions {
  std::chrono::milliseconds min_interval{1000};
  int max_attempts = 8;
  // Activities that started longer ago than this are history (an import, a backfill), not news:
  // they are not announced (counted in `too_old`). 0: announce everything.
  std::chrono::hours max_age{7 * 24};
  std::function<int64_t()> now_us;  // the clock for max_age (tests)
  // Stop once nothing arrived for this long and no notification is due (0: run until stopped).
  std::chrono::milliseconds idle_exit{0};
  std::function<bool()> stop_requested;
};

struct NotifierStats {
  size_t queued = 0;      // new outbox rows
  size_t not_queued = 0;  // activities whose card or row failed (job_failures): skipped
  size_t too_old = 0;     // inserts of activities older than max_age: not announced
  size_t sent = 0;
  size_t retried = 0;  // attempts to be made again
  size_t failed = 0;
  size_t uncertain = 0;  // includes rows found `sending` at start
};

// `sql`: a normal connection to the source database (the outbox and the employees' names).
Result<NotifierStats> run_activity_notifier(pg::Connection& sql, cdc::ChangeSource& source,
                                            integrations::Notifier& notifier,
                                            const NotifierOptions& options);

}  // namespace sl::lakehouse
