// Assembling the jobs' options from the settings and the flags.
#include "cli/job_options.hpp"

#include <algorithm>

#include "cli/stop_signal.hpp"
#include "common/clock.hpp"

namespace sl::cli {

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

double seconds(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000;
}

namespace {

// The slot a streaming job reads: `flag_slot`, else the job's slot under cdc.slot.
SlotSettings slot_settings(const Settings& settings, const std::string& conninfo,
                           const std::string& flag_slot, std::string_view job,
                           const std::string& flag_publication) {
  return {.conninfo = conninfo,
          .slot = flag_slot.empty() ? settings.slot(job) : flag_slot,
          .publication = flag_publication.empty() ? settings.cdc.publication : flag_publication};
}

// When every streaming job stops.
template <class JobOptions>
void set_stop(JobOptions& options, double idle_exit) {
  options.idle_exit = millis(idle_exit);
  options.stop_requested = stop_requested;
}

}  // namespace

lakehouse::BronzeIngestOptions bronze_ingest_options(const Settings& settings,
                                                     const std::string& conninfo,
                                                     const delta::Lake& lake,
                                                     const IngestFlags& flags) {
  lakehouse::BronzeIngestOptions options;
  const auto slot = slot_settings(settings, conninfo, flags.slot, "bronze", flags.publication);
  options.conninfo = slot.conninfo;
  options.slot = slot.slot;
  options.publication = slot.publication;
  set_stop(options, flags.idle_exit);
  options.lake = &lake;
  options.commit_rows = flags.commit_rows;
  options.spill_bytes = std::max<size_t>(flags.spill_mb, 1) << 20;
  options.commit_interval = millis(flags.commit_interval);
  options.commit_min_interval = millis(flags.commit_min_interval);
  options.commit_idle_window = millis(flags.commit_idle_window);
  options.max_changes = flags.max_changes;
  if (auto kafka = kafka_consumer(settings, flags.source, flags.group, "bronze"))
    options.log_group = kafka->group;
  return options;
}

std::optional<KafkaConsumer> kafka_consumer(const Settings& settings, const std::string& source,
                                            const std::string& flag_group, std::string_view role) {
  if (source != "kafka") return std::nullopt;
  return KafkaConsumer{.kafka = settings.kafka,
                       .topic_prefix = settings.cdc.topic_prefix,
                       .group = flag_group.empty() ? settings.consumer_group(role) : flag_group};
}

NotifyJob notify_job(const Settings& settings, const std::string& conninfo,
                     const NotifyFlags& flags) {
  NotifyJob job;
  job.slot = slot_settings(settings, conninfo, flags.slot, "notify", flags.publication);
  job.kafka = kafka_consumer(settings, flags.source, flags.group, "notify");
  job.notifier = {.webhook_url = settings.slack_webhook_url, .http_timeout = millis(flags.timeout)};
  set_stop(job.options, flags.idle_exit);
  job.options.min_interval = millis(flags.min_interval);
  job.options.max_attempts = flags.max_attempts;
  job.options.max_age = std::chrono::hours(static_cast<int64_t>(flags.max_age_days * 24));
  return job;
}

DistanceFollowJob distance_follow_job(const Settings& settings, const std::string& conninfo,
                                      const DistanceFollowFlags& flags) {
  DistanceFollowJob job;
  job.slot = slot_settings(settings, conninfo, flags.slot, "distances", "");
  job.kafka = kafka_consumer(settings, flags.source, flags.group, "distances");
  set_stop(job.options, flags.idle_exit);
  job.options.destination = settings.maps.destination;
  return job;
}

Result<lakehouse::RefreshOptions> refresh_options(const Settings& settings, const delta::Lake& lake,
                                                  int year,
                                                  const integrations::Gazetteer& gazetteer) {
  lakehouse::RefreshOptions options;
  options.lake = &lake;
  SL_ASSIGN_OR_RETURN(options.rules, settings.rules);
  if (year != 0) {
    options.year = year;
  } else {
    SL_ASSIGN_OR_RETURN(options.year, settings.reference_year());
  }
  options.destination = settings.maps.destination;
  options.gazetteer = &gazetteer;
  options.now_us = unix_now_us();
  return options;
}

}  // namespace sl::cli
