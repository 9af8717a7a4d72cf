// Kafka Connect schemas of Debezium's PostgreSQL events, as JsonConverter writes them with
// `schemas.enable=true`, and the way back from a Connect field to a PostgreSQL type.
//
// Column schemas follow Debezium's defaults (decimal.handling.mode=precise,
// time.precision.mode=adaptive, binary.handling.mode=bytes), e.g. for numeric(12,2):
//   {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,
//    "parameters":{"scale":"2","connect.decimal.precision":"12"},"field":"amount"}
// Member order is JsonConverter's: type, fields, optional, name, version, doc, parameters,
// default, then the parent's "field". Names are <prefix>.<schema>.<table>.Key / .Value /
// .Envelope (envelope version 2), io.debezium.connector.postgresql.Source (version 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cdc/type_mapping.hpp"
#include "pg/pgoutput_messages.hpp"

namespace sl::cdc {

// Semantic (logical) type names Debezium puts in "name".
namespace connect {
constexpr std::string_view k_decimal = "org.apache.kafka.connect.data.Decimal";
constexpr std::string_view k_variable_scale_decimal = "io.debezium.data.VariableScaleDecimal";
constexpr std::string_view k_date = "io.debezium.time.Date";
constexpr std::string_view k_timestamp = "io.debezium.time.Timestamp";
constexpr std::string_view k_micro_timestamp = "io.debezium.time.MicroTimestamp";
constexpr std::string_view k_zoned_timestamp = "io.debezium.time.ZonedTimestamp";
constexpr std::string_view k_time = "io.debezium.time.Time";
constexpr std::string_view k_micro_time = "io.debezium.time.MicroTime";
constexpr std::string_view k_zoned_time = "io.debezium.time.ZonedTime";
constexpr std::string_view k_micro_duration = "io.debezium.time.MicroDuration";
constexpr std::string_view k_interval = "io.debezium.time.Interval";
constexpr std::string_view k_enum = "io.debezium.data.Enum";
// time.precision.mode=connect: Kafka Connect's own logical types.
constexpr std::string_view k_connect_date = "org.apache.kafka.connect.data.Date";
constexpr std::string_view k_connect_time = "org.apache.kafka.connect.data.Time";
constexpr std::string_view k_connect_timestamp = "org.apache.kafka.connect.data.Timestamp";
constexpr std::string_view k_json = "io.debezium.data.Json";
constexpr std::string_view k_uuid = "io.debezium.data.Uuid";
constexpr std::string_view k_bits = "io.debezium.data.Bits";
constexpr std::string_view k_point = "io.debezium.data.geometry.Point";
constexpr std::string_view k_source = "io.debezium.connector.postgresql.Source";
constexpr std::string_view k_snapshot_allowed =
    "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental";
}  // namespace connect

// Schema-name sanitising of Debezium (Avro rules): characters other than [A-Za-z0-9_] become
// '_', and a leading digit is prefixed with '_'. Dots between the parts are kept.
std::string connect_name(std::string_view prefix, const pg::Relation& rel, std::string_view suffix);

// Appends the schema of one column (with "field"; "default" when the column has a constant
// DEFAULT; arrays as {"type":"array","items":<element, optional>}; enums as
// io.debezium.data.Enum with "allowed"), in the forms of `forms`.
void append_column_schema(std::string& out, const pg::RelationColumn& column,
                          const ValueForms& forms = {});
// The key struct schema ({"type":"struct","fields":[key columns],"optional":false,"name":...}).
void append_key_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                       const ValueForms& forms = {});
// The whole envelope schema of the value (source block with Debezium 3.5's `origin`,
// `origin_lsn`).
void append_envelope_schema(std::string& out, std::string_view prefix, const pg::Relation& rel,
                            const ValueForms& forms = {});

// True when a timestamp column is written in milliseconds (io.debezium.time.Timestamp):
// precision 0-3 under time.precision.mode=adaptive; microseconds otherwise.
inline bool timestamp_in_millis(int32_t typmod) {
  return typmod >= 0 && typmod <= 3;
}

// The PostgreSQL type a Connect field stands for: (type oid, typmod). `type` is the Connect type
// ("int32", "bytes"...), `name` the semantic name or "", `scale`/`precision` the Decimal
// parameters (-1 when absent).
struct PgType {
  uint32_t oid = 0;
  int32_t typmod = -1;
};
PgType pg_type_of(std::string_view type, std::string_view name, int scale, int precision);

}  // namespace sl::cdc
