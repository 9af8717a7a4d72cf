// RecordSink: where `sportlake cdc` writes its records (topic, key, value) and how far they are
// durable — a LineSink (stdout, a JSON-lines file) or a Kafka producer (bus::KafkaSink).
//
// Order of use (run_debezium_lines):
// 1. write() each record of a transaction, then end_transaction(its end position);
// 2. take_durable() after each transaction and each poll: the last transaction end whose every
//    record is durable (a file fsynced, every Kafka message acknowledged by the broker); only that
//    position may be confirmed to the replication slot;
// 3. durable() waits for everything written (end of the initial snapshot, exit);
// 4. rollback() when the source starts over from the last confirmed position: the records of the
//    unfinished transaction are dropped where the sink can (a file is cut back); records already
//    handed to a broker stay, and consumers drop repeats by source position (source.lsn).
#pragma once

#include <optional>
#include <string_view>

#include "cdc/change_source.hpp"
#include "common/result.hpp"

namespace sl::cdc {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // One record; a null key for keyless records (truncates), a null value for a tombstone.
  virtual Status write(std::string_view topic, std::optional<std::string_view> key,
                       std::optional<std::string_view> value) = 0;
  // The records written so far complete the transaction that ends at `end`.
  virtual Status end_transaction(const SourcePosition& end) = 0;
  // The last transaction end made durable since the previous call (nullopt: none); an error when
  // a record can never be made durable (the job stops; a restart replays from the slot).
  virtual Result<std::optional<SourcePosition>> take_durable() = 0;
  // Waits until every record written is durable.
  virtual Status durable() = 0;
  virtual Status rollback() = 0;
};

}  // namespace sl::cdc
