// Debezium's transaction metadata (`provide.transaction.metadata=true`): a BEGIN record on
// `<prefix>.transaction` before a transaction's first data event, an END record after its last,
// and a `transaction` block in every data event in between.
//
// Order of use (run_debezium_lines), per transaction:
// 1. event(e, sink) before each data event is written: the first one writes BEGIN (Debezium
//    begins a transaction lazily, at its first event: a transaction without a written event has
//    neither BEGIN nor END) and every one returns the event's block;
// 2. end(sink) at the transaction's end, before end_transaction: writes END if BEGIN was written.
// Snapshot rows (no xid) have no block and no BEGIN/END, as Debezium's.
//
// Records as the real connector (3.6.1 on PostgreSQL 15) writes them, key then value
// (schemas.enable=false), for transaction 746 whose events are at LSNs 26516008, 26516216 and
// 26516280 and whose commit ends at 26516464:
//   {"id":"746:26516008"}
//   {"status":"BEGIN","id":"746:26516008","event_count":null,"data_collections":null,"ts_ms":1796474969026}
//   {"id":"746:26516464"}
//   {"status":"END","id":"746:26516464","event_count":3,"data_collections":[
//     {"data_collection":"public.cmp_typed","event_count":1},
//     {"data_collection":"public.cmp_nokey","event_count":1},
//     {"data_collection":"other.cmp_edge","event_count":1}],"ts_ms":1796474969026}
// and in the events: "transaction":{"id":"746:26516216","total_order":2,"data_collection_order":1}
// The id is "<xid>:<LSN>" where the LSN is the connector's position when it writes the record:
// the first event's LSN for BEGIN, each event's own LSN in its block, the end of the commit for
// END — so only the xid part is the same across one transaction's records (Debezium's documents
// show one id; its PostgreSQL connector writes these). ts_ms is the commit time in all three;
// data_collections come in the iteration order of the java.util.HashMap Debezium counts in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cdc/change_event.hpp"
#include "cdc/debezium_json.hpp"
#include "cdc/record_sink.hpp"
#include "common/result.hpp"

namespace sl::cdc {

class TransactionMetadata {
 public:
  // `schemas`: JsonConverter schemas.enable=true (key and value wrapped with their Connect schema).
  TransactionMetadata(std::string_view topic_prefix, bool schemas);

  // `<prefix>.transaction` (Debezium's `topic.transaction` default).
  const std::string& topic() const { return topic_; }

  // The block of data event `e`, about to be written; writes BEGIN first when `e` opens a
  // transaction. None for snapshot rows. The block's id stays valid until the next call.
  Result<std::optional<TransactionBlock>> event(const ChangeEvent& e, RecordSink& sink);
  // Writes END of the open transaction, if any; `commit_end`: the end of its commit record.
  Status end(RecordSink& sink, pg::Lsn commit_end);
  // The source starts the open transaction over (its records were rolled back): the next event
  // writes BEGIN again.
  void reset() { open_ = false; }

 private:
  struct Collection {
    std::string name;  // "<schema>.<table>"
    int64_t events = 0;
  };
  Status write(RecordSink& sink, bool begin, pg::Lsn lsn);

  std::string topic_;
  bool schemas_;
  bool open_ = false;
  uint32_t xid_ = 0;
  std::string event_id_;  // the last event's id (its block points at it)
  int64_t ts_ms_ = 0;
  int64_t events_ = 0;
  std::vector<Collection> collections_;  // in order of first event (a transaction touches few)
  std::string key_;
  std::string value_;
};

}  // namespace sl::cdc
