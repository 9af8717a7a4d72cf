// The Slack notifier's loop: the change source's new activities into the outbox, and one due
// outbox row at a time to the Notifier.
#include "lakehouse/activity_notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cdc/pg_text.hpp"
#include "common/clock.hpp"
#include "common/fault_point.hpp"
#include "lakehouse/job_failures.hpp"
#include "lakehouse/notification_outbox.hpp"

namespace sl::lakehouse {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Result<NotifierStats> run_activity_notifier(pg::Connection& sql, cdc::ChangeSource& source,
                                            integrations::Notifier& notifier,
                                            const NotifierOptions& options) {
  NotifierStats stats;
  auto stop = [&] { return options.stop_requested && options.stop_requested(); };
  const std::function<int64_t()> now_us = options.now_us ? options.now_us : unix_now_us;

  SL_ASSIGN_OR_RETURN(size_t interrupted, mark_interrupted_uncertain(sql));
  stats.uncertain += interrupted;
  if (interrupted > 0)
    spdlog::warn("notify: {} notification(s) interrupted while posting marked uncertain",
                 interrupted);

  std::vector<NewActivity> transaction;
  auto on_event = [&](const cdc::ChangeEvent& e) -> Status {
    auto a = new_activity(e);
    if (!a) return {};
    if (options.max_age.count() > 0) {
      const auto start = cdc::parse_pg_timestamp(a->get("start_date_utc"), true);
      const int64_t max_age_us = options.max_age.count() * 3'600'000'000LL;
      if (start && now_us() - *start > max_age_us) {
        ++stats.too_old;
        return {};
      }
    }
    transaction.push_back(std::move(*a));
    return {};
  };
  auto on_transaction_end = [&](const cdc::SourcePosition& end) -> Status {
    if (!transaction.empty()) {
      SL_ASSIGN_OR_RETURN(auto added, enqueue_activities(sql, transaction));
      stats.queued += added.added;
      stats.not_queued += added.failed.size();
      transaction.clear();
    }
    source.confirm(end);  // the outbox rows are committed: durable
    return {};
  };
  // A record the source could not read (a Kafka poison record): reported, skipped.
  auto on_rejected = [&](const cdc::RejectedRecord& record) {
    return record_rejected_record(sql, k_notify_job, record);
  };
  const cdc::ChangeHandler handler{.on_event = on_event,
                                   .on_rejected = on_rejected,
                                   .on_transaction_end = on_transaction_end,
                                   .on_reset = [&] { transaction.clear(); }};

  auto next_post = Clock::now();
  // Claims and posts one due notification; returns whether there was one.
  auto send_one = [&]() -> Result<bool> {
    SL_ASSIGN_OR_RETURN(auto claimed, claim_next(sql));
    if (!claimed) return false;
    fault_point("notify.before_post", claimed->activity_id);
    const auto result = notifier.post(claimed->payload);
    next_post = notifier.rate_limited()
                    ? Clock::now() + std::max(options.min_interval, result.retry_after)
                    : Clock::now();
    const auto update = outbox_update(result, claimed->attempts, options.max_attempts);
    switch (update.status) {
      case OutboxStatus::sent:
        ++stats.sent;
        break;
      case OutboxStatus::pending:
        ++stats.retried;
        break;
      case OutboxStatus::failed:
        ++stats.failed;
        if (result.outcome == integrations::NotifyOutcome::rejected)
          spdlog::error("notify: {} refused activity {}: HTTP {} {}", notifier.channel(),
                        claimed->activity_id, result.http_status, clean_text(result.detail));
        break;
      case OutboxStatus::uncertain:
        ++stats.uncertain;
        spdlog::warn("notify: activity {}: no answer from {} ({}): marked uncertain",
                     claimed->activity_id, notifier.channel(), clean_text(result.detail));
        break;
    }
    if (auto recorded = record_outcome(sql, claimed->activity_id, notifier.channel(), update);
        !recorded) {
      // The row's outcome must be kept, even if its error text cannot be: without it the row
      // would stay `sending`, and be called uncertain at the next start.
      spdlog::error("notify: activity {}: outcome {} recorded without its detail: {}",
                    claimed->activity_id, status_name(update.status), recorded.error().to_string());
      OutboxUpdate bare = update;
      bare.last_error = "(the channel's answer could not be stored)";
      SL_TRY(record_outcome(sql, claimed->activity_id, notifier.channel(), bare));
    }
    return true;
  };

  auto last_data = Clock::now();
  bool nothing_due = false;
  while (!stop()) {
    const auto wait =
        std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(next_post - Clock::now()),
                   std::chrono::milliseconds(0), std::chrono::milliseconds(100));
    SL_ASSIGN_OR_RETURN(bool got, source.poll(wait, handler));
    if (got) {
      last_data = Clock::now();
      nothing_due = false;
    }
    if (Clock::now() >= next_post) {
      SL_ASSIGN_OR_RETURN(bool posted, send_one());
      nothing_due = !posted;
    }
    if (!got && nothing_due && options.idle_exit.count() > 0 &&
        Clock::now() - last_data >= options.idle_exit)
      break;
  }
  SL_TRY(source.flush_confirmed());
  return stats;
}

}  // namespace sl::lakehouse
