// Debezium JSON encoding of change events.
#include "cdc/debezium_json.hpp"

#include <nlohmann/json.hpp>

#include "cdc/type_mapping.hpp"

namespace sl::cdc {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view k_version = "2.7.0.sportlake";

Result<json> row_json(const pg::Relation& rel, const pg::Tuple& tuple, bool key_only) {
  json row = json::object();
  for (size_t i = 0; i < rel.columns.size(); ++i) {
    const auto& column = rel.columns[i];
    if (key_only && !column.is_key) continue;
    const auto& v = tuple[i];
    switch (v.kind) {
      case pg::TupleValue::Kind::null: row[column.name] = nullptr; break;
      case pg::TupleValue::Kind::unchanged_toast:
        // Debezium's placeholder: the value was not sent and is not known (never a default).
        row[column.name] = "__debezium_unavailable_value";
        break;
      case pg::TupleValue::Kind::text: {
        auto value = debezium_value(column.type_oid, column.type_modifier, v.data);
        if (!value) return value.error().with_context(rel.name + "." + column.name);
        row[column.name] = std::move(*value);
        break;
      }
      case pg::TupleValue::Kind::binary:
        return make_error(Errc::unsupported, "cdc: binary tuple values (pgoutput binary mode) are not requested");
    }
  }
  return row;
}

}  // namespace

Result<EncodedEvent> encode_debezium(const ChangeEvent& e, const EncodeOptions& options) {
  EncodedEvent out;
  const pg::Relation& rel = *e.relation;
  out.topic = options.topic_prefix + "." + rel.schema + "." + rel.name;
  json value;
  value["before"] = nullptr;
  value["after"] = nullptr;
  if (e.before) {
    SL_ASSIGN_OR_RETURN(value["before"], row_json(rel, *e.before, false));
  }
  if (e.after) {
    SL_ASSIGN_OR_RETURN(value["after"], row_json(rel, *e.after, false));
  }
  int64_t ts_us = e.source.ts_us;
  json sequence = json::array({std::to_string(e.source.commit_lsn.value), std::to_string(e.source.lsn.value)});
  value["source"] = json{{"version", k_version},
                         {"connector", "postgresql"},
                         {"name", options.topic_prefix},
                         {"ts_ms", ts_us / 1000},
                         {"snapshot", e.source.snapshot},
                         {"db", e.source.db},
                         {"sequence", sequence.dump()},
                         {"ts_us", ts_us},
                         {"ts_ns", ts_us * 1000},
                         {"schema", e.source.schema},
                         {"table", e.source.table},
                         {"txId", e.source.tx_id},
                         {"lsn", e.source.lsn.value},
                         {"xmin", nullptr}};
  value["transaction"] = nullptr;
  value["op"] = std::string(1, static_cast<char>(e.op));
  value["ts_ms"] = options.now_us / 1000;
  value["ts_us"] = options.now_us;
  value["ts_ns"] = options.now_us * 1000;
  if (e.op == Op::truncate) {
    // Truncate events carry only source, op and timestamps, and no key.
    value.erase("before");
    value.erase("after");
    value.erase("transaction");
  } else {
    const pg::Tuple& key_source = e.after ? *e.after : *e.before;
    SL_ASSIGN_OR_RETURN(json key, row_json(rel, key_source, true));
    if (!key.empty()) out.key = key.dump();
  }
  out.value = value.dump();
  return out;
}

EncodedEvent tombstone_for(const EncodedEvent& deleted) { return EncodedEvent{deleted.topic, deleted.key, std::nullopt}; }

}  // namespace sl::cdc
