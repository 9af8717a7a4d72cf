// notification_outbox SQL and the outcome → status rule.
#include "lakehouse/notification_outbox.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/metrics.hpp"
#include "lakehouse/job_failures.hpp"

namespace sl::lakehouse {

Result<size_t> mark_interrupted_uncertain(pg::Connection& sql) {
  SL_ASSIGN_OR_RETURN(auto interrupted,
                      sql.exec("UPDATE notification_outbox SET status = 'uncertain', last_error = "
                               "'interrupted while posting: it may have been posted' "
                               "WHERE status = 'sending' RETURNING activity_id"));
  return static_cast<size_t>(interrupted.rows());
}

Result<EnqueueResult> enqueue_activities(pg::Connection& sql,
                                         const std::vector<NewActivity>& activities) {
  SL_TRY(sql.exec("BEGIN"));
  auto run = [&]() -> Result<EnqueueResult> {
    EnqueueResult result;
    for (const auto& a : activities) {
      bool added = false;
      SL_ASSIGN_OR_RETURN(auto queued, isolated(sql, [&]() -> Status {
                            SL_ASSIGN_OR_RETURN(auto payload, activity_payload(sql, a));
                            SL_ASSIGN_OR_RETURN(
                                auto inserted,
                                sql.exec_params("INSERT INTO notification_outbox (activity_id, "
                                                "payload) VALUES ($1, $2::jsonb) ON CONFLICT DO "
                                                "NOTHING RETURNING 1",
                                                {a.activity_id, payload}));
                            added = inserted.rows() > 0;
                            return {};
                          }));
      if (queued) {
        result.added += added ? 1 : 0;
        continue;
      }
      // This activity is reported and skipped; the transaction's others are queued.
      const std::string employee = a.get("employee_id");
      std::optional<int64_t> employee_id;
      if (!employee.empty() && employee.find_first_not_of("0123456789") == std::string::npos &&
          employee.size() < 19)
        employee_id = std::stoll(employee);
      spdlog::error("notify: activity {} of employee {} not queued: {}", a.activity_id, employee,
                    queued.error().to_string());
      SL_TRY(record_job_failure(
          sql, k_notify_job,
          {"activity " + a.activity_id, employee_id, queued.error().to_string()}));
      result.failed.push_back(a.activity_id);
    }
    return result;
  };
  auto result = run();
  if (!result) {
    (void)sql.exec("ROLLBACK");
    return result.error().with_context("notify: outbox");
  }
  SL_TRY(sql.exec("COMMIT"));
  return result;
}

Result<std::optional<ClaimedNotification>> claim_next(pg::Connection& sql) {
  SL_ASSIGN_OR_RETURN(
      auto claimed,
      sql.exec("UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1 "
               "WHERE activity_id = (SELECT activity_id FROM notification_outbox "
               "WHERE status = 'pending' AND coalesce(next_attempt_at, '-infinity') <= now() "
               "ORDER BY created_at, activity_id LIMIT 1 FOR UPDATE SKIP LOCKED) "
               "RETURNING activity_id, payload::text, attempts"));
  if (claimed.rows() == 0) return std::optional<ClaimedNotification>();
  return std::optional<ClaimedNotification>(
      ClaimedNotification{std::string(claimed.value(0, 0)), std::string(claimed.value(0, 1)),
                          std::stoi(std::string(claimed.value(0, 2)))});
}

std::string_view status_name(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::sent:
      return "sent";
    case OutboxStatus::pending:
      return "pending";
    case OutboxStatus::failed:
      return "failed";
    case OutboxStatus::uncertain:
      return "uncertain";
  }
  return "";
}

OutboxUpdate outbox_update(const integrations::NotifyResult& result, int attempts,
                           int max_attempts) {
  using integrations::NotifyOutcome;
  const std::optional<int> http =
      result.http_status ? std::optional<int>(result.http_status) : std::nullopt;
  switch (result.outcome) {
    case NotifyOutcome::sent:
      return {.status = OutboxStatus::sent, .http_status = http};
    case NotifyOutcome::retry_later: {
      if (attempts >= max_attempts)
        return {.status = OutboxStatus::failed,
                .http_status = http,
                .last_error =
                    "gave up after " + std::to_string(attempts) + " attempts: " + result.detail};
      // Retry-After when the channel gave one, else 2^attempts s (2 s, 4 s... at most 5 min).
      const auto backoff = std::chrono::seconds(std::min(300, 1 << std::clamp(attempts, 0, 9)));
      const auto wait = result.retry_after.count() > 0
                            ? result.retry_after
                            : std::chrono::duration_cast<std::chrono::milliseconds>(backoff);
      return {.status = OutboxStatus::pending,
              .http_status = http,
              .last_error = result.detail,
              .retry_in = wait};
    }
    case NotifyOutcome::rejected:
      return {.status = OutboxStatus::failed, .http_status = http, .last_error = result.detail};
    case NotifyOutcome::uncertain:
      return {.status = OutboxStatus::uncertain, .last_error = result.detail};
  }
  return {};
}

Status record_outcome(pg::Connection& sql, const std::string& activity_id, std::string_view channel,
                      const OutboxUpdate& update) {
  const bool sent = update.status == OutboxStatus::sent;
  SL_TRY(sql.exec_params(
      "UPDATE notification_outbox SET status = $2, "
      "channel = CASE WHEN $2 = 'sent' THEN $3 ELSE channel END, "
      "sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, "
      "http_status = CASE WHEN $2 = 'uncertain' THEN http_status ELSE $4::int END, "
      "last_error = $5, "
      "next_attempt_at = CASE WHEN $6::int IS NULL THEN next_attempt_at "
      "ELSE now() + $6::int * interval '1 millisecond' END "
      "WHERE activity_id = $1",
      {activity_id, std::string(status_name(update.status)), std::string(channel),
       update.http_status ? std::optional<std::string>(std::to_string(*update.http_status))
                          : std::nullopt,
       sent || !update.last_error ? std::nullopt
                                  : std::optional<std::string>(clean_text(*update.last_error)),
       update.retry_in ? std::optional<std::string>(std::to_string(update.retry_in->count()))
                       : std::nullopt}));
  metrics::registry()
      .counter("sportlake_notifications_total",
               "Outbox rows' post outcomes recorded by the notifier (pending: to be retried).",
               {{"outcome", std::string(status_name(update.status))}})
      .inc();
  return {};
}

Result<std::vector<Announced>> announced_after(pg::Connection& sql,
                                               const std::optional<Announced>& after,
                                               size_t limit) {
  constexpr const char* k_columns =
      "activity_id, sent_at, (extract(epoch FROM sent_at) * 1000)::bigint, "
      "coalesce(payload->>'text', '')";
  const std::string count = std::to_string(limit);
  Result<pg::QueryResult> rows =
      after ? sql.exec_params(std::string("SELECT ") + k_columns +
                                  " FROM notification_outbox WHERE status = 'sent' AND "
                                  "(sent_at, activity_id) > ($1::timestamptz, $2::bigint) "
                                  "ORDER BY sent_at, activity_id LIMIT $3::int",
                              {after->sent_at, after->activity_id, count})
            : sql.exec_params(std::string("SELECT * FROM (SELECT ") + k_columns +
                                  " FROM notification_outbox WHERE status = 'sent' "
                                  "ORDER BY sent_at DESC, activity_id DESC LIMIT $1::int) newest "
                                  "ORDER BY 2, 1",
                              {count});
  if (!rows) return rows.error();
  std::vector<Announced> out;
  for (int r = 0; r < rows->rows(); ++r)
    out.push_back({std::string(rows->value(r, 0)), std::string(rows->value(r, 1)),
                   std::stoll(std::string(rows->value(r, 2))), std::string(rows->value(r, 3))});
  return out;
}

}  // namespace sl::lakehouse
