// Type mapping: a PostgreSQL column value in text form → its Debezium JSON value
// (decimal.handling.mode=precise, time.precision.mode=adaptive, binary.handling.mode=base64).
// The lake type of a column (DESIGN §3) has its one home in lakehouse/lake_types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/json_writer.hpp"
#include "common/result.hpp"

namespace sl::cdc {

// Built-in type oids (pg_type.dat).
namespace oid {
constexpr uint32_t k_bool = 16, k_bytea = 17, k_int8 = 20, k_int2 = 21, k_int4 = 23, k_text = 25,
                   k_oid = 26, k_json = 114, k_float4 = 700, k_float8 = 701, k_bpchar = 1042,
                   k_varchar = 1043, k_date = 1082, k_timestamp = 1114, k_timestamptz = 1184,
                   k_numeric = 1700, k_uuid = 2950, k_jsonb = 3802;
}

// Debezium's values for PostgreSQL's ±infinity dates and timestamps (PostgresValueConverter's
// extreme dates +5877611-06-21 / -5877611-06-22 as epoch days, and PgJDBC's
// DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY as epoch microseconds; timestamp(0-3), in
// milliseconds, is these divided by 1000). timestamptz ±infinity stay "infinity"/"-infinity".
constexpr int64_t k_date_plus_infinity = 2146033979;
constexpr int64_t k_date_minus_infinity = -2147472691;
constexpr int64_t k_timestamp_plus_infinity_us = 9223372036825200000LL;
constexpr int64_t k_timestamp_minus_infinity_us = -9223372036832400000LL;

// Appends the Debezium JSON value of `text` for a column of type `type_oid` with modifier
// `typmod` to `out` (the hot path: no intermediate JSON objects). Errors name the type and the
// value (a value the server sent that does not parse is corrupt; numeric NaN/±Infinity, which
// have no Decimal form, are unsupported); the encoder writes null for them, never stops.
// On error, `out` may hold a partial value: the caller cuts it back.
Status append_debezium_value(std::string& out, uint32_t type_oid, int32_t typmod,
                             std::string_view text);
// The same value as a JSON object (tests, tools).
Result<nlohmann::ordered_json> debezium_value(uint32_t type_oid, int32_t typmod,
                                              std::string_view text);
// JSON string literals: sl::append_json_string (common/json_writer.hpp).
using sl::append_json_string;

// Helpers, exposed for tests.
std::string base64(std::string_view bytes);
// Big-endian two's complement of a decimal integer written in base 10 ("-123" → 0x85).
std::string big_endian_twos_complement(std::string_view decimal_integer);

}  // namespace sl::cdc
