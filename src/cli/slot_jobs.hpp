// The jobs wired to their concrete parts (composition root): each job's change source is its own
// replication slot, the notifier is Slack or the log. Used by each job's command and by `up`.
#pragma once

#include <chrono>
#include <string>

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

Result<lakehouse::NotifierStats> run_notify_job(pg::Connection& sql, const SlotSettings& slot,
                                                const NotifierSettings& notifier,
                                                const lakehouse::NotifierOptions& options);

// The slot is created before the first refresh and followed after it.
Result<lakehouse::DistanceRefresh> run_distance_follow_job(
    pg::Connection& sql, const SlotSettings& slot, integrations::DistanceProvider& provider,
    const lakehouse::DistanceWorkerOptions& options);

}  // namespace sl::cli
