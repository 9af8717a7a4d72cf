// Jobs on their own replication slots or consumer groups: sources, sinks and notifier built here.
#include "cli/slot_jobs.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "bus/kafka_change_source.hpp"
#include "cdc/debezium_lines.hpp"
#include "cdc/slot.hpp"
#include "cdc/slot_change_source.hpp"
#include "cli/stop_signal.hpp"
#include "integrations/slack_webhook.hpp"
#include "lakehouse/activity_card.hpp"
#include "lakehouse/job_failures.hpp"

namespace sl::cli {

namespace {

Result<std::unique_ptr<cdc::ChangeSource>> open_slot_source(
    pg::Connection& sql, const SlotSettings& slot, pg::Lsn from,
    const std::function<bool()>& stop_requested) {
  SL_ASSIGN_OR_RETURN(auto source, cdc::SlotChangeSource::open(sql,
                                                               {.conninfo = slot.conninfo,
                                                                .slot = slot.slot,
                                                                .publication = slot.publication,
                                                                .stop_requested = stop_requested},
                                                               from));
  return std::unique_ptr<cdc::ChangeSource>(std::move(source));
}

// A role's consumer of the topics of `tables` (empty: every table). `start`: where a partition
// resumes (the sink's stored position); empty: the group's committed offsets.
Result<std::unique_ptr<bus::KafkaChangeSource>> open_kafka_source(
    const KafkaConsumer& consumer, std::vector<std::string> tables, std::string client_id,
    decltype(bus::KafkaSourceOptions::start) start = {}, bool binary_values = false) {
  return bus::KafkaChangeSource::open({.bootstrap_servers = consumer.kafka.bootstrap_servers,
                                       .properties = consumer.kafka.properties,
                                       .group = consumer.group,
                                       .topic_prefix = consumer.topic_prefix,
                                       .tables = std::move(tables),
                                       .client_id = std::move(client_id),
                                       .start = std::move(start),
                                       .binary_values = binary_values});
}

}  // namespace

Result<lakehouse::BronzeIngestStats> run_bronze_job(pg::Connection& sql,
                                                    const lakehouse::BronzeIngestOptions& options) {
  auto writer = lakehouse::bronze_writer(options);
  SL_ASSIGN_OR_RETURN(auto prepared, lakehouse::prepare_bronze_from_slot(sql, writer, options));
  SL_ASSIGN_OR_RETURN(auto source,
                      open_slot_source(sql, {options.conninfo, options.slot, options.publication},
                                       prepared.from, options.stop_requested));
  SL_ASSIGN_OR_RETURN(auto stats, lakehouse::run_bronze_ingest(*source, writer, options));
  stats.snapshot_rows += prepared.snapshot_rows;
  return stats;
}

Result<lakehouse::BronzeIngestStats> run_bronze_kafka_job(
    const KafkaSettings& kafka, const std::string& topic_prefix,
    const lakehouse::BronzeIngestOptions& options) {
  auto writer = lakehouse::bronze_writer(options);
  // Poison records go to job_failures, on a connection opened at the first one (the topics alone
  // need no database). A report that cannot be made is logged: the record is skipped all the same.
  lakehouse::BronzeIngestOptions with_reports = options;
  std::optional<pg::Connection> failures_db;
  with_reports.report_rejected = [&](const cdc::RejectedRecord& record) -> Status {
    if (!failures_db && !options.conninfo.empty()) {
      auto opened = pg::Connection::open(options.conninfo);
      if (opened) failures_db.emplace(std::move(*opened));
    }
    Status reported = make_error(Errc::unavailable, "no source database configured");
    if (failures_db) reported = lakehouse::record_rejected_record(*failures_db, "ingest", record);
    if (!reported) {
      spdlog::error("ingest: {} not recorded in job_failures: {}", record.item(),
                    reported.error().to_string());
      failures_db.reset();  // a lost connection: opened again at the next one
    }
    return {};
  };
  SL_ASSIGN_OR_RETURN(
      auto source,
      open_kafka_source({kafka, topic_prefix, options.log_group}, {}, "sportlake-ingest",
                        [&writer](const std::string& topic, const std::string& schema,
                                  const std::string& table, int32_t partition) {
                          return writer.log_start(schema, table, topic, partition);
                        },
                        /*binary_values=*/true));  // Bronze stores them typed
  SL_ASSIGN_OR_RETURN(auto stats, lakehouse::run_bronze_ingest(*source, writer, with_reports));
  stats.skipped += source->repeats();
  return stats;
}

Result<lakehouse::NotifierStats> run_notify_job(pg::Connection& sql, const NotifyJob& job) {
  const auto& slot = job.slot;
  const auto& settings = job.notifier;
  const auto& options = job.options;
  std::unique_ptr<cdc::ChangeSource> source;
  if (job.kafka) {
    // A new group reads the topics from their start: snapshot rows are no inserts, and inserts
    // older than max_age are history, so only recent activities not yet in the outbox are news.
    SL_ASSIGN_OR_RETURN(source, open_kafka_source(*job.kafka,
                                                  {std::string(lakehouse::k_activities_table)},
                                                  "sportlake-notify"));
  } else {
    // A slot created now starts at the current position: history is never announced.
    SL_ASSIGN_OR_RETURN(auto start, cdc::open_or_create_slot(sql, slot.conninfo, slot.slot));
    if (start.created)
      spdlog::info("notify: created slot {} at {}: activities from now on are announced",
                   slot.slot, start.from.to_string());
    SL_ASSIGN_OR_RETURN(source, open_slot_source(sql, slot, start.from, options.stop_requested));
  }
  std::unique_ptr<integrations::Notifier> notifier;
  if (settings.webhook_url.empty())
    notifier = std::make_unique<integrations::LogNotifier>();
  else
    notifier =
        std::make_unique<integrations::SlackWebhook>(settings.webhook_url, settings.http_timeout);
  return lakehouse::run_activity_notifier(sql, *source, *notifier, options);
}

Result<lakehouse::DistanceRefresh> run_distance_follow_job(pg::Connection& sql,
                                                           const DistanceFollowJob& job,
                                                           integrations::DistanceProvider& provider) {
  const auto& slot = job.slot;
  const auto& options = job.options;
  if (job.kafka) {
    // The group's committed offsets come after every refresh they owe (a new group reads the
    // topics from their start: one refresh, of what the cache lacks).
    return lakehouse::run_distance_worker(
        sql, provider,
        [&job]() -> Result<std::unique_ptr<cdc::ChangeSource>> {
          SL_ASSIGN_OR_RETURN(
              auto source,
              open_kafka_source(*job.kafka, {std::string(lakehouse::k_employees_table)},
                                "sportlake-distances"));
          return std::unique_ptr<cdc::ChangeSource>(std::move(source));
        },
        options);
  }
  // Created before the first refresh: a change made meanwhile is streamed, not missed.
  SL_ASSIGN_OR_RETURN(auto start, cdc::open_or_create_slot(sql, slot.conninfo, slot.slot));
  start.created.reset();
  return lakehouse::run_distance_worker(
      sql, provider,
      [&] { return open_slot_source(sql, slot, start.from, options.stop_requested); }, options);
}

Result<std::unique_ptr<bus::KafkaSink>> open_kafka_sink(const KafkaSettings& kafka) {
  SL_ASSIGN_OR_RETURN(int partitions, kafka.partitions);
  SL_ASSIGN_OR_RETURN(int replication_factor, kafka.replication_factor);
  return bus::KafkaSink::open({.bootstrap_servers = kafka.bootstrap_servers,
                               .properties = kafka.properties,
                               .partitions = partitions,
                               .replication_factor = replication_factor});
}

Status run_publish_job(pg::Connection& sql, const Settings& settings, const std::string& conninfo) {
  SL_ASSIGN_OR_RETURN(auto publisher, settings.cdc.publisher);
  SL_ASSIGN_OR_RETURN(auto sink, open_kafka_sink(settings.kafka));
  // With schemas: the consumers' Bronze keeps the columns' types (schemaless is all text).
  SL_TRY(cdc::run_debezium_lines(sql, {.conninfo = conninfo,
                                       .slot = settings.slot("publish"),
                                       .publication = settings.cdc.publication,
                                       .topic_prefix = settings.cdc.topic_prefix,
                                       .record_sink = sink.get(),
                                       .marker_dir = settings.home / "cdc",
                                       .tombstones = true,
                                       .from_start = true,
                                       .schemas = true,
                                       .transaction_metadata = publisher.transaction_metadata,
                                       .heartbeat_interval_ms = publisher.heartbeat_interval_ms,
                                       .heartbeat_prefix = publisher.heartbeat_prefix,
                                       .stop_requested = stop_requested}));
  return {};
}

}  // namespace sl::cli
