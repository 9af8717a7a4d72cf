// Kafka Connect schema JSON of Debezium PostgreSQL events, and Connect field → PostgreSQL type.
#include "cdc/connect_schema.hpp"

#include "cdc/type_mapping.hpp"
#include "common/json_writer.hpp"

namespace sl::cdc {

namespace {

std::string sanitise(std::string_view part) {
  std::string out;
  out.reserve(part.size() + 1);
  for (char c : part) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  if (!out.empty() && out[0] >= '0' && out[0] <= '9') out.insert(out.begin(), '_');
  return out;
}

// type, optional, [name, version, parameters] of a column, without "field".
void append_column_type(std::string& out, const pg::RelationColumn& column) {
  const bool optional = !column.not_null && !column.is_key;
  auto simple = [&](std::string_view type, std::string_view name = {}) {
    out += "{\"type\":\"";
    out += type;
    out += "\",\"optional\":";
    out += optional ? "true" : "false";
    if (!name.empty()) {
      out += ",\"name\":\"";
      out += name;
      out += "\",\"version\":1";
    }
  };
  switch (column.type_oid) {
    case oid::k_bool:
      return simple("boolean");
    case oid::k_int2:
      return simple("int16");
    case oid::k_int4:
      return simple("int32");
    case oid::k_int8:
    case oid::k_oid:
      return simple("int64");
    case oid::k_float4:
      return simple("float");
    case oid::k_float8:
      return simple("double");
    case oid::k_bytea:
      return simple("bytes");
    case oid::k_date:
      return simple("int32", connect::k_date);
    case oid::k_timestamp:
      return simple("int64", timestamp_in_millis(column.type_modifier)
                                 ? connect::k_timestamp
                                 : connect::k_micro_timestamp);
    case oid::k_timestamptz:
      return simple("string", connect::k_zoned_timestamp);
    case oid::k_json:
    case oid::k_jsonb:
      return simple("string", connect::k_json);
    case oid::k_uuid:
      return simple("string", connect::k_uuid);
    case oid::k_numeric:
      if (column.type_modifier >= 4) {
        const int precision = ((column.type_modifier - 4) >> 16) & 0xffff;
        const int scale = (column.type_modifier - 4) & 0xffff;
        simple("bytes", connect::k_decimal);
        out += ",\"parameters\":{\"scale\":\"" + std::to_string(scale) +
               "\",\"connect.decimal.precision\":\"" + std::to_string(precision) + "\"}";
        return;
      }
      out +=
          "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":"
          "\"scale\"},{\"type\":\"bytes\",\"optional\":false,\"field\":\"value\"}],\"optional\":";
      out += optional ? "true" : "false";
      out += ",\"name\":\"";
      out += connect::k_variable_scale_decimal;
      out += "\",\"version\":1,\"doc\":\"Variable scaled decimal\"";
      return;
    default:
      return simple("string");
  }
}

void append_field_name(std::string& out, std::string_view name) {
  out += ",\"field\":";
  append_json_string(out, name);
  out += '}';
}

void append_row_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                       std::string_view field) {
  out += "{\"type\":\"struct\",\"fields\":[";
  for (size_t i = 0; i < rel.columns.size(); ++i) {
    if (i) out += ',';
    append_column_schema(out, rel.columns[i]);
  }
  out += "],\"optional\":true,\"name\":";
  append_json_string(out, connect_name(prefix, rel, "Value"));
  append_field_name(out, field);
}

constexpr std::string_view k_source_schema =
    R"({"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"version"},)"
    R"({"type":"string","optional":false,"field":"connector"},)"
    R"({"type":"string","optional":false,"field":"name"},)"
    R"({"type":"int64","optional":false,"field":"ts_ms"},)"
    R"({"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,)"
    R"("parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},)"
    R"("default":"false","field":"snapshot"},)"
    R"({"type":"string","optional":false,"field":"db"},)"
    R"({"type":"string","optional":true,"field":"sequence"},)"
    R"({"type":"int64","optional":true,"field":"ts_us"},)"
    R"({"type":"int64","optional":true,"field":"ts_ns"},)"
    R"({"type":"string","optional":false,"field":"schema"},)"
    R"({"type":"string","optional":false,"field":"table"},)"
    R"({"type":"int64","optional":true,"field":"txId"},)"
    R"({"type":"int64","optional":true,"field":"lsn"},)"
    R"({"type":"int64","optional":true,"field":"xmin"}],)"
    R"("optional":false,"name":"io.debezium.connector.postgresql.Source","version":1,"field":"source"},)"
    R"({"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"field":"id"},)"
    R"({"type":"int64","optional":false,"field":"total_order"},)"
    R"({"type":"int64","optional":false,"field":"data_collection_order"}],)"
    R"("optional":true,"name":"event.block","version":1,"field":"transaction"},)"
    R"({"type":"string","optional":false,"field":"op"},)"
    R"({"type":"int64","optional":true,"field":"ts_ms"},)"
    R"({"type":"int64","optional":true,"field":"ts_us"},)"
    R"({"type":"int64","optional":true,"field":"ts_ns"}],)";

}  // namespace

std::string connect_name(std::string_view prefix, const pg::Relation& rel,
                         std::string_view suffix) {
  return sanitise(prefix) + "." + sanitise(rel.schema) + "." + sanitise(rel.name) + "." +
         std::string(suffix);
}

void append_column_schema(std::string& out, const pg::RelationColumn& column) {
  append_column_type(out, column);
  append_field_name(out, column.name);
}

void append_key_schema(std::string& out, std::string_view prefix, const pg::Relation& rel) {
  out += "{\"type\":\"struct\",\"fields\":[";
  bool first = true;
  for (const auto& column : rel.columns) {
    if (!column.is_key) continue;
    if (!first) out += ',';
    first = false;
    append_column_schema(out, column);
  }
  out += "],\"optional\":false,\"name\":";
  append_json_string(out, connect_name(prefix, rel, "Key"));
  out += '}';
}

void append_envelope_schema(std::string& out, std::string_view prefix, const pg::Relation& rel) {
  out += "{\"type\":\"struct\",\"fields\":[";
  append_row_schema(out, prefix, rel, "before");
  out += ',';
  append_row_schema(out, prefix, rel, "after");
  out += ',';
  out += k_source_schema;
  out += "\"optional\":false,\"name\":";
  append_json_string(out, connect_name(prefix, rel, "Envelope"));
  out += ",\"version\":2}";
}

PgType pg_type_of(std::string_view type, std::string_view name, int scale, int precision) {
  if (name == connect::k_decimal) {
    if (scale < 0) return {oid::k_numeric, -1};
    // typmod of numeric(p,s) = ((p << 16) | s) + 4; Debezium omits the precision when unknown.
    const int p = precision > 0 ? precision : 38;
    return {oid::k_numeric, ((p << 16) | scale) + 4};
  }
  if (name == connect::k_variable_scale_decimal) return {oid::k_numeric, -1};
  if (name == connect::k_date) return {oid::k_date, -1};
  if (name == connect::k_timestamp) return {oid::k_timestamp, 3};
  if (name == connect::k_micro_timestamp) return {oid::k_timestamp, -1};
  if (name == connect::k_zoned_timestamp) return {oid::k_timestamptz, -1};
  if (name == connect::k_json) return {oid::k_jsonb, -1};
  if (name == connect::k_uuid) return {oid::k_uuid, -1};
  if (type == "boolean") return {oid::k_bool, -1};
  if (type == "int8" || type == "int16") return {oid::k_int2, -1};
  if (type == "int32") return {oid::k_int4, -1};
  if (type == "int64") return {oid::k_int8, -1};
  if (type == "float") return {oid::k_float4, -1};
  if (type == "double") return {oid::k_float8, -1};
  if (type == "bytes") return {oid::k_bytea, -1};
  return {oid::k_text, -1};
}

}  // namespace sl::cdc
