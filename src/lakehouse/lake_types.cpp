// PostgreSQL text values → typed lake columns.
#include "lakehouse/lake_types.hpp"

#include <bit>
#include <limits>

#include "cdc/pg_text.hpp"
#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"
#include "pg/pgoutput_messages.hpp"

namespace sl::lakehouse {

namespace oid = cdc::oid;
using columnar::DataType;
using columnar::TypeId;

DataType lake_type(uint32_t type_oid, int32_t typmod) {
  switch (type_oid) {
    case oid::k_bool:
      return {TypeId::boolean};
    case oid::k_int2:
    case oid::k_int4:
      return {TypeId::int32};
    case oid::k_int8:
      return {TypeId::int64};
    case oid::k_float4:
      return {TypeId::float32};
    case oid::k_float8:
      return {TypeId::float64};
    case oid::k_numeric:
      if (typmod >= 4) {
        const int precision = ((typmod - 4) >> 16) & 0xffff;
        const int scale = (typmod - 4) & 0xffff;
        if (precision >= 1 && precision <= columnar::k_max_decimal_precision && scale <= precision)
          return {TypeId::decimal, precision, scale};
      }
      return {TypeId::string};  // unconstrained numeric: exact text, no rounding
    case oid::k_date:
      return {TypeId::date32};
    case oid::k_timestamp:
    case oid::k_timestamptz:
      return {TypeId::timestamp_us};
    case oid::k_bytea:
      return {TypeId::binary};
    default:
      return {TypeId::string};
  }
}

namespace {

// The unscaled value of numeric text at exactly `scale` digits after the point, if it has at most
// `precision` digits (PostgreSQL already rounded it to the column's scale).
std::optional<__int128> unscaled_decimal(std::string_view text, int precision, int scale) {
  auto parts = cdc::split_pg_numeric(text);
  if (!parts || parts->second > scale) return std::nullopt;
  const auto& [digits, digits_scale] = *parts;
  const bool negative = digits.starts_with('-');
  __int128 value = 0;
  int significant = 0;
  for (size_t i = negative ? 1 : 0; i < digits.size(); ++i) {
    if (value == 0 && digits[i] == '0') continue;
    if (++significant > precision) return std::nullopt;
    value = value * 10 + (digits[i] - '0');
  }
  for (int s = digits_scale; s < scale; ++s) {
    if (value != 0 && ++significant > precision) return std::nullopt;
    value *= 10;
  }
  return negative ? -value : value;
}

}  // namespace

bool append_lake_value(columnar::Column& column, uint32_t type_oid, std::string_view text) {
  switch (column.type.id) {
    case TypeId::boolean:
      if (text != "t" && text != "f") return false;
      column.append_bool(text == "t");
      return true;
    case TypeId::int32: {
      auto v = cdc::parse_pg_integer(text);
      if (!v || *v < std::numeric_limits<int32_t>::min() ||
          *v > std::numeric_limits<int32_t>::max())
        return false;
      column.append_i32(static_cast<int32_t>(*v));
      return true;
    }
    case TypeId::int64: {
      auto v = cdc::parse_pg_integer(text);
      if (!v) return false;
      column.append_i64(*v);
      return true;
    }
    case TypeId::float32:
    case TypeId::float64: {
      auto v = cdc::parse_pg_float(text);
      if (!v) return false;
      if (column.type.id == TypeId::float32)
        column.append_f32(static_cast<float>(*v));
      else
        column.append_f64(*v);
      return true;
    }
    case TypeId::decimal: {
      auto v = unscaled_decimal(text, column.type.precision, column.type.scale);
      if (!v) return false;
      if (columnar::is_wide_decimal(column.type))
        column.append_i128(*v);
      else
        column.append_i64(static_cast<int64_t>(*v));
      return true;
    }
    case TypeId::date32: {
      auto days = parse_date(text);
      if (!days || *days < std::numeric_limits<int32_t>::min() ||
          *days > std::numeric_limits<int32_t>::max())
        return false;
      column.append_i32(static_cast<int32_t>(*days));
      return true;
    }
    case TypeId::timestamp_us: {
      auto us = cdc::parse_pg_timestamp(text, type_oid == oid::k_timestamptz);
      if (!us) return false;
      column.append_i64(*us);
      return true;
    }
    case TypeId::binary: {
      if (type_oid != oid::k_bytea) {
        column.append_string(text);
        return true;
      }
      auto bytes = cdc::parse_pg_bytea(text);
      if (!bytes) return false;
      column.append_string(*bytes);
      return true;
    }
    case TypeId::string:
      column.append_string(text);
      return true;
    default:
      return false;  // nested lake types are not produced by lake_type
  }
}

bool append_lake_binary(columnar::Column& column, uint32_t type_oid, std::string_view bytes) {
  auto big_endian = [&](size_t size) {
    uint64_t u = 0;
    for (size_t i = 0; i < size; ++i) u = (u << 8) | static_cast<unsigned char>(bytes[i]);
    return u;
  };
  auto expect = [&](size_t size, TypeId id) {
    return bytes.size() == size && column.type.id == id;
  };
  constexpr int64_t k_epoch_days = pg::k_pg_epoch_unix_us / 86'400'000'000LL;
  switch (type_oid) {
    case oid::k_bool:
      if (!expect(1, TypeId::boolean)) return false;
      column.append_bool(bytes[0] != 0);
      return true;
    case oid::k_int2:
      if (!expect(2, TypeId::int32)) return false;
      column.append_i32(static_cast<int16_t>(big_endian(2)));
      return true;
    case oid::k_int4:
      if (!expect(4, TypeId::int32)) return false;
      column.append_i32(static_cast<int32_t>(big_endian(4)));
      return true;
    case oid::k_int8:
      if (!expect(8, TypeId::int64)) return false;
      column.append_i64(static_cast<int64_t>(big_endian(8)));
      return true;
    case oid::k_float4:
      if (!expect(4, TypeId::float32)) return false;
      column.append_f32(std::bit_cast<float>(static_cast<uint32_t>(big_endian(4))));
      return true;
    case oid::k_float8:
      if (!expect(8, TypeId::float64)) return false;
      column.append_f64(std::bit_cast<double>(big_endian(8)));
      return true;
    case oid::k_date:
      if (!expect(4, TypeId::date32)) return false;
      column.append_i32(static_cast<int32_t>(static_cast<int32_t>(big_endian(4)) + k_epoch_days));
      return true;
    case oid::k_timestamp:
    case oid::k_timestamptz:
      if (!expect(8, TypeId::timestamp_us)) return false;
      column.append_i64(static_cast<int64_t>(big_endian(8)) + pg::k_pg_epoch_unix_us);
      return true;
    default:
      return false;
  }
}

}  // namespace sl::lakehouse
