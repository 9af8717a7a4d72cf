// The jobs wired to their concrete parts (composition root): each job's change source is its own
// replication slot or, with `--source kafka`, the topics in its own consumer group; the notifier
// is Slack or the log; the publisher's sink is Kafka. Used by each job's command and by `up`.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bus/kafka_sink.hpp"
#include "cli/job_options.hpp"
#include "common/result.hpp"
#include "integrations/distance_provider.hpp"
#include "lakehouse/activity_notifier.hpp"
#include "lakehouse/bronze_ingest.hpp"
#include "lakehouse/distance_job.hpp"
#include "pg/connection.hpp"

namespace sl::cli {

// prepare_bronze_from_slot, then run_bronze_ingest on the slot, with one BronzeWriter (`options`
// carries the slot).
Result<lakehouse::BronzeIngestStats> run_bronze_job(pg::Connection& sql,
                                                    const lakehouse::BronzeIngestOptions& options);

// run_bronze_ingest on the Kafka topics `<kafka.topic_prefix>.<schema>.<table>` in the consumer
// group `options.log_group`; each partition resumes where its Bronze table's txn says.
Result<lakehouse::BronzeIngestStats> run_bronze_kafka_job(
    const KafkaSettings& kafka, const std::string& topic_prefix,
    const lakehouse::BronzeIngestOptions& options);

// On Kafka (job.kafka) only the strava_activities topics are read, in the notify group; an
// outbox row is committed before its record's offset is, so a restart reads again from the
// committed offsets and the outbox's key drops what was queued already.
Result<lakehouse::NotifierStats> run_notify_job(pg::Connection& sql, const NotifyJob& job);

// The slot is created before the first refresh and followed after it; on Kafka (job.kafka) the
// rh_employees topics are followed in the distances group, each offset committed once the
// refresh it triggered is stored.
Result<lakehouse::DistanceRefresh> run_distance_follow_job(pg::Connection& sql,
                                                           const DistanceFollowJob& job,
                                                           integrations::DistanceProvider& provider);

// The publisher's producer (`cdc --sink kafka`, the `publish` role of `up --kafka`): topics
// created with kafka.partitions / kafka.replication_factor.
Result<std::unique_ptr<bus::KafkaSink>> open_kafka_sink(const KafkaSettings& kafka);

// The `publish` role of `up --kafka`: `cdc --sink kafka --schemas` on its own slot
// (cdc.slot + "_publish"); a slot created now first publishes every row (op r), as the embedded
// ingest takes its snapshot. Transaction metadata and heartbeats as settings.cdc.publisher says.
Status run_publish_job(pg::Connection& sql, const Settings& settings, const std::string& conninfo);

}  // namespace sl::cli
