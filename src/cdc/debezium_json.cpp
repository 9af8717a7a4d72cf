// Debezium JSON encoding of change events.
#include "cdc/debezium_json.hpp"

#include <charconv>

#include "cdc/connect_schema.hpp"
#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"

namespace sl::cdc {

namespace {

constexpr std::string_view k_version = "2.7.0.sportlake";

// Appends the row as a JSON object (all columns, or only the key columns).
Status append_row(std::string& out, const pg::Relation& rel, const pg::Tuple& tuple,
                  bool key_only) {
  out += '{';
  bool first = true;
  for (size_t i = 0; i < rel.columns.size(); ++i) {
    const auto& column = rel.columns[i];
    if (key_only && !column.is_key) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, column.name);
    out += ':';
    const auto& v = tuple[i];
    switch (v.kind) {
      case pg::TupleValue::Kind::null:
        out += "null";
        break;
      case pg::TupleValue::Kind::unchanged_toast:
        // Debezium's placeholder: the value was not sent and is not known (never a default).
        out += "\"__debezium_unavailable_value\"";
        break;
      case pg::TupleValue::Kind::text:
        if (auto st = append_debezium_value(out, column.type_oid, column.type_modifier, v.data);
            !st) {
          return st.error().with_context(rel.name + "." + column.name);
        }
        break;
      case pg::TupleValue::Kind::binary:
        return make_error(Errc::unsupported,
                          "cdc: binary tuple values (pgoutput binary mode) are not requested");
    }
  }
  out += '}';
  return {};
}

void append_int(std::string& out, int64_t v) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, end);
}

// Appends the envelope (the value without schema): before, after, source, transaction, op, ts_*.
Status append_envelope(std::string& v, const ChangeEvent& e, const EncodeOptions& options) {
  const pg::Relation& rel = *e.relation;
  v += "{\"before\":";
  if (e.before)
    SL_TRY(append_row(v, rel, *e.before, false));
  else
    v += "null";
  v += ",\"after\":";
  if (e.after)
    SL_TRY(append_row(v, rel, *e.after, false));
  else
    v += "null";
  const int64_t ts_us = e.source.ts_us;
  v += ",\"source\":{\"version\":";
  append_json_string(v, k_version);
  v += ",\"connector\":\"postgresql\",\"name\":";
  append_json_string(v, options.topic_prefix);
  v += ",\"ts_ms\":";
  append_int(v, floor_div(ts_us, 1000));
  v += ",\"snapshot\":";
  append_json_string(v, e.source.snapshot);
  v += ",\"db\":";
  append_json_string(v, e.source.db);
  // sequence: a JSON array of two decimal strings, itself written as a string; snapshot rows
  // have no commit LSN (null, as Debezium writes it).
  v += ",\"sequence\":\"[";
  if (e.source.commit_lsn.value == 0) {
    v += "null";
  } else {
    v += "\\\"";
    append_int(v, static_cast<int64_t>(e.source.commit_lsn.value));
    v += "\\\"";
  }
  v += ",\\\"";
  append_int(v, static_cast<int64_t>(e.source.lsn.value));
  v += "\\\"]\",\"ts_us\":";
  append_int(v, ts_us);
  v += ",\"ts_ns\":";
  append_int(v, ts_us * 1000);
  v += ",\"schema\":";
  append_json_string(v, e.source.schema);
  v += ",\"table\":";
  append_json_string(v, e.source.table);
  v += ",\"txId\":";
  // xid 0 (InvalidTransactionId) is never a real transaction: snapshot rows have none.
  if (e.source.tx_id == 0)
    v += "null";
  else
    append_int(v, e.source.tx_id);
  v += ",\"lsn\":";
  append_int(v, static_cast<int64_t>(e.source.lsn.value));
  v += ",\"xmin\":null},\"transaction\":null,\"op\":\"";
  v += static_cast<char>(e.op);
  v += "\",\"ts_ms\":";
  append_int(v, floor_div(options.now_us, 1000));
  v += ",\"ts_us\":";
  append_int(v, options.now_us);
  v += ",\"ts_ns\":";
  append_int(v, options.now_us * 1000);
  v += '}';
  return {};
}

}  // namespace

Result<EncodedEvent> encode_debezium(const ChangeEvent& e, const EncodeOptions& options) {
  EncodedEvent out;
  const pg::Relation& rel = *e.relation;
  out.topic.reserve(options.topic_prefix.size() + rel.schema.size() + rel.name.size() + 2);
  out.topic += options.topic_prefix;
  out.topic += '.';
  out.topic += rel.schema;
  out.topic += '.';
  out.topic += rel.name;
  std::string v;
  v.reserve(options.schemas ? 8192 : 1024);
  if (options.schemas) {
    v += "{\"schema\":";
    append_envelope_schema(v, options.topic_prefix, rel);
    v += ",\"payload\":";
  }
  SL_TRY(append_envelope(v, e, options));
  if (options.schemas) v += '}';
  out.value = std::move(v);
  // Truncates have no key (a Kafka record with a null key); so have tables without a key.
  if (e.op != Op::truncate && (e.after || e.before)) {
    std::string key;
    SL_TRY(append_row(key, rel, e.after ? *e.after : *e.before, true));
    if (key != "{}") {
      if (options.schemas) {
        std::string framed = "{\"schema\":";
        append_key_schema(framed, options.topic_prefix, rel);
        framed += ",\"payload\":";
        framed += key;
        framed += '}';
        key = std::move(framed);
      }
      out.key = std::move(key);
    }
  }
  return out;
}

EncodedEvent tombstone_for(const EncodedEvent& deleted) {
  return EncodedEvent{deleted.topic, deleted.key, std::nullopt};
}

}  // namespace sl::cdc
