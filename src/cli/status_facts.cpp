// The status facts from PostgreSQL and the lake.
#include "cli/status_facts.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/core.h>

#include "bus/consumer_lag.hpp"
#include "bus/kafka_change_source.hpp"
#include "common/civil_time.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_check.hpp"
#include "lakehouse/activity_card.hpp"
#include "lakehouse/bronze_ingest.hpp"
#include "lakehouse/distance_job.hpp"
#include "lakehouse/notification_outbox.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

std::optional<int64_t> optional_int(const pg::QueryResult& rows, int r, int c) {
  auto text = rows.optional_value(r, c);
  if (!text) return std::nullopt;
  return std::stoll(*text);
}

// What `lake check` last found on the table, as a sentence (delta/table_check.hpp's record).
void check_facts(const delta::Storage& table, ops::LakeTable& t) {
  auto record = delta::load_check_record(table);
  if (!record) {
    t.check = "check record unreadable: " + record.error().message;
    return;
  }
  if (!*record) {
    t.check = "never checked (sportlake lake check)";
    return;
  }
  const delta::CheckRecord& r = **record;
  auto when = [](int64_t ms) { return format_timestamp_ms(ms * 1000); };
  t.checked_at_ms = r.checked_at_ms;
  std::string clean = "never checked clean";
  if (r.last_clean_at_ms) {
    clean = "checked clean " + when(*r.last_clean_at_ms) + " at version " +
            std::to_string(r.last_clean_version.value_or(-1));
    if (r.last_clean_version.value_or(-1) < t.version) clean += " (newer versions unchecked)";
  }
  t.damaged = !r.clean;
  t.check = r.clean ? clean
                    : "DAMAGED: " + std::to_string(r.findings) + " findings at " +
                          when(r.checked_at_ms) + " (version " + std::to_string(r.version) +
                          "); " + clean;
}

}  // namespace

Status collect_database_status(pg::Connection& sql, ops::StatusReport& report) {
  SL_ASSIGN_OR_RETURN(auto version, sql.exec("SELECT current_setting('server_version'), "
                                             "current_database(), pg_current_wal_lsn()"));
  report.server_version = version.value(0, 0);
  report.database = version.value(0, 1);
  report.wal_lsn = version.value(0, 2);

  SL_ASSIGN_OR_RETURN(
      auto slots,
      sql.exec("SELECT slot_name, active, coalesce(confirmed_flush_lsn::text, ''), "
               "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, "
               "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
               "FROM pg_replication_slots WHERE slot_type = 'logical' ORDER BY 1"));
  for (int r = 0; r < slots.rows(); ++r)
    report.slots.push_back({std::string(slots.value(r, 0)), slots.value(r, 1) == "t",
                            std::string(slots.value(r, 2)), optional_int(slots, r, 3),
                            optional_int(slots, r, 4)});

  SL_ASSIGN_OR_RETURN(auto outbox, sql.exec("SELECT status, count(*) FROM notification_outbox "
                                            "GROUP BY 1 ORDER BY 1"));
  for (int r = 0; r < outbox.rows(); ++r)
    report.notifications.push_back(
        {{std::string(outbox.value(r, 0))}, std::stoll(std::string(outbox.value(r, 1)))});

  SL_ASSIGN_OR_RETURN(auto distances,
                      sql.exec("SELECT provider, status, count(*) FROM distance_cache "
                               "GROUP BY 1, 2 ORDER BY 1, 2"));
  for (int r = 0; r < distances.rows(); ++r)
    report.distances.push_back(
        {{std::string(distances.value(r, 0)), std::string(distances.value(r, 1))},
         std::stoll(std::string(distances.value(r, 2)))});

  // The rows the jobs skipped so the others could go on (lakehouse/job_failures.hpp): a count
  // per job, and the newest five with their employee.
  SL_ASSIGN_OR_RETURN(
      auto failures,
      sql.exec("SELECT job, count(*), string_agg(item || coalesce(' (employee ' || employee_id || "
               "')', '') || ': ' || left(error, 160), E'\\n' ORDER BY last_failed_at DESC) "
               "FILTER (WHERE rank <= 5) FROM (SELECT *, row_number() OVER (PARTITION BY job "
               "ORDER BY last_failed_at DESC) AS rank FROM job_failures) f GROUP BY 1 ORDER BY 1"));
  for (int r = 0; r < failures.rows(); ++r) {
    ops::JobFailures f{std::string(failures.value(r, 0)),
                       std::stoll(std::string(failures.value(r, 1))), {}};
    std::string_view lines = failures.value(r, 2);
    while (!lines.empty()) {
      const size_t end = lines.find('\n');
      f.newest.emplace_back(lines.substr(0, end));
      lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
    }
    report.job_failures.push_back(std::move(f));
  }
  return {};
}

void collect_lake_status(const delta::Lake& lake, ops::StatusReport& report) {
  report.lake_root = lake.root();
  for (auto layer : {delta::Layer::bronze, delta::Layer::silver, delta::Layer::gold}) {
    auto names = lake.tables(layer);
    if (!names) {
      report.lake_error = names.error().to_string();
      return;
    }
    for (const auto& name : *names) {
      ops::LakeTable t;
      t.layer = std::string(delta::layer_name(layer));
      t.name = name;
      const auto storage = lake.table(layer, name);
      auto snapshot = delta::load_snapshot(*storage);
      if (!snapshot) {
        t.error = snapshot.error().message;
        report.tables.push_back(std::move(t));
        continue;
      }
      t.version = snapshot->version;
      t.committed_at_ms = snapshot->timestamp_ms;
      t.files = static_cast<int64_t>(snapshot->files.size());
      for (const auto& file : snapshot->files) {
        t.bytes += file.size;
        if (file.size < ops::k_small_file_bytes) ++t.small_files;
      }
      check_facts(*storage, t);
      report.tables.push_back(std::move(t));
    }
  }
}

namespace {
constexpr std::chrono::milliseconds k_kafka_status_timeout{1500};
}  // namespace

void collect_kafka_status(const Settings& settings, const delta::Lake& lake,
                          ops::StatusReport& report) {
  if (settings.kafka.bootstrap_servers.empty()) return;
  report.kafka = true;
  const std::string bronze_group = settings.consumer_group("bronze");
  auto lag = bus::consumer_lag(
      {.bootstrap_servers = settings.kafka.bootstrap_servers,
       .properties = settings.kafka.properties,
       .topic_prefix = settings.cdc.topic_prefix,
       .groups = {{bronze_group, {}},
                  {settings.consumer_group("notify"),
                   {std::string(lakehouse::k_activities_table)}},
                  {settings.consumer_group("distances"),
                   {std::string(lakehouse::k_employees_table)}}},
       // and any other group that consumed the topics (a role run with --group...)
       .discover = true,
       // status must answer promptly: one client, one short wait when the brokers are down
       .timeout = k_kafka_status_timeout});
  if (!lag) {
    report.kafka_error =
        lag.error().code == Errc::unavailable
            ? fmt::format("broker unreachable ({}, no answer within {} ms): {}",
                          settings.kafka.bootstrap_servers, k_kafka_status_timeout.count(),
                          lag.error().message)
            : lag.error().to_string();
    return;
  }
  // The ingest's positions as its Bronze tables hold them (read as a restarting ingest would).
  lakehouse::BronzeIngestOptions bronze;
  bronze.lake = &lake;
  bronze.log_group = bronze_group;
  auto writer = lakehouse::bronze_writer(bronze);
  for (const auto& p : *lag) {
    ops::ConsumerLag row{.group = p.group,
                         .topic = p.topic,
                         .partition = p.partition,
                         .high_watermark = p.high_watermark,
                         .committed = p.committed,
                         .lag = p.lag};
    const auto table = bus::topic_table(settings.cdc.topic_prefix, p.topic);
    if (p.group == bronze_group && table) {
      auto start = writer.log_start(table->first, table->second, p.topic, p.partition);
      if (start) {
        row.bronze_offset = *start ? (*start)->next_offset : p.low_watermark;
        row.bronze_lag = std::max<int64_t>(0, p.high_watermark - *row.bronze_offset);
      }
    }
    report.consumer_lag.push_back(std::move(row));
  }
}

Status SourceConnection::open() {
  const auto now = std::chrono::steady_clock::now();
  if (failed_ && now - failed_at_ < std::chrono::seconds(5)) return *failed_;
  failed_.reset();
  auto opened = connect();
  if (!opened) {
    failed_ = opened.error();
    failed_at_ = now;
  }
  return opened;
}

Status SourceConnection::connect() {
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx_.config, false));
  if (conninfo.find("connect_timeout") == std::string::npos) {
    const bool url = conninfo.rfind("postgres://", 0) == 0 || conninfo.rfind("postgresql://", 0) == 0;
    conninfo += url ? (conninfo.find('?') == std::string::npos ? "?" : "&") : " ";
    conninfo += "connect_timeout=3";
  }
  SL_ASSIGN_OR_RETURN(auto connection, pg::Connection::open(conninfo));
  connection_.emplace(std::move(connection));
  return {};
}

ops::StatusReport collect_status(SourceConnection& sql, const delta::Lake& lake,
                                 const Settings& settings) {
  ops::StatusReport report;
  report.generated_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  report.embedded = settings.embedded_database;
  auto st = sql.use([&](pg::Connection& c) -> Status {
    ops::StatusReport part;
    SL_TRY(collect_database_status(c, part));
    report.server_version = std::move(part.server_version);
    report.database = std::move(part.database);
    report.wal_lsn = std::move(part.wal_lsn);
    report.slots = std::move(part.slots);
    report.notifications = std::move(part.notifications);
    report.distances = std::move(part.distances);
    report.job_failures = std::move(part.job_failures);
    return {};
  });
  if (!st) report.database_error = st.error().to_string();
  collect_lake_status(lake, report);
  collect_kafka_status(settings, lake, report);
  return report;
}

serve::FeedSource feed_source(std::shared_ptr<SourceConnection> sql) {
  return [sql](const std::optional<serve::FeedItem>& after,
               size_t limit) -> Result<std::vector<serve::FeedItem>> {
    std::optional<lakehouse::Announced> cursor;
    if (after) cursor = lakehouse::Announced{after->activity_id, after->cursor, 0, ""};
    auto rows = sql->use([&](pg::Connection& c) { return lakehouse::announced_after(c, cursor, limit); });
    if (!rows) return rows.error();
    std::vector<serve::FeedItem> items;
    for (auto& row : *rows)
      items.push_back({std::move(row.activity_id), std::move(row.sent_at), row.sent_at_ms,
                       std::move(row.text)});
    return items;
  };
}

}  // namespace sl::cli
