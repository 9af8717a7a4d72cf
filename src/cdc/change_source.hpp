// ChangeSource: what a job sees of a change stream — change events in source order, the ends of
// their transactions with the position to confirm, and a way to confirm a position.
//
// Order of use:
// 1. poll(timeout, handler) in a loop: the changes that arrived go to handler.on_event, each
//    transaction end to handler.on_transaction_end with its position;
// 2. once the job's sink holds everything up to a transaction end durably, confirm(position):
//    only confirmed positions survive a restart or a reconnection, so a crash replays from the
//    last confirmed one (at-least-once delivery; the sinks make it exactly-once with the
//    position stored next to the data, e.g. Bronze's Delta `txn`);
// 3. handler.on_reset is called when the source had to start over from the last confirmed
//    position (a lost connection): the job drops what it had not made durable, the source
//    delivers it again.
// Implementations: `SlotChangeSource` (a PostgreSQL replication slot), `bus::KafkaChangeSource`
// (Debezium topics in a consumer group). Not thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cdc/change_event.hpp"
#include "common/result.hpp"
#include "pg/lsn.hpp"

namespace sl::cdc {

// Where a partitioned log's transaction came from (a Kafka record: topic, partition, the offset
// after it) and the source order of its last change, `(commit, change)`: Debezium's
// `(lsn_commit, lsn×2 + (0 for a delete, 1 otherwise))`, growing within a partition except for
// a publisher's repeats. A sink that stores them next to its data (Bronze's Delta txns) can
// restart the log there, and drop the repeats, without trusting the log's committed offsets.
struct LogPosition {
  std::string topic;
  int32_t partition = -1;
  int64_t next_offset = -1;
  int64_t order_commit = 0;
  int64_t order_change = 0;
  bool operator==(const LogPosition&) const = default;
};

// How far a source is: the end LSN of a transaction for a replication slot; for a partitioned
// log, `log` names the record and `sequence` counts what the source delivered (confirming one
// confirms every earlier one).
struct SourcePosition {
  pg::Lsn lsn;
  std::optional<LogPosition> log;
  uint64_t sequence = 0;
  bool operator==(const SourcePosition&) const = default;
};

// A record of a partitioned log the source could not read (invalid JSON, a value not matching its
// schema, no Debezium event...): where it is and why. The source skips it (its position advances
// as any record's, with on_transaction_end(`at`) following) and never stops on it.
struct RejectedRecord {
  LogPosition at;  // `at.next_offset` is the offset after the record
  int64_t offset = -1;
  std::string reason;
  // How job_failures names it: "kafka <topic>:<partition>@<offset>".
  std::string item() const {
    return "kafka " + at.topic + ":" + std::to_string(at.partition) + "@" + std::to_string(offset);
  }
};

struct ChangeHandler {
  std::function<Status(const ChangeEvent&)> on_event;
  // A record that could not be read (reported by the job, e.g. in job_failures; an error here
  // stops the job: the report could not be made). Null: the source only logs it.
  std::function<Status(const RejectedRecord&)> on_rejected;
  // The transaction whose events were just delivered ended at `end` (also called for
  // transactions without any captured change, so an idle job can still confirm them).
  std::function<Status(const SourcePosition& end)> on_transaction_end;
  std::function<void()> on_reset;
};

class ChangeSource {
 public:
  virtual ~ChangeSource() = default;

  // Waits up to `timeout` for changes and delivers what came; returns whether anything came.
  // An error is not retryable: the source already retried what it could.
  virtual Result<bool> poll(std::chrono::milliseconds timeout, const ChangeHandler& handler) = 0;
  // Everything up to `position` is durable downstream (reported to the source lazily).
  virtual void confirm(const SourcePosition& position) = 0;
  // Reports the confirmed position to the source now.
  virtual Status flush_confirmed() = 0;
  virtual SourcePosition confirmed() const = 0;
  // Whether the source already holds more changes than it delivered (a backlog being drained,
  // e.g. a Kafka partition read behind its end): a sink may then batch by size, not by time.
  // False when unknown.
  virtual bool behind() const { return false; }
  // Starts again from the positions the sink stores (Kafka: each partition's Bronze txn), what
  // was delivered and not confirmed forgotten: after the sink refused a commit because another
  // consumer took one of its partitions over. Sources whose position is their own: unsupported.
  virtual Status restart_from_sink() {
    return make_error(Errc::unsupported, "cdc: this source keeps its own position");
  }
};

// Opens a change source when a job is ready to follow it (e.g. after a first full pass, so the
// source's server does not wait on a long pass); built by the composition root.
using ChangeSourceOpener = std::function<Result<std::unique_ptr<ChangeSource>>()>;

}  // namespace sl::cdc
