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

// The column's DEFAULT in its Connect form, when it is a constant that converts (Debezium's
// schema `default`); "" otherwise.
std::string default_json(const pg::RelationColumn& column, const ValueForms& forms) {
  if (!column.default_text) return {};
  std::string out;
  if (!append_debezium_value(out, column.type_oid, column.type_modifier, *column.default_text,
                             forms, column.element_type_oid))
    return {};
  return out;
}

// type, [items], optional, [name, version, parameters], [default] of a value of type
// (type_oid, typmod), without "field". `element` is true for an array's items (always optional,
// no default).
void append_value_type(std::string& out, const pg::RelationColumn& column, uint32_t type_oid,
                       const ValueForms& forms, bool element) {
  const bool optional = element || (!column.not_null && !column.is_key);
  const int32_t typmod = column.type_modifier;
  const std::string fallback = element ? std::string() : default_json(column, forms);
  auto close = [&] {
    if (!fallback.empty()) {
      out += ",\"default\":";
      out += fallback;
    }
  };
  auto simple = [&](std::string_view type, std::string_view name = {},
                    std::string_view parameters = {}) {
    out += "{\"type\":\"";
    out += type;
    out += "\",\"optional\":";
    out += optional ? "true" : "false";
    if (!name.empty()) {
      out += ",\"name\":\"";
      out += name;
      out += "\",\"version\":1";
    }
    if (!parameters.empty()) {
      out += ",\"parameters\":";
      out += parameters;
    }
    close();
  };
  // A Connect struct of Debezium's (its fields' schemas, name, version 1, doc).
  auto structure = [&](std::string_view fields, std::string_view name, std::string_view doc) {
    out += R"({"type":"struct","fields":[)";
    out += fields;
    out += "],\"optional\":";
    out += optional ? "true" : "false";
    out += ",\"name\":\"";
    out += name;
    out += "\",\"version\":1,\"doc\":\"";
    out += doc;
    out += '"';
    close();
  };
  if (!element) {
    uint32_t item = column.element_type_oid ? column.element_type_oid
                                            : builtin_array_element(type_oid);
    if (is_bit_array(item)) {
      // Debezium 3.6: the schema of one bit string (the element's typmod), never an array.
      type_oid = item;
      item = 0;
    }
    if (item) {
      out += "{\"type\":\"array\",\"items\":";
      append_value_type(out, column, item, forms, true);
      out += "},\"optional\":";
      out += optional ? "true" : "false";
      close();
      return;
    }
  }
  switch (type_oid) {
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
      return simple(forms.binary == BinaryMode::bytes ? "bytes" : "string");
    case oid::k_date:
      return simple("int32", forms.time == TimePrecisionMode::connect ? connect::k_connect_date
                                                                        : connect::k_date);
    case oid::k_time:
      if (forms.time == TimePrecisionMode::connect) return simple("int32", connect::k_connect_time);
      return time_in_millis(forms.time, typmod) ? simple("int32", connect::k_time)
                                                : simple("int64", connect::k_micro_time);
    case oid::k_timestamp:
      if (forms.time == TimePrecisionMode::connect)
        return simple("int64", connect::k_connect_timestamp);
      return simple("int64", timestamp_in_millis(typmod) ? connect::k_timestamp
                                                         : connect::k_micro_timestamp);
    case oid::k_timestamptz:
      return simple("string", connect::k_zoned_timestamp);
    case oid::k_timetz:
      return simple("string", connect::k_zoned_time);
    case oid::k_interval:
      return forms.interval == IntervalMode::string ? simple("string", connect::k_interval)
                                                    : simple("int64", connect::k_micro_duration);
    case oid::k_json:
    case oid::k_jsonb:
      return simple("string", connect::k_json);
    case oid::k_uuid:
      return simple("string", connect::k_uuid);
    case oid::k_money:
      if (forms.decimal == DecimalMode::string) return simple("string");
      if (forms.decimal == DecimalMode::double_) return simple("double");
      return simple("bytes", connect::k_decimal,
                    "{\"scale\":\"" + std::to_string(forms.money_fraction_digits) + "\"}");
    case oid::k_numeric:
      if (forms.decimal == DecimalMode::string) return simple("string");
      if (forms.decimal == DecimalMode::double_) return simple("double");
      if (typmod >= 4) {
        const int precision = ((typmod - 4) >> 16) & 0xffff;
        const int scale = (typmod - 4) & 0xffff;
        return simple("bytes", connect::k_decimal,
                      "{\"scale\":\"" + std::to_string(scale) +
                          "\",\"connect.decimal.precision\":\"" + std::to_string(precision) +
                          "\"}");
      }
      return structure(R"({"type":"int32","optional":false,"field":"scale"},)"
                       R"({"type":"bytes","optional":false,"field":"value"})",
                       connect::k_variable_scale_decimal, "Variable scaled decimal");
    case oid::k_bit:
    case oid::k_varbit:
      if (bits_as_boolean(typmod)) return simple("boolean");
      // An unconstrained varbit has the length Debezium gives it: Integer.MAX_VALUE.
      return simple("bytes", connect::k_bits,
                    "{\"length\":\"" + std::to_string(typmod >= 0 ? typmod : 2147483647) + "\"}");
    case oid::k_point:
      return structure(R"({"type":"double","optional":false,"field":"x"},)"
                       R"({"type":"double","optional":false,"field":"y"},)"
                       R"({"type":"bytes","optional":true,"field":"wkb"},)"
                       R"({"type":"int32","optional":true,"field":"srid"})",
                       connect::k_point, "Geometry (POINT)");
    default:
      if (forms.hstore_oid && type_oid == forms.hstore_oid) {
        if (forms.hstore == HstoreMode::json) return simple("string", connect::k_json);
        // hstore.handling.mode=map: SchemaBuilder.map(string, optional string).
        out += R"({"type":"map","keys":{"type":"string","optional":false},)"
               R"("values":{"type":"string","optional":true},"optional":)";
        out += optional ? "true" : "false";
        close();
        return;
      }
      if (!column.enum_allowed.empty()) {
        std::string parameters = "{\"allowed\":";
        append_json_string(parameters, column.enum_allowed);
        parameters += '}';
        return simple("string", connect::k_enum, parameters);
      }
      return simple("string");
  }
}

void append_field_name(std::string& out, std::string_view name) {
  out += ",\"field\":";
  append_json_string(out, name);
  out += '}';
}

void append_row_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                       std::string_view field, const ValueForms& forms) {
  out += "{\"type\":\"struct\",\"fields\":[";
  bool first = true;
  for (const auto& column : rel.columns) {
    if (!debezium_writes_type(column.type_oid, column.element_type_oid)) continue;
    if (!first) out += ',';
    first = false;
    append_column_schema(out, column, forms);
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
    R"({"type":"int64","optional":true,"field":"xmin"},)"
    R"({"type":"string","optional":true,"field":"origin"},)"
    R"({"type":"int64","optional":true,"field":"origin_lsn"}],)"
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

void append_column_schema(std::string& out, const pg::RelationColumn& column,
                          const ValueForms& forms) {
  append_value_type(out, column, column.type_oid, forms, false);
  append_field_name(out, column.name);
}

void append_key_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                       const ValueForms& forms) {
  out += "{\"type\":\"struct\",\"fields\":[";
  bool first = true;
  for (const auto& column : rel.columns) {
    if (!column.is_key || !debezium_writes_type(column.type_oid, column.element_type_oid)) continue;
    if (!first) out += ',';
    first = false;
    append_column_schema(out, column, forms);
  }
  out += "],\"optional\":false,\"name\":";
  append_json_string(out, connect_name(prefix, rel, "Key"));
  out += '}';
}

void append_envelope_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                            const ValueForms& forms) {
  out += "{\"type\":\"struct\",\"fields\":[";
  append_row_schema(out, prefix, rel, "before", forms);
  out += ',';
  append_row_schema(out, prefix, rel, "after", forms);
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
  if (name == connect::k_micro_time || name == connect::k_time || name == connect::k_connect_time)
    return {oid::k_time, -1};
  if (name == connect::k_zoned_time) return {oid::k_timetz, -1};
  if (name == connect::k_micro_duration) return {oid::k_interval, -1};
  if (name == connect::k_connect_date) return {oid::k_date, -1};
  if (name == connect::k_connect_timestamp) return {oid::k_timestamp, 3};
  if (name == connect::k_uuid) return {oid::k_uuid, -1};
  // hstore.handling.mode=map: the map's JSON object, as the json mode's io.debezium.data.Json.
  if (type == "map") return {oid::k_jsonb, -1};
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
