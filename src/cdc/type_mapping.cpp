// PostgreSQL text values → Debezium JSON values.
#include "cdc/type_mapping.hpp"

#include "cdc/pg_text.hpp"
#include "common/civil_time.hpp"
#include "common/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <vector>

namespace sl::cdc {

std::string base64(std::string_view bytes) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += k_alphabet[(v >> 6) & 63];
    out += k_alphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? k_alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string big_endian_twos_complement(std::string_view decimal) {
  bool negative = !decimal.empty() && decimal[0] == '-';
  if (negative || (!decimal.empty() && decimal[0] == '+')) decimal.remove_prefix(1);
  std::vector<uint8_t> le = {0};  // magnitude, little-endian bytes
  for (char c : decimal) {
    uint32_t carry = static_cast<uint32_t>(c - '0');
    for (auto& b : le) {
      uint32_t v = b * 10u + carry;
      b = static_cast<uint8_t>(v & 0xff);
      carry = v >> 8;
    }
    while (carry) {
      le.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  // Room for the sign bit.
  if (le.back() & 0x80) le.push_back(0);
  if (negative) {
    uint32_t carry = 1;
    for (auto& b : le) {
      uint32_t v = static_cast<uint8_t>(~b) + carry;
      b = static_cast<uint8_t>(v & 0xff);
      carry = v >> 8;
    }
  }
  // Minimal length: drop redundant sign-extension bytes.
  while (le.size() > 1 && ((le.back() == 0 && !(le[le.size() - 2] & 0x80)) ||
                           (le.back() == 0xff && (le[le.size() - 2] & 0x80)))) {
    le.pop_back();
  }
  return std::string(le.rbegin(), le.rend());
}

namespace {

Error bad_value(std::string_view type, std::string_view text) {
  return make_error(Errc::corrupt, "cdc: " + std::string(type) + " value '" +
                                       std::string(text.substr(0, 64)) + "' does not parse");
}

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T v{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

void put_digits(char* p, int64_t value, int n) {
  for (int i = n - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// "2026-11-25T05:41:41.123456Z" (io.debezium.time.ZonedTimestamp, 6 fraction digits), as a JSON
// string literal. Years outside 0000-9999 as java.time prints them: "-0043-03-15T...",
// "+10000-01-01T...".
void append_iso_utc(std::string& out, int64_t micros) {
  const int64_t days = floor_div(micros, 86'400'000'000LL);
  const int64_t in_day = micros - days * 86'400'000'000LL;
  const CivilDate date = civil_from_days(days);
  out += '"';
  if (date.year < 0 || date.year > 9999) {
    out += date.year < 0 ? '-' : '+';
    const int64_t year = date.year < 0 ? -date.year : date.year;
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, year);
    for (auto n = end - digits; n < 4; ++n) out += '0';
    out.append(digits, end);
  } else {
    char year[4];
    put_digits(year, date.year, 4);
    out.append(year, 4);
  }
  char buffer[28] = "-00-00T00:00:00.000000Z";
  put_digits(buffer + 1, date.month, 2);
  put_digits(buffer + 4, date.day, 2);
  const int64_t seconds = in_day / 1'000'000;
  put_digits(buffer + 7, seconds / 3600, 2);
  put_digits(buffer + 10, seconds / 60 % 60, 2);
  put_digits(buffer + 13, seconds % 60, 2);
  put_digits(buffer + 16, in_day % 1'000'000, 6);
  out.append(buffer, 23);
  out += '"';
}

// True when `text` is already a JSON number as PostgreSQL prints integers and shortest floats
// ("-12", "12.5"): it can be copied as it is, without a round trip through binary.
bool plain_number(std::string_view text, bool allow_fraction) {
  size_t i = text.starts_with('-') ? 1 : 0;
  const size_t first_digit = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == first_digit || i - first_digit > 15) return false;
  if (text[first_digit] == '0' && i - first_digit > 1) return false;
  if (i < text.size() && allow_fraction && text[i] == '.') {
    const size_t fraction = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == fraction || i - first_digit > 17) return false;
  }
  return i == text.size();
}

}  // namespace

Result<nlohmann::ordered_json> debezium_value(uint32_t type_oid, int32_t typmod,
                                              std::string_view text) {
  std::string out;
  SL_TRY(append_debezium_value(out, type_oid, typmod, text));
  return nlohmann::ordered_json::parse(out);
}

Status append_debezium_value(std::string& out, uint32_t type_oid, int32_t typmod,
                             std::string_view text) {
  auto number = [&out](auto v) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, end);
    return Status{};
  };
  auto string = [&out](std::string_view v) {
    append_json_string(out, v);
    return Status{};
  };
  switch (type_oid) {
    case oid::k_bool:
      if (text != "t" && text != "f") return bad_value("boolean", text);
      out += text == "t" ? "true" : "false";
      return {};
    case oid::k_int2:
    case oid::k_int4:
    case oid::k_int8:
    case oid::k_oid: {
      if (plain_number(text, false)) {
        out += text;
        return {};
      }
      auto v = parse_number<int64_t>(text);
      if (!v) return bad_value("integer", text);
      return number(*v);
    }
    case oid::k_float4:
    case oid::k_float8: {
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") return string(text);
      if (plain_number(text, true)) {
        out += text;
        return {};
      }
      auto v = parse_number<double>(text);
      // from_chars also takes "inf"/"nan" spellings PostgreSQL never prints; JSON has no form
      // for them (to_chars would write a bare inf).
      if (!v || !std::isfinite(*v)) return bad_value("floating-point", text);
      return number(*v);
    }
    case oid::k_numeric: {
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        // Neither a Connect Decimal nor a VariableScaleDecimal can hold them (Debezium: null
        // and a warning; the encoder does the same).
        return make_error(Errc::unsupported,
                          "cdc: numeric " + std::string(text) + " has no Decimal form");
      }
      auto parts = split_pg_numeric(text);
      if (!parts) return bad_value("numeric", text);
      auto [digits, scale] = *parts;
      if (typmod >= 4) {
        // numeric(p,s): Connect Decimal with the column's scale, value = unscaled big-endian bytes.
        int column_scale = (typmod - 4) & 0xffff;
        for (; scale < column_scale; ++scale) digits += '0';
        if (scale > column_scale) return bad_value("numeric", text);
        return string(base64(big_endian_twos_complement(digits)));
      }
      // Unconstrained numeric: io.debezium.data.VariableScaleDecimal.
      out += "{\"scale\":";
      (void)number(scale);
      out += ",\"value\":";
      (void)string(base64(big_endian_twos_complement(digits)));
      out += '}';
      return {};
    }
    case oid::k_date: {
      // io.debezium.time.Date: days since the epoch, BC dates negative.
      if (auto days = parse_date(text)) return number(*days);
      auto date = parse_pg_date_any(text);
      if (!date) return bad_value("date", text);
      switch (date->kind) {
        case PgInstant::Kind::plus_infinity:
          return number(k_date_plus_infinity);
        case PgInstant::Kind::minus_infinity:
          return number(k_date_minus_infinity);
        case PgInstant::Kind::finite:
          break;
      }
      if (date->value < INT32_MIN || date->value > INT32_MAX) return bad_value("date", text);
      return number(date->value);
    }
    case oid::k_timestamp: {
      // Naive value read as UTC: io.debezium.time.Timestamp (ms) for timestamp(0-3),
      // io.debezium.time.MicroTimestamp (µs) otherwise (time.precision.mode=adaptive).
      const bool millis = typmod >= 0 && typmod <= 3;
      auto us = parse_pg_timestamp(text, false);
      if (!us) {
        auto any = parse_pg_timestamp_any(text, false);
        if (!any) return bad_value("timestamp", text);
        us = any->kind == PgInstant::Kind::plus_infinity    ? k_timestamp_plus_infinity_us
             : any->kind == PgInstant::Kind::minus_infinity ? k_timestamp_minus_infinity_us
                                                            : any->value;
      }
      return number(millis ? floor_div(*us, 1000) : *us);
    }
    case oid::k_timestamptz: {
      auto us = parse_pg_timestamp(text, true);
      if (!us) {
        auto any = parse_pg_timestamp_any(text, true);
        if (!any) return bad_value("timestamptz", text);
        // io.debezium.time.ZonedTimestamp keeps PostgreSQL's words for the infinities.
        if (any->kind != PgInstant::Kind::finite) return string(text);
        us = any->value;
      }
      append_iso_utc(out, *us);  // io.debezium.time.ZonedTimestamp
      return {};
    }
    case oid::k_bytea: {
      // bytea_output = hex: "\\x0a1b..."
      auto bytes = parse_pg_bytea(text);
      if (!bytes) return bad_value("bytea", text);
      return string(base64(*bytes));
    }
    default:
      // text, varchar, bpchar, json, jsonb, uuid, arrays, enums...: their text form.
      return string(text);
  }
}

}  // namespace sl::cdc
