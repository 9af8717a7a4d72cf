// run_activity_notifier through its seams: a scripted ChangeSource in, a scripted Notifier out,
// and a real PostgreSQL outbox in between.
#include "lakehouse/activity_notifier.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "pg/testing/test_cluster.hpp"
#include "source/migrations.hpp"

namespace sl::lakehouse {
namespace {

using integrations::NotifyOutcome;
using integrations::NotifyResult;
using pg::testing::TestCluster;

pg::TupleValue text(std::string v) {
  return {pg::TupleValue::Kind::text, std::move(v)};
}

// strava_activities as pgoutput describes it (the columns the notifier reads).
const pg::Relation& activities() {
  static const pg::Relation rel = [] {
    pg::Relation r;
    r.oid = 16400;
    r.schema = "public";
    r.name = "strava_activities";
    for (const char* c :
         {"activity_id", "employee_id", "name", "distance_m", "moving_time_s", "elapsed_time_s",
          "sport_type", "start_date_utc", "start_date_local", "raw_payload"})
      r.columns.push_back({.is_key = std::string(c) == "activity_id", .name = c});
    return r;
  }();
  return rel;
}

cdc::ChangeEvent insert(int64_t id, const std::string& started_utc) {
  cdc::ChangeEvent e;
  e.op = cdc::Op::create;
  e.relation = &activities();
  e.after = pg::Tuple{text(std::to_string(id)),
                      text("1"),
                      text("Sortie"),
                      text("10800"),
                      text("2760"),
                      text("2800"),
                      text("Run"),
                      text(started_utc),
                      text("2026-12-01 08:00:00"),
                      text("{\"description\":\"Belle sortie\"}")};
  e.source.schema = "public";
  e.source.table = "strava_activities";
  return e;
}

// A ChangeSource that delivers scripted transactions, one per poll, and remembers what was
// confirmed. `reset_before` makes it start over from the first transaction once, as a slot
// does after a crash whose confirmations never reached the server: what comes again must not
// be queued twice.
class ScriptedSource final : public cdc::ChangeSource {
 public:
  struct Transaction {
    std::vector<cdc::ChangeEvent> events;
    uint64_t end = 0;
  };
  std::vector<Transaction> script;
  size_t next = 0;
  std::optional<size_t> reset_before;  // deliver up to this index once, then start over
  std::vector<uint64_t> confirmations;

  Result<bool> poll(std::chrono::milliseconds, const cdc::ChangeHandler& handler) override {
    if (reset_before && next == *reset_before) {
      reset_before.reset();
      handler.on_reset();
      next = 0;
      return false;
    }
    if (next >= script.size()) return false;
    const auto& t = script[next++];
    for (const auto& e : t.events) SL_TRY(handler.on_event(e));
    SL_TRY(handler.on_transaction_end({pg::Lsn{t.end}}));
    return true;
  }
  void confirm(const cdc::SourcePosition& p) override {
    confirmed_ = p;
    confirmations.push_back(p.lsn.value);
  }
  Status flush_confirmed() override { return {}; }
  cdc::SourcePosition confirmed() const override { return confirmed_; }

 private:
  cdc::SourcePosition confirmed_;
};

class ScriptedNotifier final : public integrations::Notifier {
 public:
  std::deque<NotifyResult> answers;  // then `sent` for every further post
  std::vector<std::string> bodies;
  std::string_view channel() const override { return "slack"; }
  bool rate_limited() const override { return false; }
  NotifyResult post(std::string_view body) override {
    bodies.emplace_back(body);
    if (answers.empty()) return {.outcome = NotifyOutcome::sent, .http_status = 200};
    auto a = answers.front();
    answers.pop_front();
    return a;
  }
};

class ActivityNotifierIt : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& cluster = TestCluster::instance();
    db_ = cluster.create_database("notify");
    sql_.emplace(cluster.connect(db_));
    ASSERT_TRUE(source::migrate(*sql_, "sportlake_pub").ok());
    ASSERT_TRUE(sql_->exec("INSERT INTO rh_employees (id, nom, prenom) VALUES (1, 'Mendes', "
                           "'Juliette'); INSERT INTO sport_activities VALUES (1, 'Runing')")
                    .ok());
  }
  NotifierOptions options() {
    NotifierOptions o;
    o.min_interval = std::chrono::milliseconds(0);
    o.max_age = std::chrono::hours(0);  // the scripted activities are old: announce them all
    o.idle_exit = std::chrono::milliseconds(300);
    return o;
  }
  std::vector<std::string> statuses() {
    auto rows = sql_->exec(
        "SELECT activity_id || ':' || status || ':' || coalesce(http_status::text, "
        "'-') FROM notification_outbox ORDER BY activity_id");
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (int r = 0; rows.ok() && r < rows->rows(); ++r) out.emplace_back(rows->value(r, 0));
    return out;
  }

  std::string db_;
  std::optional<pg::Connection> sql_;
};

TEST_F(ActivityNotifierIt, EachActivityQueuedOnceConfirmedAfterTheOutboxAndPostedOnce) {
  ScriptedSource source;
  source.script = {
      {{insert(11, "2026-12-01 07:00:00+00"), insert(12, "2026-12-01 07:30:00+00")}, 100},
      {{}, 200},  // a transaction without activities is confirmed too
      {{insert(13, "2026-12-02 07:00:00+00")}, 300}};
  source.reset_before = 2;  // after two transactions, both come again
  ScriptedNotifier notifier;
  auto stats = run_activity_notifier(*sql_, source, notifier, options());
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats->queued, 3u);
  EXPECT_EQ(stats->sent, 3u);
  EXPECT_EQ(notifier.bodies.size(), 3u);
  EXPECT_EQ(source.confirmed().lsn.value, 300u);
  EXPECT_EQ(source.confirmations, (std::vector<uint64_t>{100, 200, 100, 200, 300}));
  EXPECT_EQ(statuses(), (std::vector<std::string>{"11:sent:200", "12:sent:200", "13:sent:200"}));
  // The French card names the employee and the declared sport.
  EXPECT_NE(notifier.bodies[0].find("Juliette Mendes"), std::string::npos) << notifier.bodies[0];
  auto channel = sql_->exec("SELECT DISTINCT channel FROM notification_outbox");
  ASSERT_TRUE(channel.ok());
  EXPECT_EQ(channel->value(0, 0), "slack");
}

TEST_F(ActivityNotifierIt, OutcomesDecideTheRowAndNothingUncertainIsPostedAgain) {
  ScriptedSource source;
  source.script = {{{insert(21, "2026-12-01 07:00:00+00"), insert(22, "2026-12-01 07:10:00+00"),
                     insert(23, "2026-12-01 07:20:00+00")},
                    100}};
  ScriptedNotifier notifier;
  notifier.answers = {
      {.outcome = NotifyOutcome::retry_later,
       .http_status = 429,
       .retry_after = std::chrono::milliseconds(3'600'000),
       .detail = "rate_limited"},
      {.outcome = NotifyOutcome::rejected, .http_status = 404, .detail = "no_service"},
      {.outcome = NotifyOutcome::uncertain, .detail = "timeout"}};
  auto stats = run_activity_notifier(*sql_, source, notifier, options());
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(notifier.bodies.size(), 3u);  // the 429 waits an hour, the others are final
  EXPECT_EQ(stats->retried, 1u);
  EXPECT_EQ(stats->failed, 1u);
  EXPECT_EQ(stats->uncertain, 1u);
  EXPECT_EQ(statuses(),
            (std::vector<std::string>{"21:pending:429", "22:failed:404", "23:uncertain:-"}));
  auto later = sql_->exec(
      "SELECT next_attempt_at > now() + interval '50 minutes', last_error FROM "
      "notification_outbox WHERE activity_id = 21");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->value(0, 0), "t");
  EXPECT_EQ(later->value(0, 1), "rate_limited");
}

TEST_F(ActivityNotifierIt, HistoryIsNotAnnounced) {
  ScriptedSource source;
  source.script = {{{insert(31, "2020-01-01 07:00:00+00")}, 100}};
  ScriptedNotifier notifier;
  auto o = options();
  o.max_age = std::chrono::hours(7 * 24);
  auto stats = run_activity_notifier(*sql_, source, notifier, o);
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats->too_old, 1u);
  EXPECT_EQ(stats->queued, 0u);
  EXPECT_TRUE(notifier.bodies.empty());
  EXPECT_EQ(source.confirmed().lsn.value, 100u);  // nothing to write: confirmed all the same
}

}  // namespace
}  // namespace sl::lakehouse
