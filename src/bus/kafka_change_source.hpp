// KafkaChangeSource: the cdc::ChangeSource of Debezium JSON topics `<prefix>.<schema>.<table>`
// read in a Kafka consumer group (librdkafka) — what `sportlake ingest --source kafka` follows
// instead of a replication slot. Records come from our publisher (`cdc --sink kafka`) or a real
// Debezium connector, either JsonConverter form; a cdc::DebeziumDecoder turns each into the
// ChangeEvent the slot gives.
//
// Positions: each record is its own "transaction" (a topic holds one table; Debezium's records
// carry no transaction end): on_transaction_end gets a SourcePosition whose `log` names the topic,
// the partition, the offset after the record and the order of the partition's last change, and
// whose `sequence` counts the records delivered. A sink that stores the log positions with its
// data (Bronze's Delta txns) makes the job exactly-once: on every partition assignment (start,
// rebalance) the source asks `start` where the partition resumes and seeks there; committed
// Kafka offsets are never read, only written after confirm() (flush_confirmed), for monitoring
// (consumer lag).
//
// Repeats: the publisher is at-least-once (a crash or a lost connection sends a transaction
// again); within a partition the order `(lsn_commit, lsn×2 + (0 delete | 1 other))` only grows,
// so a change at or below the partition's order is a repeat and is dropped. Snapshot rows (op r,
// all at the snapshot's point) are never dropped as repeats. Tombstones and logical messages are
// skipped (their offsets still advance). A record the decoder refuses (a poison record) is
// reported to the handler's on_rejected and skipped the same way: it never stops the source.
//
// Rebalances use the eager protocol: a revocation calls the handler's on_reset (the job drops
// what it had not made durable: another process may now own those partitions), and the new
// assignment starts again from `start`. A cooperative assignor is refused. Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cdc/change_source.hpp"
#include "common/result.hpp"

namespace sl::bus {

struct KafkaSourceOptions {
  std::string bootstrap_servers;
  // librdkafka properties (`kafka.*` less the prefix) over our defaults; enable.auto.commit and
  // enable.auto.offset.store stay false.
  std::vector<std::pair<std::string, std::string>> properties;
  std::string group;         // consumer group (group.id)
  std::string topic_prefix;  // subscribes to every topic `<prefix>.<schema>.<table>`
  // Only the topics of these tables (any schema), e.g. {"strava_activities"}; empty: every table.
  std::vector<std::string> tables;
  std::string client_id = "sportlake-ingest";
  // Where a partition resumes (the sink's stored position), nullopt: its first offset. Without
  // it the group's committed offsets are used (a consumer whose sink cannot store positions).
  std::function<Result<std::optional<cdc::LogPosition>>(
      const std::string& topic, const std::string& schema, const std::string& table,
      int32_t partition)>
      start;
  // Values of fixed-size types in PostgreSQL's binary form (cdc::DecodeOptions::binary_values):
  // for a sink that stores them typed (Bronze); others read text.
  bool binary_values = false;
  size_t max_batch = 1000;  // records delivered per poll at most
  // poll commits the confirmed offsets at most this often (lazily, as a slot reports its
  // position): what a consumer without `start` resumes from, and what its lag is measured by.
  std::chrono::milliseconds commit_interval{1000};
};

class KafkaChangeSource final : public cdc::ChangeSource {
 public:
  static Result<std::unique_ptr<KafkaChangeSource>> open(KafkaSourceOptions options);
  ~KafkaChangeSource() override;
  KafkaChangeSource(const KafkaChangeSource&) = delete;
  KafkaChangeSource& operator=(const KafkaChangeSource&) = delete;

  Result<bool> poll(std::chrono::milliseconds timeout, const cdc::ChangeHandler& handler) override;
  void confirm(const cdc::SourcePosition& position) override;
  // Commits the confirmed offsets to the group (asynchronously; monitoring only).
  Status flush_confirmed() override;
  cdc::SourcePosition confirmed() const override;
  // A backlog: at least `max_batch` records wait in the local queue, or an assigned partition
  // is that many records short of its high watermark as of its latest fetch (no request made).
  bool behind() const override;
  // Every assigned partition sought again where `start` says now; what was delivered and not
  // confirmed is forgotten.
  Status restart_from_sink() override;

  size_t repeats() const;     // changes dropped as a publisher's repeats
  size_t tombstones() const;  // tombstones and logical messages skipped
  size_t rejected() const;    // records the decoder refused, reported (on_rejected) and skipped
  // How often librdkafka's stopped fetchers were woken once its queue drained (FetchWaker).
  size_t fetch_wakes() const;
  // The partitions currently assigned, "topic:partition" (tests, status).
  std::vector<std::string> assignment() const;

  struct Impl;

 private:
  explicit KafkaChangeSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The (schema, table) of a topic `<prefix>.<schema>.<table>`, nullopt for another topic.
std::optional<std::pair<std::string, std::string>> topic_table(const std::string& prefix,
                                                               const std::string& topic);

}  // namespace sl::bus
