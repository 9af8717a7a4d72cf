// Type mapping: a PostgreSQL column value in text form → its Debezium JSON value
// (decimal.handling.mode=precise, time.precision.mode=adaptive, binary.handling.mode=base64).
// The lake type of a column (DESIGN §3) has its one home in lakehouse/lake_types.
#pragma once

#include <cstdint>
#include <optional>
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
                   k_numeric = 1700, k_uuid = 2950, k_jsonb = 3802, k_time = 1083,
                   k_timetz = 1266, k_interval = 1186, k_money = 790, k_bit = 1560,
                   k_varbit = 1562, k_point = 600, k_lseg = 601, k_path = 602, k_box = 603,
                   k_polygon = 604, k_line = 628, k_circle = 718;
}

// The element type of PostgreSQL's built-in one-dimensional array types (int4[] → int4...); 0
// for any other type (user-defined arrays, e.g. of enums, take theirs from the catalog:
// RelationColumn::element_type_oid).
uint32_t builtin_array_element(uint32_t array_oid);

// Debezium's connector options that change the form of values (and their Connect schemas), with
// Debezium's names and defaults.
enum class DecimalMode : char { precise, string, double_ };  // decimal.handling.mode
enum class TimePrecisionMode : char {                         // time.precision.mode
  adaptive,
  adaptive_time_microseconds,
  connect
};
enum class BinaryMode : char { bytes, base64, hex };        // binary.handling.mode
enum class IntervalMode : char { numeric, string };          // interval.handling.mode
enum class HstoreMode : char { json, map };                  // hstore.handling.mode
struct ValueForms {
  DecimalMode decimal = DecimalMode::precise;
  TimePrecisionMode time = TimePrecisionMode::adaptive;
  BinaryMode binary = BinaryMode::bytes;
  IntervalMode interval = IntervalMode::numeric;
  int money_fraction_digits = 2;  // money.fraction.digits (lc_monetary's frac_digits)
  // The database's hstore type: an extension's type has no fixed oid (Debezium's TypeRegistry
  // looks it up too); 0 when the extension is not installed.
  uint32_t hstore_oid = 0;
  // json: io.debezium.data.Json, the map's JSON text in a string; map: a Connect map of string →
  // optional string (a JSON object in the record).
  HstoreMode hstore = HstoreMode::json;
};
// True when a bit/varbit column is written as a boolean (bit(1), varbit(1)), else as
// io.debezium.data.Bits bytes.
inline bool bits_as_boolean(int32_t typmod) { return typmod == 1; }
// False for a column Debezium's PostgreSQL connector (3.6, compared with the real one) has no
// converter for, and so leaves out of its records (key, before, after and their schemas, with a
// warning at start): the geometric types other than point (line, lseg, box, path, polygon,
// circle) and arrays of them, of point, of varbit, of money and of interval. `element_oid`: the
// array's element type (0 when not an array).
bool debezium_writes_type(uint32_t type_oid, uint32_t element_oid);
// bit arrays: Debezium 3.6 gives them the schema of one bit string (boolean for bit(1)[], Bits
// otherwise: the element's typmod) and a null value (its converter fails on the list).
inline bool is_bit_array(uint32_t element_oid) { return element_oid == oid::k_bit; }
// True when a time column is written in milliseconds (io.debezium.time.Time under adaptive for
// time(0-3), Connect's Time under connect), microseconds otherwise (MicroTime).
inline bool time_in_millis(TimePrecisionMode mode, int32_t typmod) {
  return mode == TimePrecisionMode::connect ||
         (mode == TimePrecisionMode::adaptive && typmod >= 0 && typmod <= 3);
}
// Parses Debezium's option values ("precise", "adaptive_time_microseconds"...); an error names
// the option and the accepted values.
Result<DecimalMode> parse_decimal_mode(std::string_view text);
Result<TimePrecisionMode> parse_time_precision_mode(std::string_view text);
Result<BinaryMode> parse_binary_mode(std::string_view text);
Result<IntervalMode> parse_interval_mode(std::string_view text);
Result<HstoreMode> parse_hstore_mode(std::string_view text);

// Debezium's values for PostgreSQL's ±infinity dates and timestamps, as the real connector
// (3.6.1.Final, tests/cdc/test_vs_debezium.py) writes them: dates as epoch days of
// -5877611-06-21 (`infinity`: yes, below `-infinity`) / -5877611-06-22 (`-infinity`), timestamps
// as PgJDBC's DATE_POSITIVE_INFINITY / DATE_NEGATIVE_INFINITY in epoch microseconds
// (timestamp(0-3), in milliseconds, is these divided by 1000). timestamptz ±infinity stay
// "infinity"/"-infinity". The decoder also reads +5877611-06-21 (2146033979) as `infinity`: the
// value sportlake wrote before it was compared with the real connector.
constexpr int64_t k_date_plus_infinity = -2147472692;
constexpr int64_t k_date_minus_infinity = -2147472691;
constexpr int64_t k_date_plus_infinity_before = 2146033979;
constexpr int64_t k_timestamp_plus_infinity_us = 9223372036825200000LL;
constexpr int64_t k_timestamp_minus_infinity_us = -9223372036832400000LL;

// Appends the Debezium JSON value of `text` for a column of type `type_oid` with modifier
// `typmod` to `out` (the hot path: no intermediate JSON objects). Errors name the type and the
// value (a value the server sent that does not parse is corrupt; numeric NaN/±Infinity, which
// have no Decimal form, are unsupported); the encoder writes null for them, never stops.
// On error, `out` may hold a partial value: the caller cuts it back.
// `element_oid`: the element type of a user-defined array type (0 otherwise).
Status append_debezium_value(std::string& out, uint32_t type_oid, int32_t typmod,
                             std::string_view text, const ValueForms& forms = {},
                             uint32_t element_oid = 0);
// The same value as a JSON object (tests, tools).
Result<nlohmann::ordered_json> debezium_value(uint32_t type_oid, int32_t typmod,
                                              std::string_view text, const ValueForms& forms = {},
                                              uint32_t element_oid = 0);

// A double as Java's Double.toString prints it (what Debezium's JsonConverter writes): "1.0",
// "-0.0", "1.0E7", "1.2345E-5"; float4 values as Float.toString (`single`). Finite values only.
void append_java_double(std::string& out, double value, bool single);
// JSON string literals: sl::append_json_string (common/json_writer.hpp).
using sl::append_json_string;

// Helpers, exposed for tests.
std::string base64(std::string_view bytes);
// Big-endian two's complement of a decimal integer written in base 10 ("-123" → 0x85).
std::string big_endian_twos_complement(std::string_view decimal_integer);

}  // namespace sl::cdc
