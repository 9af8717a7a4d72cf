// KafkaSink: the Kafka producer behind `sportlake cdc --sink kafka` — a cdc::RecordSink that sends
// each record to its topic keyed by the primary key, and reports a transaction durable only once
// every one of its messages has a successful delivery report (acks=all, idempotent producer).
//
// Order of use: open() (producer configured, nothing sent yet) → write()… end_transaction()… with
// take_durable() polled by the job → durable() before exit. Topics are looked up in the cluster's
// metadata on first use and created (configured partitions and replication factor) only when
// missing, so an existing deployment whose ACLs forbid CreateTopics works with topics made by its
// operators. A delivery that fails for good (after librdkafka's own retries) makes take_durable()
// and durable() fail: the job stops, and a restart replays from the last acknowledged position.
// Single-threaded: delivery reports are served on the caller's thread (inside write(),
// take_durable(), durable()).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cdc/record_sink.hpp"
#include "common/result.hpp"

namespace sl::bus {

struct KafkaSinkOptions {
  std::string bootstrap_servers;
  // librdkafka properties (the `kafka.*` settings less the prefix: SASL, TLS, compression...),
  // applied over our defaults; enable.idempotence and acks cannot be weakened.
  std::vector<std::pair<std::string, std::string>> properties;
  int partitions = -1;          // of topics created here; -1: the broker's num.partitions
  int replication_factor = -1;  // of topics created here; -1: the broker's default
  std::chrono::milliseconds admin_timeout{30000};
};

class KafkaSink final : public cdc::RecordSink {
 public:
  static Result<std::unique_ptr<KafkaSink>> open(const KafkaSinkOptions& options);
  ~KafkaSink() override;
  KafkaSink(const KafkaSink&) = delete;
  KafkaSink& operator=(const KafkaSink&) = delete;

  Status write(std::string_view topic, std::optional<std::string_view> key,
               std::optional<std::string_view> value) override;
  Status end_transaction(const cdc::SourcePosition& end) override;
  Result<std::optional<cdc::SourcePosition>> take_durable() override;
  Status durable() override;
  // Messages already handed to librdkafka cannot be recalled: they stay (consumers drop repeats
  // by source position); their transaction is acknowledged once it is complete.
  Status rollback() override { return {}; }

  // Messages written and not yet reported (tests, status).
  long in_flight() const;

  struct Impl;

 private:
  explicit KafkaSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The librdkafka property a `kafka.<name>` setting passes through, or nullopt for sportlake's own
// keys (bootstrap_servers, topic_prefix, group, partitions, replication_factor).
std::optional<std::string> librdkafka_property(std::string_view setting_key);

}  // namespace sl::bus
