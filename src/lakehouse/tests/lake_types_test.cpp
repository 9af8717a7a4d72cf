// PostgreSQL column types → lake types (DESIGN §3), and PostgreSQL text → lake column values.
#include "lakehouse/lake_types.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"
#include "common/decimal_text.hpp"
#include "delta/schema.hpp"

namespace sl::lakehouse {
namespace {

namespace oid = cdc::oid;

int32_t numeric_typmod(int precision, int scale) {
  return ((precision << 16) | scale) + 4;
}

// One value as a reader would print it (dates, timestamps and decimals in their text form).
std::string show(const columnar::Column& column) {
  switch (column.type.id) {
    case columnar::TypeId::date32:
      return format_date(column.i32[0]);
    case columnar::TypeId::timestamp_us:
      return format_timestamp_us(column.i64[0]);
    case columnar::TypeId::decimal:
      return columnar::is_wide_decimal(column.type)
                 ? decimal_text(column.i128[0], column.type.scale)
                 : decimal_text(column.i64[0], column.type.scale);
    default:
      return columnar::to_debug_string(column, 0);
  }
}

// Converts one value; nullopt when append_lake_value refuses it.
std::optional<std::string> convert(uint32_t type_oid, int32_t typmod, std::string_view text) {
  columnar::Column column(lake_type(type_oid, typmod));
  if (!append_lake_value(column, type_oid, text)) {
    EXPECT_EQ(column.length, 0u) << "a refused value appends nothing";
    return std::nullopt;
  }
  EXPECT_EQ(column.length, 1u);
  return show(column);
}

// DESIGN §3, as the Delta schema names the lake types.
TEST(LakeTypes, DeltaTypesOfDesignSection3) {
  const std::tuple<uint32_t, int32_t, std::string> types[] = {
      {oid::k_bool, -1, "boolean"},
      {oid::k_int2, -1, "integer"},
      {oid::k_int4, -1, "integer"},
      {oid::k_int8, -1, "long"},
      {oid::k_float4, -1, "float"},
      {oid::k_float8, -1, "double"},
      {oid::k_numeric, -1, "string"},
      {oid::k_numeric, numeric_typmod(10, 2), "decimal(10,2)"},
      {oid::k_numeric, numeric_typmod(38, 0), "decimal(38,0)"},
      {oid::k_numeric, numeric_typmod(39, 2), "string"},
      {oid::k_date, -1, "date"},
      {oid::k_timestamp, -1, "timestamp"},
      {oid::k_timestamptz, 3, "timestamp"},
      {oid::k_bytea, -1, "binary"},
      {oid::k_text, -1, "string"},
      {oid::k_varchar, 84, "string"},
      {oid::k_jsonb, -1, "string"},
      {oid::k_uuid, -1, "string"},
      {oid::k_oid, -1, "string"}};
  for (const auto& [type, typmod, delta_name] : types) {
    columnar::Field field{"c", lake_type(type, typmod), true};
    EXPECT_EQ(delta::type_to_string(delta::from_parquet_field(field).type), delta_name)
        << "oid " << type << " typmod " << typmod;
  }
}

TEST(LakeTypes, ConvertsEveryKindOfValue) {
  EXPECT_EQ(convert(oid::k_bool, -1, "t"), "true");
  EXPECT_EQ(convert(oid::k_bool, -1, "f"), "false");
  EXPECT_EQ(convert(oid::k_int2, -1, "-32768"), "-32768");
  EXPECT_EQ(convert(oid::k_int4, -1, "2147483647"), "2147483647");
  EXPECT_EQ(convert(oid::k_int8, -1, "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(convert(oid::k_float8, -1, "10.5"), "10.5");
  EXPECT_EQ(convert(oid::k_float4, -1, "-Infinity"), "-inf");
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(10, 2), "45678.90"), "45678.90");
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(10, 2), "-0.05"), "-0.05");
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(10, 2), "12"), "12.00");
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(30, 4), "12345678901234567890123456.1234"),
            "12345678901234567890123456.1234");
  EXPECT_EQ(convert(oid::k_numeric, -1, "3.14159265358979323846264338327950288"),
            "\"3.14159265358979323846264338327950288\"");
  EXPECT_EQ(convert(oid::k_date, -1, "2025-02-28"), "2025-02-28");
  EXPECT_EQ(convert(oid::k_timestamptz, -1, "2025-01-31 09:30:00.5+01"),
            "2025-01-31T08:30:00.500000Z");
  EXPECT_EQ(convert(oid::k_timestamp, -1, "2025-01-31 09:30:00"), "2025-01-31T09:30:00.000000Z");
  EXPECT_EQ(convert(oid::k_bytea, -1, "\\x00ff"), "0x00ff");
  EXPECT_EQ(convert(oid::k_jsonb, -1, "{\"a\": 1}"), "\"{\"a\": 1}\"");
}

TEST(LakeTypes, RefusesWhatTheLakeTypeCannotHold) {
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(10, 2), "NaN"), std::nullopt);
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(10, 2), "Infinity"), std::nullopt);
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(4, 2), "123.45"), std::nullopt);
  EXPECT_EQ(convert(oid::k_numeric, numeric_typmod(4, 2), "1.234"), std::nullopt);
  EXPECT_EQ(convert(oid::k_date, -1, "infinity"), std::nullopt);
  EXPECT_EQ(convert(oid::k_date, -1, "0044-03-15 BC"), std::nullopt);
  EXPECT_EQ(convert(oid::k_timestamptz, -1, "-infinity"), std::nullopt);
  EXPECT_EQ(convert(oid::k_int4, -1, "2147483648"), std::nullopt);
  EXPECT_EQ(convert(oid::k_bool, -1, "yes"), std::nullopt);
  EXPECT_EQ(convert(oid::k_bytea, -1, "\\x0"), std::nullopt);
  EXPECT_EQ(convert(oid::k_float8, -1, ""), std::nullopt);
}

// PostgreSQL's binary send format of the fixed-size types gives the value its text gives; a
// size or type that does not match is refused.
TEST(LakeTypes, BinaryFormsGiveTheValuesOfTheirText) {
  auto be = [](uint64_t v, size_t size) {
    std::string out(size, '\0');
    for (size_t i = size; i-- > 0; v >>= 8) out[i] = static_cast<char>(v & 0xff);
    return out;
  };
  auto binary = [](uint32_t type_oid, std::string_view bytes) -> std::optional<std::string> {
    columnar::Column column(lake_type(type_oid, -1));
    if (!append_lake_binary(column, type_oid, bytes)) {
      EXPECT_EQ(column.length, 0u);
      return std::nullopt;
    }
    return show(column);
  };
  const std::tuple<uint32_t, std::string, std::string> cases[] = {
      {oid::k_bool, be(1, 1), "t"},
      {oid::k_bool, be(0, 1), "f"},
      {oid::k_int2, be(0xfffd, 2), "-3"},
      {oid::k_int4, be(59019, 4), "59019"},
      {oid::k_int8, be(static_cast<uint64_t>(-20000000001LL), 8), "-20000000001"},
      {oid::k_float4, be(0x3fc00000, 4), "1.5"},
      {oid::k_float8, be(0xbfd0000000000000ULL, 8), "-0.25"},
      {oid::k_date, be(static_cast<uint32_t>(-10957 + 20417), 4), "2025-11-25"},
      {oid::k_date, be(static_cast<uint32_t>(-730119), 4), "0001-01-01"},
      {oid::k_timestamp, be(1'000'000, 8), "2000-01-01 00:00:01"},
      {oid::k_timestamptz, be(static_cast<uint64_t>(-1), 8), "1999-12-31 23:59:59.999999+00"},
  };
  for (const auto& [type_oid, bytes, text] : cases)
    EXPECT_EQ(binary(type_oid, bytes), convert(type_oid, -1, text)) << type_oid << " " << text;
  EXPECT_EQ(binary(oid::k_int4, be(1, 8)), std::nullopt);   // an int8's size
  EXPECT_EQ(binary(oid::k_text, "abc"), std::nullopt);      // no binary form read
  EXPECT_EQ(binary(oid::k_numeric, be(1, 8)), std::nullopt);
}

}  // namespace
}  // namespace sl::lakehouse
