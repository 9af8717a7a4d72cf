// The options of the jobs, assembled in one place from the settings and the command-line flags:
// `ingest`, `notify`, `distances` and `refresh` use them with their flags, `up` with the flags'
// defaults, so a service of `up` runs exactly as its own command does.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "cli/settings.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "integrations/gazetteer.hpp"
#include "lakehouse/activity_notifier.hpp"
#include "lakehouse/bronze_ingest.hpp"
#include "lakehouse/distance_job.hpp"
#include "lakehouse/refresh_job.hpp"

namespace sl::cli {

// A flag given in seconds (`--idle-exit 0.5`) as the jobs' milliseconds.
std::chrono::milliseconds millis(double seconds);
double seconds(std::chrono::milliseconds duration);

// `sportlake ingest` flags; defaults are the job's.
struct IngestFlags {
  std::string slot;         // "": cdc.slot + "_bronze"
  std::string publication;  // "": cdc.publication
  size_t commit_rows = lakehouse::BronzeIngestOptions{}.commit_rows;
  size_t spill_mb = lakehouse::BronzeIngestOptions{}.spill_bytes >> 20;
  double commit_interval = seconds(lakehouse::BronzeIngestOptions{}.commit_interval);
  double commit_min_interval = seconds(lakehouse::BronzeIngestOptions{}.commit_min_interval);
  double commit_idle_window = seconds(lakehouse::BronzeIngestOptions{}.commit_idle_window);
  double idle_exit = 0;
  size_t max_changes = 0;
  std::string source = "slot";  // slot, or kafka (the publisher's topics, in a consumer group)
  std::string group;            // "": kafka.group + "_bronze"
};

// Where a role reads the Kafka topics `<topic_prefix>.<schema>.<table>` (`--source kafka`).
struct KafkaConsumer {
  KafkaSettings kafka;
  std::string topic_prefix;
  std::string group;  // its own consumer group
};

// Where a streaming job reads its changes: its own replication slot.
struct SlotSettings {
  std::string conninfo;
  std::string slot;
  std::string publication;
};

// Where the notifier posts: Slack, or the log without a webhook.
struct NotifierSettings {
  std::string webhook_url;  // empty: the log
  std::chrono::milliseconds http_timeout{10000};
};

// `sportlake notify` flags; defaults are the job's.
struct NotifyFlags {
  std::string slot;         // "": cdc.slot + "_notify"
  std::string publication;  // "": cdc.publication
  double min_interval = seconds(lakehouse::NotifierOptions{}.min_interval);
  double timeout = seconds(NotifierSettings{}.http_timeout);
  int max_attempts = lakehouse::NotifierOptions{}.max_attempts;
  double max_age_days = static_cast<double>(lakehouse::NotifierOptions{}.max_age.count()) / 24;
  double idle_exit = 0;
  std::string source = "slot";  // slot, or kafka
  std::string group;            // "": kafka.group + "_notify"
};

// `sportlake distances --follow` flags.
struct DistanceFollowFlags {
  std::string slot;  // "": cdc.slot + "_distances"
  double idle_exit = 0;
  std::string source = "slot";  // slot, or kafka
  std::string group;            // "": kafka.group + "_distances"
};

// A streaming job reads its own slot, or with `kafka` the topics in its consumer group.
struct NotifyJob {
  SlotSettings slot;
  std::optional<KafkaConsumer> kafka;
  NotifierSettings notifier;
  lakehouse::NotifierOptions options;
};

struct DistanceFollowJob {
  SlotSettings slot;
  std::optional<KafkaConsumer> kafka;
  lakehouse::DistanceWorkerOptions options;
};

// Each streaming job stops when SIGINT or SIGTERM arrives (cli/stop_signal.hpp); `conninfo` is
// the source database's (pg::resolve_conninfo); `lake` must outlive the options.
lakehouse::BronzeIngestOptions bronze_ingest_options(const Settings& settings,
                                                     const std::string& conninfo,
                                                     const delta::Lake& lake,
                                                     const IngestFlags& flags);
// The consumer of `role` for `--source kafka` (its group: `flag_group`, else
// Settings::consumer_group(role)); nullopt for `--source slot`.
std::optional<KafkaConsumer> kafka_consumer(const Settings& settings, const std::string& source,
                                            const std::string& flag_group, std::string_view role);
NotifyJob notify_job(const Settings& settings, const std::string& conninfo,
                     const NotifyFlags& flags);
DistanceFollowJob distance_follow_job(const Settings& settings, const std::string& conninfo,
                                      const DistanceFollowFlags& flags);

// The refresh of `year` (0: rules.year, else the current year) at the present time; `lake` and
// `gazetteer` must outlive the options.
Result<lakehouse::RefreshOptions> refresh_options(const Settings& settings, const delta::Lake& lake,
                                                  int year,
                                                  const integrations::Gazetteer& gazetteer);

}  // namespace sl::cli
