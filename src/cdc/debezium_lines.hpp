// The `sportlake cdc` job: a slot's changes as Debezium JSON records (topic, key, value) in a
// RecordSink (LineSink, or a Kafka producer given by the composition root), each transaction
// acknowledged only once the sink holds it durably.
//
// Order of a run:
// 1. open the slot, or create it; with `from_start`, a slot created now first emits every row of
//    the captured tables (op r, read under the slot's exported snapshot) and makes them durable;
// 2. stream from the slot: write → durable (flush/fsync, or every message's delivery report) →
//    only then acknowledge the transaction's end;
// 3. on a lost connection, drop the unfinished transaction's lines and resume after the last
//    durable one.
// The snapshot-marker protocol: `<marker_dir>/<slot>.snapshot-pending` exists from before the
// slot is created until its initial snapshot is durable; a run killed in between leaves it, and
// the next `from_start` run drops the slot and takes the snapshot again.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "cdc/record_sink.hpp"
#include "cdc/slot_change_source.hpp"
#include "cdc/type_mapping.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::cdc {

struct DebeziumLinesOptions {
  std::string conninfo;
  std::string slot;
  std::string publication;
  std::string topic_prefix = "rh_sport";
  std::string sink = "stdout";  // LineSink::open
  RecordSink* record_sink = nullptr;  // when set, the records go there instead of `sink`
  std::filesystem::path marker_dir;
  long max_events = -1;  // stop after N events (-1: never)
  double idle_exit = 0;  // stop after SECONDS without a change (0: never)
  bool tombstones = true;  // tombstones.on.delete (Debezium's default: true)
  bool from_start = false;
  bool schemas = false;
  ValueForms forms;  // decimal/time/binary/interval handling modes
  // skipped.operations: the ops not written, as characters of "cudt" (Debezium's default skips
  // truncates: "t"; parse_skipped_operations("none") gives "").
  std::string skipped_operations = "t";
  // provide.transaction.metadata: BEGIN/END records on `<prefix>.transaction` and a `transaction`
  // block in each streamed event (cdc/transaction_metadata.hpp).
  bool transaction_metadata = false;
  // heartbeat.interval.ms (0: none) and topic.heartbeat.prefix: a heartbeat record on
  // `<heartbeat_prefix>.<topic_prefix>` at most every interval (cdc/heartbeat.hpp).
  long heartbeat_interval_ms = 0;
  std::string heartbeat_prefix = "__debezium-heartbeat";
  std::function<bool()> stop_requested;
};

struct DebeziumLinesStats {
  long events = 0;
  long heartbeats = 0;
  pg::Lsn acknowledged;
  uint64_t unconverted = 0;  // DebeziumEncoder::unconverted()
};

// Debezium's `skipped.operations` value ("none", or "c,u,d,t" in any subset) → the skipped ops.
Result<std::string> parse_skipped_operations(std::string_view text);

// The oid of the database's hstore type (an extension type: its oid is the database's own), 0
// when the extension is not installed. Read once when `sportlake cdc` starts: an hstore extension
// created while it runs is seen at its next start.
Result<uint32_t> read_hstore_oid(pg::Connection& sql);

// `sql`: a normal connection to the source database (migrations and publication in place).
Result<DebeziumLinesStats> run_debezium_lines(pg::Connection& sql,
                                              const DebeziumLinesOptions& options);

}  // namespace sl::cdc
