// Jobs on their own replication slots: slot source, notifier and provider built here.
#include "cli/slot_jobs.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "bus/kafka_change_source.hpp"
#include "cdc/slot.hpp"
#include "cdc/slot_change_source.hpp"
#include "integrations/slack_webhook.hpp"

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
  SL_ASSIGN_OR_RETURN(
      auto source,
      bus::KafkaChangeSource::open(
          {.bootstrap_servers = kafka.bootstrap_servers,
           .properties = kafka.properties,
           .group = options.log_group,
           .topic_prefix = topic_prefix,
           .start = [&writer](const std::string& topic, const std::string& schema,
                              const std::string& table, int32_t partition) {
             return writer.log_start(schema, table, topic, partition);
           }}));
  SL_ASSIGN_OR_RETURN(auto stats, lakehouse::run_bronze_ingest(*source, writer, options));
  stats.skipped += source->repeats();
  return stats;
}

Result<lakehouse::NotifierStats> run_notify_job(pg::Connection& sql, const SlotSettings& slot,
                                                const NotifierSettings& settings,
                                                const lakehouse::NotifierOptions& options) {
  // A slot created now starts at the current position: history is never announced.
  SL_ASSIGN_OR_RETURN(auto start, cdc::open_or_create_slot(sql, slot.conninfo, slot.slot));
  if (start.created)
    spdlog::info("notify: created slot {} at {}: activities from now on are announced", slot.slot,
                 start.from.to_string());
  SL_ASSIGN_OR_RETURN(auto source, open_slot_source(sql, slot, start.from, options.stop_requested));
  std::unique_ptr<integrations::Notifier> notifier;
  if (settings.webhook_url.empty())
    notifier = std::make_unique<integrations::LogNotifier>();
  else
    notifier =
        std::make_unique<integrations::SlackWebhook>(settings.webhook_url, settings.http_timeout);
  return lakehouse::run_activity_notifier(sql, *source, *notifier, options);
}

Result<lakehouse::DistanceRefresh> run_distance_follow_job(
    pg::Connection& sql, const SlotSettings& slot, integrations::DistanceProvider& provider,
    const lakehouse::DistanceWorkerOptions& options) {
  // Created before the first refresh: a change made meanwhile is streamed, not missed.
  SL_ASSIGN_OR_RETURN(auto start, cdc::open_or_create_slot(sql, slot.conninfo, slot.slot));
  start.created.reset();
  return lakehouse::run_distance_worker(
      sql, provider,
      [&] { return open_slot_source(sql, slot, start.from, options.stop_requested); }, options);
}

}  // namespace sl::cli
