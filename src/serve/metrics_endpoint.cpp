// /metrics and the HTTP request counts.
#include "serve/metrics_endpoint.hpp"

#include <httplib.h>

#include <algorithm>
#include <array>

#include "serve/dashboard.hpp"
#include "serve/gold_reader.hpp"

namespace sl::serve {

std::string route_label(std::string_view path) {
  static constexpr std::array<std::string_view, 10> k_exact = {
      "/",         "/healthz",         "/readyz",    "/metrics",      "/operations",
      "/api/status", "/api/feed",      "/static/feed.js", "/api/years", "/api/dq_issues"};
  if (std::find(k_exact.begin(), k_exact.end(), path) != k_exact.end()) return std::string(path);
  if (path.rfind("/api/", 0) == 0 && path.find('/', 5) == std::string_view::npos) {
    const auto& gold = GoldReader::gold_tables();
    if (std::find(gold.begin(), gold.end(), path.substr(5)) != gold.end())
      return "/api/{table}";
  }
  if (path.rfind("/employee/", 0) == 0) return "/employee/{id}";
  if (path.rfind("/api/employee/", 0) == 0) return "/api/employee/{id}";
  return "other";
}

const std::vector<double>& request_duration_buckets() {
  static const std::vector<double> bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075,
                                             0.1,   0.25,   0.5,   0.75, 1,     2.5,  5,
                                             7.5,   10};
  return bounds;
}

void count_request(std::string_view path, int status, double seconds) {
  const std::string route = route_label(path);
  auto& registry = metrics::registry();
  registry
      .counter("sportlake_http_requests_total",
               "Dashboard HTTP requests answered, by route pattern and status.",
               {{"route", route}, {"status", std::to_string(status)}})
      .inc();
  if (route == "/api/feed") return;
  registry
      .histogram("sportlake_http_request_duration_seconds",
                 "Time from a request's complete head to its answer written (its wait for a "
                 "worker included), by route pattern.",
                 request_duration_buckets(), {{"route", route}})
      .observe(seconds);
}

void status_metrics(const ops::StatusReport& r, metrics::Exposition& out) {
  auto number = [](int64_t v) { return static_cast<double>(v); };
  out.family("sportlake_status_database_up", "gauge",
             "1 when the source database answered the status queries.");
  out.sample("sportlake_status_database_up", {}, r.database_error.empty() ? 1 : 0);
  if (r.database_error.empty()) {
    out.family("sportlake_replication_lag_bytes", "gauge",
               "WAL between the server's position and what the slot's job confirmed.");
    for (const auto& s : r.slots)
      if (s.lag_bytes) out.sample("sportlake_replication_lag_bytes", {{"slot", s.name}},
                                  number(*s.lag_bytes));
    out.family("sportlake_replication_wal_held_bytes", "gauge",
               "WAL the server keeps for the slot (from its restart position).");
    for (const auto& s : r.slots)
      if (s.wal_held_bytes) out.sample("sportlake_replication_wal_held_bytes", {{"slot", s.name}},
                                       number(*s.wal_held_bytes));
    out.family("sportlake_replication_slot_active", "gauge", "1 while a job streams from the slot.");
    for (const auto& s : r.slots)
      out.sample("sportlake_replication_slot_active", {{"slot", s.name}}, s.active ? 1 : 0);
    out.family("sportlake_notification_outbox_rows", "gauge", "notification_outbox rows by status.");
    for (const auto& c : r.notifications)
      out.sample("sportlake_notification_outbox_rows", {{"status", c.keys.at(0)}}, number(c.count));
    out.family("sportlake_distance_cache_rows", "gauge",
               "distance_cache rows by provider and status.");
    for (const auto& c : r.distances)
      out.sample("sportlake_distance_cache_rows",
                 {{"provider", c.keys.at(0)}, {"status", c.keys.at(1)}}, number(c.count));
    out.family("sportlake_job_failures", "gauge", "Items a job skipped and still fails, by job.");
    for (const auto& f : r.job_failures)
      out.sample("sportlake_job_failures", {{"job", f.job}}, number(f.count));
  }
  if (r.kafka && r.kafka_error.empty()) {
    out.family("sportlake_kafka_consumer_lag_messages", "gauge",
               "Records between a partition's high watermark and the consumer group's committed "
               "offset.");
    for (const auto& l : r.consumer_lag)
      out.sample("sportlake_kafka_consumer_lag_messages",
                 {{"group", l.group}, {"topic", l.topic}, {"partition", std::to_string(l.partition)}},
                 number(l.lag));
    out.family("sportlake_kafka_bronze_lag_messages", "gauge",
               "Records between a partition's high watermark and the offset stored in its Bronze "
               "table's Delta txn (the ingest's authoritative position).");
    for (const auto& l : r.consumer_lag)
      if (l.bronze_lag)
        out.sample("sportlake_kafka_bronze_lag_messages",
                   {{"group", l.group}, {"topic", l.topic}, {"partition", std::to_string(l.partition)}},
                   number(*l.bronze_lag));
  }
  struct TableGauge {
    const char* name;
    const char* help;
    int64_t ops::LakeTable::*value;
  };
  static constexpr TableGauge k_table_gauges[] = {
      {"sportlake_lake_table_version", "Current Delta version of each lake table.",
       &ops::LakeTable::version},
      {"sportlake_lake_table_files", "Live data files of each lake table.",
       &ops::LakeTable::files},
      {"sportlake_lake_table_small_files",
       "Live data files under 8 MiB (what a compaction would merge).",
       &ops::LakeTable::small_files},
      {"sportlake_lake_table_bytes", "Size of the live data files.", &ops::LakeTable::bytes}};
  for (const auto& gauge : k_table_gauges) {
    out.family(gauge.name, "gauge", gauge.help);
    for (const auto& t : r.tables)
      if (t.error.empty())
        out.sample(gauge.name, {{"layer", t.layer}, {"table", t.name}}, number(t.*gauge.value));
  }
  auto seconds = [](int64_t ms) { return static_cast<double>(ms) / 1000; };
  if (const auto ms = r.last_bronze_commit_ms()) {
    out.family("sportlake_bronze_last_commit_timestamp_seconds", "gauge",
               "When a Bronze table was last committed (Unix time).");
    out.sample("sportlake_bronze_last_commit_timestamp_seconds", {}, seconds(*ms));
  }
  if (const auto ms = r.last_refresh_ms()) {
    out.family("sportlake_refresh_last_timestamp_seconds", "gauge",
               "When a Gold table was last committed by a refresh (Unix time).");
    out.sample("sportlake_refresh_last_timestamp_seconds", {}, seconds(*ms));
  }
  if (const auto ms = r.last_check_ms()) {
    out.family("sportlake_lake_check_last_timestamp_seconds", "gauge",
               "When `sportlake lake check` last ran on a table (Unix time).");
    out.sample("sportlake_lake_check_last_timestamp_seconds", {}, seconds(*ms));
  }
}

void mount_metrics(httplib::Server& server, const Dashboard& dashboard, StatusProvider status) {
  server.Get("/metrics", [&dashboard, status](const httplib::Request& req,
                                              httplib::Response& res) {
    if (!allowed(dashboard, req, res, Role::ops)) return;
    std::string text;
    metrics::Exposition out(text);
    metrics::registry().render(out);
    if (status) status_metrics(status(), out);
    res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace sl::serve
