// libFuzzer target: PostgreSQL text values → lake columns (lakehouse/lake_types, over the
// cdc/pg_text parsers) and → Debezium JSON. The first byte picks a column type, the rest is the
// value's text. Beyond "no crash, no read outside the text" (ASan), the oracles are:
// - a refused value appends nothing, an accepted one exactly one slot;
// - what is accepted prints back (decimal_text, format_timestamp_us, the integer) to a text that
//   converts to the same value;
// - a value the lake accepts for a numeric, integer or timestamp column the Debezium encoder
//   accepts too (both read the same grammar);
// - what the Debezium encoder writes for a value it accepts (text aside) is exactly one JSON value
//   (dates and timestamps beyond the lake's grammar too: BC, 5-digit years, ±infinity; time,
//   timetz, interval, money, arrays, bit strings, point, hstore and hstore[] in both
//   hstore.handling.modes; under each of Debezium's form options);
// - a bit array (no Debezium form) is always refused.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"
#include "common/decimal_text.hpp"
#include "lakehouse/lake_types.hpp"

namespace {

namespace oid = sl::cdc::oid;
using sl::columnar::Column;
using sl::columnar::TypeId;

// The hstore type's oid as the forms below give it (an extension type's oid is the database's),
// and its array type's.
constexpr uint32_t k_hstore = 16400;
constexpr uint32_t k_hstore_array = 16405;

struct ColumnType {
  uint32_t type_oid;
  int32_t typmod;
  uint32_t element = 0;  // an array type's element (the catalog's), 0 otherwise
};
constexpr int32_t numeric(int precision, int scale) {
  return ((precision << 16) | scale) + 4;
}
constexpr ColumnType k_types[] = {{oid::k_bool, -1},
                                  {oid::k_int2, -1},
                                  {oid::k_int4, -1},
                                  {oid::k_int8, -1},
                                  {oid::k_float4, -1},
                                  {oid::k_float8, -1},
                                  {oid::k_numeric, numeric(10, 2)},
                                  {oid::k_numeric, numeric(38, 6)},
                                  {oid::k_numeric, numeric(18, 0)},
                                  {oid::k_numeric, -1},
                                  {oid::k_date, -1},
                                  {oid::k_timestamp, -1},
                                  {oid::k_timestamptz, -1},
                                  {oid::k_bytea, -1},
                                  {oid::k_text, -1},
                                  {oid::k_jsonb, -1},
                                  {oid::k_time, -1},
                                  {oid::k_time, 3},
                                  {oid::k_timetz, -1},
                                  {oid::k_interval, -1},
                                  {oid::k_money, -1},
                                  {1007, -1},                // int4[]
                                  {1231, numeric(10, 2)},    // numeric(10,2)[]
                                  {1022, -1},                // float8[]
                                  {1185, 3},                 // timestamptz(3)[]
                                  {1009, -1},                // text[]
                                  {oid::k_bit, 1},
                                  {oid::k_bit, 12},
                                  {oid::k_varbit, -1},
                                  {oid::k_point, -1},
                                  {k_hstore, -1},
                                  {k_hstore_array, -1, k_hstore},  // hstore[]
                                  {1561, 3, oid::k_bit},           // bit(3)[]: refused
                                  {oid::k_box, -1}};               // no Debezium form: text here

// Debezium's form options, each value exercised.
const sl::cdc::ValueForms k_forms[] = {
    {.hstore_oid = k_hstore},
    {.decimal = sl::cdc::DecimalMode::string, .time = sl::cdc::TimePrecisionMode::connect,
     .binary = sl::cdc::BinaryMode::hex, .interval = sl::cdc::IntervalMode::string,
     .hstore_oid = k_hstore, .hstore = sl::cdc::HstoreMode::map},
    {.decimal = sl::cdc::DecimalMode::double_,
     .time = sl::cdc::TimePrecisionMode::adaptive_time_microseconds,
     .binary = sl::cdc::BinaryMode::base64, .hstore_oid = k_hstore}};

// The value in slot 0 printed as PostgreSQL would print it (for the round trip).
std::string printed(const Column& c, uint32_t type_oid) {
  switch (c.type.id) {
    case TypeId::int32:
      return std::to_string(c.i32[0]);
    case TypeId::int64:
      return std::to_string(c.i64[0]);
    case TypeId::decimal:
      return sl::columnar::is_wide_decimal(c.type) ? sl::decimal_text(c.i128[0], c.type.scale)
                                                   : sl::decimal_text(c.i64[0], c.type.scale);
    case TypeId::timestamp_us:
      return sl::format_timestamp_us(c.i64[0], ' ', false) +
             (type_oid == oid::k_timestamptz ? "+00" : "");
    case TypeId::date32:
      return sl::format_date(c.i32[0]);
    default:
      return {};
  }
}

bool same_slot(const Column& a, const Column& b) {
  switch (a.type.id) {
    case TypeId::int32:
    case TypeId::date32:
      return a.i32[0] == b.i32[0];
    case TypeId::int64:
    case TypeId::timestamp_us:
      return a.i64[0] == b.i64[0];
    case TypeId::decimal:
      return sl::columnar::is_wide_decimal(a.type) ? a.i128[0] == b.i128[0] : a.i64[0] == b.i64[0];
    default:
      return true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ColumnType type = k_types[data[0] % std::size(k_types)];
  // A copy of exactly the text's bytes, so that ASan sees any read past its end.
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  Column column(sl::lakehouse::lake_type(type.type_oid, type.typmod));
  const bool accepted = sl::lakehouse::append_lake_value(column, type.type_oid, text);
  if (column.length != (accepted ? 1u : 0u)) __builtin_trap();
  std::string json;
  const auto& forms = k_forms[data[0] / std::size(k_types) % std::size(k_forms)];
  const bool encoded =
      sl::cdc::append_debezium_value(json, type.type_oid, type.typmod, text, forms, type.element)
          .ok();
  // (Text values are copied as they are: PostgreSQL only sends valid UTF-8, the fuzzer does not.)
  const bool text_copy = type.type_oid == oid::k_text || type.type_oid == oid::k_jsonb ||
                         type.type_oid == 1009 || type.type_oid == k_hstore ||
                         type.type_oid == k_hstore_array || type.type_oid == oid::k_box;
  if (encoded && !text_copy && !nlohmann::json::accept(json)) __builtin_trap();
  if (encoded && type.element == oid::k_bit) __builtin_trap();
  if (!accepted) return 0;
  const TypeId id = column.type.id;
  if ((id == TypeId::decimal || id == TypeId::int32 || id == TypeId::int64 ||
       id == TypeId::timestamp_us) &&
      !encoded)
    __builtin_trap();
  const std::string again = printed(column, type.type_oid);
  if (again.empty()) return 0;
  Column reread(column.type);
  if (!sl::lakehouse::append_lake_value(reread, type.type_oid, again)) {
    // Timestamps outside years 1-9999 print in a form PostgreSQL never sends.
    if (id == TypeId::timestamp_us || id == TypeId::date32) return 0;
    __builtin_trap();
  }
  if (!same_slot(column, reread)) __builtin_trap();
  return 0;
}
