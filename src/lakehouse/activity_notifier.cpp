// The Slack notifier: outbox enqueue from the change feed, and the sender.
#include "lakehouse/activity_notifier.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "cdc/pg_text.hpp"
#include "common/civil_time.hpp"
#include "common/fault_point.hpp"
#include "integrations/slack_webhook.hpp"
#include "lakehouse/change_feed.hpp"
#include "rewards/activity_message.hpp"
#include "rewards/sport_label.hpp"

#include <nlohmann/json.hpp>

namespace sl::lakehouse {

namespace {

using Clock = std::chrono::steady_clock;

// A new activity as the insert carried it (text values by column name).
struct NewActivity {
  std::string activity_id;
  std::map<std::string, std::string> values;
  std::string get(const std::string& column) const {
    auto it = values.find(column);
    return it == values.end() ? std::string() : it->second;
  }
};

std::optional<NewActivity> new_activity(const cdc::ChangeEvent& e) {
  if (e.op != cdc::Op::create || e.source.table != "strava_activities" || !e.after || !e.relation)
    return std::nullopt;
  NewActivity a;
  for (size_t c = 0; c < e.relation->columns.size() && c < e.after->size(); ++c) {
    const auto& value = (*e.after)[c];
    if (value.kind == pg::TupleValue::Kind::text)
      a.values[e.relation->columns[c].name] = value.data;
  }
  a.activity_id = a.get("activity_id");
  if (a.activity_id.empty()) return std::nullopt;
  return a;
}

double number_or_zero(const std::string& text) {
  if (auto v = cdc::parse_pg_float(text); v && std::isfinite(*v)) return *v;
  return 0;
}

// "09/12/2023 à 09:09" of a local timestamp's text; "" when it does not parse.
std::string french_date(const std::string& local_text) {
  auto us = cdc::parse_pg_timestamp(local_text, false);
  if (!us) return {};
  const std::string iso = format_timestamp_us(*us, ' ', false);  // 2023-12-09 09:09:00.000000
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + " à " +
         iso.substr(11, 5);
}

// The Slack body of an activity, with the employee's name and declared sport.
Result<std::string> activity_payload(pg::Connection& sql, const NewActivity& a) {
  SL_ASSIGN_OR_RETURN(auto who, sql.exec_params("SELECT e.prenom, e.nom, s.pratique_sport "
                                                "FROM rh_employees e LEFT JOIN sport_activities "
                                                "s ON s.id = e.id WHERE e.id = $1",
                                                {a.get("employee_id")}));
  rewards::ActivityAnnouncement announcement;
  std::string declared;
  if (who.rows() == 1) {
    announcement.first_name = std::string(who.value(0, 0));
    announcement.last_name = std::string(who.value(0, 1));
    declared = std::string(who.optional_value(0, 2).value_or(""));
  } else {
    announcement.first_name = "Salarié " + a.get("employee_id");
  }
  announcement.sport_type = a.get("sport_type").empty() ? a.get("type") : a.get("sport_type");
  announcement.sport_label = rewards::activity_sport_label(announcement.sport_type, declared);
  announcement.distance_m = number_or_zero(a.get("distance_m"));
  announcement.moving_time_s = static_cast<int64_t>(number_or_zero(a.get("moving_time_s")));
  announcement.elapsed_time_s = static_cast<int64_t>(number_or_zero(a.get("elapsed_time_s")));
  const auto raw = nlohmann::json::parse(a.get("raw_payload"), nullptr, false);
  if (raw.is_object() && raw.contains("description") && raw["description"].is_string())
    announcement.comment = raw["description"].get<std::string>();

  integrations::SlackCard card;
  card.text = rewards::activity_message(announcement);
  if (!announcement.comment.empty())  // the comment goes to the context line of the card
    card.text = rewards::activity_message({announcement.first_name, announcement.last_name,
                                           announcement.sport_type, announcement.sport_label,
                                           announcement.distance_m, announcement.moving_time_s,
                                           announcement.elapsed_time_s, ""});
  card.header = "Nouvelle activité : " + announcement.sport_label;
  if (announcement.distance_m >= 50)
    card.fields.emplace_back("Distance", rewards::format_km(announcement.distance_m));
  card.fields.emplace_back("Durée", rewards::format_duration(announcement.moving_time_s > 0
                                                                 ? announcement.moving_time_s
                                                                 : announcement.elapsed_time_s));
  if (auto date = french_date(a.get("start_date_local")); !date.empty())
    card.fields.emplace_back("Date", date);
  if (!announcement.comment.empty()) card.context = "💬 « " + announcement.comment + " »";
  return integrations::slack_payload(card);
}

// Writes the transaction's new activities to the outbox, in one database transaction.
Result<size_t> enqueue(pg::Connection& sql, const std::vector<NewActivity>& activities) {
  SL_TRY(sql.exec("BEGIN"));
  auto run = [&]() -> Result<size_t> {
    size_t added = 0;
    for (const auto& a : activities) {
      SL_ASSIGN_OR_RETURN(auto payload, activity_payload(sql, a));
      SL_ASSIGN_OR_RETURN(auto inserted,
                          sql.exec_params("INSERT INTO notification_outbox (activity_id, payload) "
                                          "VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING "
                                          "RETURNING 1",
                                          {a.activity_id, payload}));
      added += static_cast<size_t>(inserted.rows());
    }
    return added;
  };
  auto added = run();
  if (!added) {
    (void)sql.exec("ROLLBACK");
    return added.error().with_context("notify: outbox");
  }
  SL_TRY(sql.exec("COMMIT"));
  return added;
}

}  // namespace

Result<NotifierStats> run_activity_notifier(pg::Connection& sql, const NotifierOptions& options) {
  NotifierStats stats;
  auto stop = [&] { return options.stop_requested && options.stop_requested(); };
  const std::function<int64_t()> now_us = options.now_us ? options.now_us : [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };

  // A row left `sending` by a job that died during its POST may have been posted.
  SL_ASSIGN_OR_RETURN(auto interrupted,
                      sql.exec("UPDATE notification_outbox SET status = 'uncertain', last_error = "
                               "'interrupted while posting: it may have been posted' "
                               "WHERE status = 'sending' RETURNING activity_id"));
  stats.uncertain += static_cast<size_t>(interrupted.rows());
  if (interrupted.rows() > 0)
    spdlog::warn("notify: {} notification(s) interrupted while posting marked uncertain",
                 interrupted.rows());

  SL_ASSIGN_OR_RETURN(auto existing, sql.exec_params("SELECT 1 FROM pg_replication_slots "
                                                     "WHERE slot_name = $1",
                                                     {options.slot}));
  pg::Lsn from;
  if (existing.rows() == 0) {
    SL_ASSIGN_OR_RETURN(auto creator, pg::ReplicationStream::connect(options.conninfo));
    SL_ASSIGN_OR_RETURN(auto slot, creator.create_slot(options.slot));
    from = slot.consistent_point;
    spdlog::info("notify: created slot {} at {}: activities from now on are announced",
                 options.slot, from.to_string());
  }
  SL_ASSIGN_OR_RETURN(auto feed, ChangeFeed::open(sql,
                                                  {.conninfo = options.conninfo,
                                                   .slot = options.slot,
                                                   .publication = options.publication,
                                                   .stop_requested = stop},
                                                  from));

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
  auto on_commit = [&](const pg::Commit& c) -> Status {
    if (!transaction.empty()) {
      SL_ASSIGN_OR_RETURN(auto added, enqueue(sql, transaction));
      stats.queued += added;
      transaction.clear();
    }
    feed.confirm(c.end_lsn);  // the outbox rows are committed: durable
    return {};
  };
  auto on_reset = [&] { transaction.clear(); };

  std::optional<integrations::SlackWebhook> webhook;
  if (!options.webhook_url.empty()) webhook.emplace(options.webhook_url, options.http_timeout);
  auto next_post = Clock::now();
  // Claims and posts one due notification; returns whether there was one.
  auto send_one = [&]() -> Result<bool> {
    SL_ASSIGN_OR_RETURN(
        auto claimed,
        sql.exec("UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1 "
                 "WHERE activity_id = (SELECT activity_id FROM notification_outbox "
                 "WHERE status = 'pending' AND coalesce(next_attempt_at, '-infinity') <= now() "
                 "ORDER BY created_at, activity_id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                 "RETURNING activity_id, payload::text, attempts"));
    if (claimed.rows() == 0) return false;
    const std::string id(claimed.value(0, 0));
    const std::string payload(claimed.value(0, 1));
    const int attempts = std::stoi(std::string(claimed.value(0, 2)));
    fault_point("notify.before_post", id);
    if (!webhook) {
      const auto body = nlohmann::json::parse(payload, nullptr, false);
      spdlog::info("notify (no Slack webhook): {}",
                   body.is_object() ? body.value("text", payload) : payload);
      SL_TRY(
          sql.exec_params("UPDATE notification_outbox SET status = 'sent', channel = 'log', "
                          "sent_at = now() WHERE activity_id = $1",
                          {id}));
      ++stats.sent;
      return true;
    }
    const auto result = webhook->post(payload);
    next_post = Clock::now() + std::max(options.min_interval, result.retry_after);
    const std::optional<std::string> http =
        result.http_status ? std::optional<std::string>(std::to_string(result.http_status))
                           : std::nullopt;
    const char* update = nullptr;
    std::vector<std::optional<std::string>> params = {id, http, result.detail};
    switch (result.outcome) {
      case integrations::SlackOutcome::sent:
        update =
            "UPDATE notification_outbox SET status = 'sent', sent_at = now(), "
            "http_status = $2::int, last_error = NULL WHERE activity_id = $1";
        params.pop_back();
        ++stats.sent;
        break;
      case integrations::SlackOutcome::retry_later:
        if (attempts >= options.max_attempts) {
          update =
              "UPDATE notification_outbox SET status = 'failed', http_status = $2::int, "
              "last_error = 'gave up after ' || attempts || ' attempts: ' || $3 "
              "WHERE activity_id = $1";
          ++stats.failed;
        } else {
          // Retry-After when Slack gave one, else 2^attempts s (2 s, 4 s... at most 5 min).
          const auto backoff = std::chrono::seconds(std::min(300, 1 << std::min(attempts, 9)));
          const auto wait = result.retry_after.count() > 0
                                ? result.retry_after
                                : std::chrono::duration_cast<std::chrono::milliseconds>(backoff);
          params.push_back(std::to_string(wait.count()));
          update =
              "UPDATE notification_outbox SET status = 'pending', http_status = $2::int, "
              "last_error = $3, next_attempt_at = now() + $4::int * interval '1 millisecond' "
              "WHERE activity_id = $1";
          ++stats.retried;
        }
        break;
      case integrations::SlackOutcome::rejected:
        update =
            "UPDATE notification_outbox SET status = 'failed', http_status = $2::int, "
            "last_error = $3 WHERE activity_id = $1";
        ++stats.failed;
        spdlog::error("notify: Slack refused activity {}: HTTP {} {}", id, result.http_status,
                      result.detail);
        break;
      case integrations::SlackOutcome::uncertain:
        update =
            "UPDATE notification_outbox SET status = 'uncertain', last_error = $2 "
            "WHERE activity_id = $1";
        params = {id, result.detail};
        ++stats.uncertain;
        spdlog::warn("notify: activity {}: no answer from Slack ({}): marked uncertain", id,
                     result.detail);
        break;
    }
    SL_TRY(sql.exec_params(update, params));
    return true;
  };

  auto last_data = Clock::now();
  bool nothing_due = false;
  while (!stop()) {
    const auto now = Clock::now();
    const auto wait =
        std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(next_post - now),
                   std::chrono::milliseconds(0), std::chrono::milliseconds(100));
    SL_ASSIGN_OR_RETURN(bool got, feed.poll(wait, on_event, on_commit, on_reset));
    if (got) {
      last_data = Clock::now();
      nothing_due = false;
    }
    if (Clock::now() >= next_post) {
      SL_ASSIGN_OR_RETURN(bool posted, send_one());
      nothing_due = !posted;
      if (posted && !webhook) next_post = Clock::now();  // the log has no rate limit
    }
    if (!got && nothing_due && options.idle_exit.count() > 0 &&
        Clock::now() - last_data >= options.idle_exit)
      break;
  }
  SL_TRY(feed.send_status());
  return stats;
}

}  // namespace sl::lakehouse
