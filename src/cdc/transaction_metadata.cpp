// Debezium's transaction metadata: BEGIN/END records and the events' `transaction` blocks.
#include "cdc/transaction_metadata.hpp"

#include "cdc/java_hash_map.hpp"
#include "common/civil_time.hpp"
#include "common/json_writer.hpp"

namespace sl::cdc {

namespace {

// JsonConverter's schemas of Debezium's TransactionMetadataKey / TransactionMetadataValue
// (schemas.enable=true), field for field as the real connector writes them.
constexpr std::string_view k_key_schema =
    R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"}],)"
    R"("optional":false,"name":"io.debezium.connector.common.TransactionMetadataKey","version":1},"payload":)";
constexpr std::string_view k_value_schema =
    R"({"schema":{"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"status"},)"
    R"({"type":"string","optional":false,"field":"id"},)"
    R"({"type":"int64","optional":true,"field":"event_count"},)"
    R"({"type":"array","items":{"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"data_collection"},)"
    R"({"type":"int64","optional":false,"field":"event_count"}],)"
    R"("optional":true,"name":"event.collection","version":1},"optional":true,"field":"data_collections"},)"
    R"({"type":"int64","optional":false,"field":"ts_ms"}],)"
    R"("optional":false,"name":"io.debezium.connector.common.TransactionMetadataValue","version":1},"payload":)";

}  // namespace

TransactionMetadata::TransactionMetadata(std::string_view topic_prefix, bool schemas)
    : topic_(std::string(topic_prefix) + ".transaction"), schemas_(schemas) {}

Result<std::optional<TransactionBlock>> TransactionMetadata::event(const ChangeEvent& e,
                                                                   RecordSink& sink) {
  if (e.source.tx_id == 0) return std::optional<TransactionBlock>{};  // snapshot rows
  if (!open_) {
    xid_ = e.source.tx_id;
    ts_ms_ = floor_div(e.source.ts_us, 1000);
    events_ = 0;
    collections_.clear();
    open_ = true;
    SL_TRY(write(sink, true, e.source.lsn));
  }
  std::string name = e.relation->schema + "." + e.relation->name;
  Collection* collection = nullptr;
  for (auto& c : collections_)
    if (c.name == name) collection = &c;
  if (collection == nullptr) collection = &collections_.emplace_back(Collection{std::move(name)});
  event_id_ = std::to_string(xid_) + ":" + std::to_string(e.source.lsn.value);
  return TransactionBlock{event_id_, ++events_, ++collection->events};
}

Status TransactionMetadata::end(RecordSink& sink, pg::Lsn commit_end) {
  if (!open_) return {};
  open_ = false;
  return write(sink, false, commit_end);
}

Status TransactionMetadata::write(RecordSink& sink, bool begin, pg::Lsn lsn) {
  const std::string id = std::to_string(xid_) + ":" + std::to_string(lsn.value);
  key_.clear();
  if (schemas_) key_ += k_key_schema;
  key_ += "{\"id\":";
  append_json_string(key_, id);
  key_ += '}';
  if (schemas_) key_ += '}';

  value_.clear();
  if (schemas_) value_ += k_value_schema;
  value_ += begin ? R"({"status":"BEGIN","id":)" : R"({"status":"END","id":)";
  append_json_string(value_, id);
  if (begin) {
    value_ += R"(,"event_count":null,"data_collections":null)";
  } else {
    value_ += ",\"event_count\":" + std::to_string(events_) + ",\"data_collections\":[";
    // Debezium counts per table in a HashMap and writes its entries in iteration order.
    std::vector<std::string_view> names;
    for (const auto& c : collections_) names.push_back(c.name);
    bool first = true;
    for (size_t i : java_hash_map_order(names)) {
      if (!first) value_ += ',';
      first = false;
      value_ += "{\"data_collection\":";
      append_json_string(value_, collections_[i].name);
      value_ += ",\"event_count\":" + std::to_string(collections_[i].events) + "}";
    }
    value_ += ']';
  }
  value_ += ",\"ts_ms\":" + std::to_string(ts_ms_) + "}";
  if (schemas_) value_ += '}';
  return sink.write(topic_, key_, value_);
}

}  // namespace sl::cdc
