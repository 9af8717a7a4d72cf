// The status facts (ops/status_report.hpp) read from the source database and the lake: the one
// place that collects what `sportlake status` prints and the dashboard's /operations,
// /api/status and /metrics show.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cli/context.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "ops/status_report.hpp"
#include "pg/connection.hpp"
#include "serve/live_feed.hpp"

namespace sl::cli {

// The database part of `report` (version, slots, outbox, distances, job failures).
Status collect_database_status(pg::Connection& sql, ops::StatusReport& report);
// The lake part (every table's version, files, small files, last check).
void collect_lake_status(const delta::Lake& lake, ops::StatusReport& report);

// The Kafka part, when kafka.bootstrap_servers is set: the lag of the roles' default consumer
// groups (ingest on every topic, notify on strava_activities, distances on rh_employees), and for
// the ingest's group the offsets its Bronze tables' txns hold. A broker that does not answer is
// the report's kafka_error.
void collect_kafka_status(const Settings& settings, const delta::Lake& lake,
                          ops::StatusReport& report);

// A connection to the source database as the jobs' role, opened at first use and again after a
// failure; never starts the embedded cluster (a server that only reads must not). One caller
// at a time: use() holds a lock and gives up after 1 s of waiting for it; connecting has a 3 s
// timeout and a failed attempt is not repeated for 5 s (its error is returned at once). So a
// database that does not answer (a host that drops packets: libpq alone waits minutes) costs a
// dashboard request 3 s at most, and the server's workers never pile up behind the lock.
class SourceConnection {
 public:
  explicit SourceConnection(const Context& ctx) : ctx_(ctx) {}
  template <typename F>
  auto use(F&& f) -> decltype(f(std::declval<pg::Connection&>())) {
    std::unique_lock lock(mutex_, std::defer_lock);
    if (!lock.try_lock_for(std::chrono::seconds(1)))
      return make_error(Errc::unavailable, "the source database is busy answering another request");
    if (!connection_) {
      auto opened = open();
      if (!opened) return opened.error();
    }
    auto result = f(*connection_);
    if (!result) connection_.reset();  // maybe lost: the next use reconnects
    return result;
  }

 private:
  Status open();
  Status connect();
  const Context& ctx_;
  std::optional<Error> failed_;  // the last failed attempt to connect, and when
  std::chrono::steady_clock::time_point failed_at_;
  std::timed_mutex mutex_;
  std::optional<pg::Connection> connection_;
};

// Every fact, now: the database part through `sql` (its failure is the report's
// database_error), the lake part from `lake`, the Kafka part from the brokers.
ops::StatusReport collect_status(SourceConnection& sql, const delta::Lake& lake,
                                 const Settings& settings);

// The live feed's source: notification_outbox's announced rows through `sql`.
serve::FeedSource feed_source(std::shared_ptr<SourceConnection> sql);

}  // namespace sl::cli
