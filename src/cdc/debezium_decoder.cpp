// Debezium JSON (both schema modes) → ChangeEvent with PostgreSQL text values.
#include "cdc/debezium_decoder.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "cdc/connect_schema.hpp"
#include "cdc/pg_text.hpp"
#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"

namespace sl::cdc {

namespace {

using Element = simdjson::dom::element;
using Type = simdjson::dom::element_type;

// Module-local: thrown by the helpers below, turned into an Errc::parse by decode.
struct BadEvent {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw BadEvent{std::move(message)};
}

bool is_object(Element v) {
  return v.type() == Type::OBJECT;
}
bool is_null(Element v) {
  return v.type() == Type::NULL_VALUE;
}
bool is_string(Element v) {
  return v.type() == Type::STRING;
}
bool is_integer(Element v) {
  return v.type() == Type::INT64 || v.type() == Type::UINT64;
}
bool is_number(Element v) {
  return is_integer(v) || v.type() == Type::DOUBLE;
}
bool is_boolean(Element v) {
  return v.type() == Type::BOOL;
}

// The text of a string element (check is_string first).
std::string_view text_of(Element v) {
  std::string_view out;
  if (v.get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

// Compact JSON of an element (free-form values, the key, error messages).
std::string json_text(Element v) {
  return simdjson::minify(v);
}

std::optional<Element> member(Element object, std::string_view name) {
  simdjson::dom::object o;
  if (object.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  Element v;
  if (o.at_key(name).get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

// An integer element as int64 (unsigned values past INT64_MAX are out of range).
int64_t int_of(Element v, std::string_view what) {
  int64_t out = 0;
  if (v.get_int64().get(out) != simdjson::SUCCESS)
    fail("'" + std::string(what) + "' is not an integer in range");
  return out;
}

std::string string_member(Element object, std::string_view name, std::string_view where) {
  auto v = member(object, name);
  if (!v || !is_string(*v))
    fail(std::string(where) + "." + std::string(name) + " is missing or not a string");
  return std::string(text_of(*v));
}

std::optional<int64_t> int_member(Element object, std::string_view name) {
  auto v = member(object, name);
  if (!v || is_null(*v)) return std::nullopt;
  if (!is_integer(*v)) fail("'" + std::string(name) + "' is not an integer");
  return int_of(*v, name);
}

// `ts_us`, else `ts_ms` in microseconds, of an envelope or source block. Bounded so that the
// encoder can also write it in nanoseconds (`ts_ns`, ×1000) without overflow.
std::optional<int64_t> timestamp_us(Element object, std::string_view where) {
  constexpr int64_t k_max_us = INT64_MAX / 1000;
  auto in_range = [&](int64_t v, int64_t max, const char* name) {
    if (v > max || v < -max) fail(std::string(where) + name + " out of range");
    return v;
  };
  if (auto us = int_member(object, "ts_us")) return in_range(*us, k_max_us, "ts_us");
  if (auto ms = int_member(object, "ts_ms")) return in_range(*ms, k_max_us / 1000, "ts_ms") * 1000;
  return std::nullopt;
}

// How a column's JSON value becomes PostgreSQL text, decided once per column (from its type and
// semantic name) rather than by comparing names for every value.
enum class Reading : uint8_t {
  date,              // io.debezium.time.Date: days
  timestamp_us,      // MicroTimestamp
  timestamp_ms,      // Timestamp
  time_us,           // MicroTime
  time_ms,           // Time, Connect's Time
  zoned_time,        // ZonedTime: "08:15:30.5Z"
  micro_duration,    // MicroDuration
  zoned_timestamp,   // ZonedTimestamp: ISO-8601
  decimal,           // Decimal: base64 bytes at the schema's scale
  variable_decimal,  // VariableScaleDecimal: {scale, value}
  boolean,
  bytes,
  integer,           // int8..int64
  floating,          // float, double (NaN and infinities as strings)
  other,             // strings, arrays, maps, structs
};

// How to read one column: its Connect type and semantic name (from the schema, or inferred).
struct ColumnSpec {
  std::string type;
  std::string name;
  int scale = -1;
  int precision = -1;
  Reading reading = Reading::other;
};

Reading reading_of(const ColumnSpec& spec) {
  const std::string_view name = spec.name, type = spec.type;
  if (name == connect::k_date) return Reading::date;
  if (name == connect::k_micro_timestamp) return Reading::timestamp_us;
  if (name == connect::k_timestamp) return Reading::timestamp_ms;
  if (name == connect::k_micro_time) return Reading::time_us;
  if (name == connect::k_time || name == connect::k_connect_time) return Reading::time_ms;
  if (name == connect::k_zoned_time) return Reading::zoned_time;
  if (name == connect::k_micro_duration) return Reading::micro_duration;
  if (name == connect::k_zoned_timestamp) return Reading::zoned_timestamp;
  if (name == connect::k_decimal) return Reading::decimal;
  if (name == connect::k_variable_scale_decimal) return Reading::variable_decimal;
  if (type == "boolean") return Reading::boolean;
  if (type == "bytes") return Reading::bytes;
  if (type.starts_with("int")) return Reading::integer;
  if (type == "float" || type == "double") return Reading::floating;
  return Reading::other;
}

// A Decimal parameter: a small integer, as a string (JsonConverter) or a number.
int int_parameter(Element schema, std::string_view key) {
  auto params = member(schema, "parameters");
  auto v = params ? member(*params, key) : std::nullopt;
  if (!v) return -1;
  auto refuse = [&](const std::string& text) {
    fail("Decimal parameter '" + std::string(key) + "' = '" + text + "' is not a small integer");
  };
  int out = -1;
  if (is_string(*v)) {
    const std::string_view s = text_of(*v);
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || ptr != s.data() + s.size() || out < 0 || out > 1000)
      refuse(std::string(s));
  } else if (is_integer(*v)) {
    // Bounded like the string form: a scale pads the digits of every value.
    int64_t n = 0;
    if (v->get_int64().get(n) != simdjson::SUCCESS || n < 0 || n > 1000) refuse(json_text(*v));
    out = static_cast<int>(n);
  }
  return out;
}

ColumnSpec spec_from_schema(Element field) {
  ColumnSpec spec;
  if (auto t = member(field, "type"); t && is_string(*t)) spec.type = text_of(*t);
  if (auto n = member(field, "name"); n && is_string(*n)) spec.name = text_of(*n);
  if (spec.name == connect::k_decimal) {
    spec.scale = int_parameter(field, "scale");
    spec.precision = int_parameter(field, "connect.decimal.precision");
  }
  spec.reading = reading_of(spec);
  return spec;
}

void spec_from_value(Element v, ColumnSpec& spec) {
  spec.scale = spec.precision = -1;
  spec.name.clear();
  // The kind follows from the value (what reading_of would decide from the type set here).
  if (is_boolean(v)) {
    spec.type = "boolean";
    spec.reading = Reading::boolean;
  } else if (is_integer(v)) {
    spec.type = "int64";
    spec.reading = Reading::integer;
  } else if (is_number(v)) {
    spec.type = "double";
    spec.reading = Reading::floating;
  } else if (is_object(v) && member(v, "scale") && member(v, "value")) {
    spec.type = "struct";
    spec.name = connect::k_variable_scale_decimal;
    spec.reading = Reading::variable_decimal;
  } else {
    spec.type = "string";
    spec.reading = Reading::other;
  }
}

std::string number_text(Element v) {
  char buffer[32];
  std::to_chars_result r{};
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    r = std::to_chars(buffer, buffer + sizeof buffer, i);
  } else if (v.get_uint64().get(u) == simdjson::SUCCESS) {
    r = std::to_chars(buffer, buffer + sizeof buffer, u);
  } else {
    if (v.get_double().get(d) != simdjson::SUCCESS) return json_text(v);
    r = std::to_chars(buffer, buffer + sizeof buffer, d);
  }
  return std::string(buffer, r.ptr);
}

std::string base64_decode(std::string_view text) {
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d = digit(c);
    if (d < 0) fail("'" + std::string(text.substr(0, 32)) + "' is not base64");
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

// Big-endian two's complement bytes and a scale → decimal text ("-123", 2 → "-1.23").
std::string decimal_from_bytes(std::string_view bytes, int scale) {
  if (bytes.size() > 256) fail("Decimal of " + std::to_string(bytes.size()) + " bytes");
  std::vector<uint8_t> magnitude(bytes.begin(), bytes.end());
  const bool negative = !magnitude.empty() && (magnitude[0] & 0x80);
  if (negative) {
    uint32_t carry = 1;
    for (size_t i = magnitude.size(); i-- > 0;) {
      uint32_t v = static_cast<uint8_t>(~magnitude[i]) + carry;
      magnitude[i] = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
  }
  std::string digits;  // little-endian decimal digits
  for (;;) {
    bool zero = true;
    uint32_t remainder = 0;
    for (auto& b : magnitude) {
      uint32_t v = (remainder << 8) | b;
      b = static_cast<uint8_t>(v / 10);
      remainder = v % 10;
      zero = zero && b == 0;
    }
    digits += static_cast<char>('0' + remainder);
    if (zero) break;
  }
  while (static_cast<int>(digits.size()) <= scale) digits += '0';
  std::string out = negative ? "-" : "";
  for (size_t i = digits.size(); i-- > 0;) {
    out += digits[i];
    if (scale > 0 && i == static_cast<size_t>(scale)) out += '.';
  }
  return out;
}

// `value` in decimal, zero-padded to `width` digits at least (no format string to read: these
// run for every date and time of every record).
void append_padded(std::string& out, uint64_t value, int width) {
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  for (auto n = end - digits; n < width; ++n) out += '0';
  out.append(digits, static_cast<size_t>(end - digits));
}

// hh:mm:ss[.ffffff] of a time of day in µs, as PostgreSQL prints it: the fraction only when not
// zero, without trailing zeros ("10:15:30.123", "24:00:00").
void append_time_of_day(std::string& out, int64_t us) {
  const auto u = static_cast<uint64_t>(us);
  append_padded(out, u / 3'600'000'000ULL, 2);
  out += ':';
  append_padded(out, u / 60'000'000 % 60, 2);
  out += ':';
  append_padded(out, u / 1'000'000 % 60, 2);
  if (uint64_t fraction = u % 1'000'000; fraction != 0) {
    int width = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --width;
    }
    out += '.';
    append_padded(out, fraction, width);
  }
}
std::string pg_time_of_day(int64_t us) {
  std::string out;
  append_time_of_day(out, us);
  return out;
}

// Days / UTC microseconds → PostgreSQL's ISO text, BC and years beyond 9999 included
// ("0044-03-15 BC", "10000-01-01 00:00:00+00").
std::string pg_text(int64_t days, std::optional<int64_t> in_day_us, bool zone) {
  const CivilDate date = civil_from_days(days);
  const bool bc = date.year <= 0;
  std::string out;
  out.reserve(32);
  append_padded(out, static_cast<uint64_t>(bc ? 1 - date.year : date.year), 4);
  out += '-';
  append_padded(out, static_cast<uint64_t>(date.month), 2);
  out += '-';
  append_padded(out, static_cast<uint64_t>(date.day), 2);
  if (in_day_us) {
    out += ' ';
    append_time_of_day(out, *in_day_us);
    if (zone) out += "+00";
  }
  if (bc) out += " BC";
  return out;
}
std::string pg_date_text(int64_t days) {
  return pg_text(days, std::nullopt, false);
}
std::string pg_timestamp_text(int64_t us, bool zone) {
  const int64_t days = floor_div(us, 86'400'000'000LL);
  return pg_text(days, us - days * 86'400'000'000LL, zone);
}

// java.time's ISO form of years outside 0000-9999: "-0043-03-15T12:00:00.5Z",
// "+10000-01-01T00:00:00Z" → UTC microseconds.
std::optional<int64_t> parse_iso_signed_year(const std::string& s) {
  if (s.size() < 6 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  size_t i = 1;
  int64_t year = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 10; ++i) year = year * 10 + (s[i] - '0');
  if (i < 5 || i >= s.size() || s[i] != '-') return std::nullopt;
  if (s[0] == '-') year = -year;
  // The rest on a leap year of four digits, then moved to the real year.
  auto on_2000 = parse_timestamp("2000" + s.substr(i));
  if (!on_2000) return std::nullopt;
  const CivilDate date = civil_from_days(floor_div(*on_2000, 86'400'000'000LL));
  const int64_t shift =
      days_from_civil({year, date.month, date.day}) - days_from_civil({2000, date.month, date.day});
  int64_t us = 0;
  if (__builtin_mul_overflow(shift, int64_t{86'400'000'000LL}, &us) ||
      __builtin_add_overflow(us, *on_2000, &us))
    return std::nullopt;
  return us;
}

constexpr std::string_view k_unavailable = "__debezium_unavailable_value";
constexpr std::string_view k_unavailable_base64 = "X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==";
// An unchanged TOASTed hstore under the default hstore.handling.mode=json: the placeholder map's
// JSON text.
constexpr std::string_view k_unavailable_hstore_json =
    R"({"__debezium_unavailable_value":"__debezium_unavailable_value"})";

// A JSON array (a Connect array) → PostgreSQL's array text ('{1,NULL,-3}', '{a,"b c"}'): an
// element is quoted when empty, "NULL" in any case, or holding a delimiter, brace, quote,
// backslash or white space (array_out's rule), with '"' and '\' escaped.
void append_pg_array(std::string& out, simdjson::dom::array array) {
  out += '{';
  bool first = true;
  for (Element element : array) {
    if (!first) out += ',';
    first = false;
    simdjson::dom::array nested;
    bool b = false;
    if (is_null(element)) {
      out += "NULL";
    } else if (element.get_array().get(nested) == simdjson::SUCCESS) {
      append_pg_array(out, nested);
    } else if (element.get_bool().get(b) == simdjson::SUCCESS) {
      out += b ? 't' : 'f';
    } else if (is_number(element)) {
      out += number_text(element);
    } else if (is_string(element)) {
      const std::string_view text = text_of(element);
      bool quote = text.empty() || (text.size() == 4 && (text[0] | 0x20) == 'n' &&
                                    (text[1] | 0x20) == 'u' && (text[2] | 0x20) == 'l' &&
                                    (text[3] | 0x20) == 'l');
      for (char c : text)
        quote = quote || std::string_view("{},\"\\ \t\n\r\v\f").find(c) != std::string_view::npos;
      if (quote) out += '"';
      for (char c : text) {
        if (quote && (c == '"' || c == '\\')) out += '\\';
        out += c;
      }
      if (quote) out += '"';
    } else {
      out += json_text(element);
    }
  }
  out += '}';
}

// Debezium's placeholder for an unchanged TOASTed array: the placeholder as the only element of a
// text array, its byte codes as an integer array.
bool is_unavailable_array(simdjson::dom::array v) {
  if (v.size() == 1) {
    Element only = v.at(0).value_unsafe();
    if (is_string(only)) return text_of(only) == k_unavailable;
  }
  if (v.size() != k_unavailable.size()) return false;
  size_t i = 0;
  for (Element e : v) {
    int64_t code = 0;
    if (e.get_int64().get(code) != simdjson::SUCCESS || code != k_unavailable[i]) return false;
    ++i;
  }
  return true;
}

// One JSON value → the PostgreSQL text form pgoutput would carry for that column.
pg::TupleValue to_pg_text(Element v, const ColumnSpec& spec, const std::string& column) {
  using Kind = pg::TupleValue::Kind;
  if (is_null(v)) return {Kind::null, {}};
  // The placeholder, its bytes in base64 (a bytea's, whose type a schemaless record hides), or
  // the JSON text of its hstore map.
  if (is_string(v) && (text_of(v) == k_unavailable || text_of(v) == k_unavailable_base64 ||
                       text_of(v) == k_unavailable_hstore_json))
    return {Kind::unchanged_toast, {}};
  auto wrong = [&](std::string_view expected) -> pg::TupleValue {
    fail("column '" + column + "': " + json_text(v).substr(0, 64) + " is not " +
         std::string(expected));
  };
  const Reading r = spec.reading;
  if (r == Reading::date) {
    if (!is_integer(v)) return wrong("a day number");
    const int64_t days = int_of(v, column);
    if (days == k_date_plus_infinity || days == k_date_plus_infinity_before)
      return {Kind::text, "infinity"};
    if (days == k_date_minus_infinity) return {Kind::text, "-infinity"};
    if (days < INT32_MIN || days > INT32_MAX) return wrong("a day number in range");
    return {Kind::text, pg_date_text(days)};
  }
  if (r == Reading::timestamp_us || r == Reading::timestamp_ms) {
    if (!is_integer(v)) return wrong("an epoch number");
    int64_t us = int_of(v, column);
    const int64_t scale = r == Reading::timestamp_ms ? 1000 : 1;
    if (us == k_timestamp_plus_infinity_us / scale) return {Kind::text, "infinity"};
    if (us == k_timestamp_minus_infinity_us / scale) return {Kind::text, "-infinity"};
    if (__builtin_mul_overflow(us, scale, &us)) return wrong("an epoch in range");
    return {Kind::text, pg_timestamp_text(us, false)};
  }
  if (r == Reading::time_us || r == Reading::time_ms || r == Reading::zoned_time) {
    // A time of day: µs (MicroTime) or ms (Time) past midnight, or "08:15:30.5Z" (ZonedTime).
    if (r == Reading::zoned_time) {
      if (!is_string(v)) return wrong("an ISO-8601 time");
      std::string_view s = text_of(v);
      if (s.empty() || s.back() != 'Z') return wrong("an ISO-8601 UTC time");
      s.remove_suffix(1);
      return {Kind::text, std::string(s) + "+00"};
    }
    if (!is_integer(v)) return wrong("a time of day");
    int64_t us = int_of(v, column);
    if (r == Reading::time_ms && __builtin_mul_overflow(us, int64_t{1000}, &us))
      return wrong("a time of day in range");
    if (us < 0 || us > 86'400'000'000LL) return wrong("a time of day in range");
    return {Kind::text, pg_time_of_day(us)};
  }
  if (r == Reading::micro_duration) {
    // MicroDuration keeps no months: the µs as an hours:minutes:seconds interval.
    if (!is_integer(v)) return wrong("a duration in microseconds");
    const int64_t us = int_of(v, column);
    const uint64_t a = us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
    return {Kind::text, fmt::format("{}{:02}:{:02}:{:02}.{:06}", us < 0 ? "-" : "",
                                    a / 3'600'000'000ULL, a / 60'000'000 % 60, a / 1'000'000 % 60,
                                    a % 1'000'000)};
  }
  if (r == Reading::zoned_timestamp) {
    if (!is_string(v)) return wrong("an ISO-8601 string");
    const std::string_view s = text_of(v);
    if (s == "infinity" || s == "-infinity") return {Kind::text, std::string(s)};
    auto us = parse_timestamp(s);
    if (!us) us = parse_iso_signed_year(std::string(s));
    if (!us) return wrong("an ISO-8601 timestamp");
    return {Kind::text, pg_timestamp_text(*us, true)};
  }
  if (r == Reading::decimal) {
    if (!is_string(v)) return wrong("base64 bytes");
    return {Kind::text, decimal_from_bytes(base64_decode(text_of(v)), std::max(spec.scale, 0))};
  }
  if (r == Reading::variable_decimal) {
    auto scale = member(v, "scale");
    auto value = member(v, "value");
    int64_t digits = -1;
    if (!scale || !value || !is_string(*value) || scale->get_int64().get(digits) ||
        digits < 0 || digits > 1000)
      return wrong("a {scale, value} decimal");
    return {Kind::text,
            decimal_from_bytes(base64_decode(text_of(*value)), static_cast<int>(digits))};
  }
  if (r == Reading::boolean) {
    bool b = false;
    if (v.get_bool().get(b) != simdjson::SUCCESS) return wrong("a boolean");
    return {Kind::text, b ? "t" : "f"};
  }
  if (r == Reading::bytes) {
    if (!is_string(v)) return wrong("base64 bytes");
    std::string bytes = base64_decode(text_of(v));
    // An unchanged TOASTed bytea: the placeholder's bytes (src/cdc/debezium_json.cpp writes it so).
    if (bytes == k_unavailable) return {Kind::unchanged_toast, {}};
    return {Kind::text, pg_bytea_text(bytes)};
  }
  if (r == Reading::integer || r == Reading::floating) {
    if (is_number(v)) return {Kind::text, number_text(v)};
    // NaN and infinities of float columns are strings in Debezium's JSON.
    if (is_string(v) && r == Reading::floating) return {Kind::text, std::string(text_of(v))};
    return wrong("a number");
  }
  if (is_string(v)) return {Kind::text, std::string(text_of(v))};
  if (simdjson::dom::array array; v.get_array().get(array) == simdjson::SUCCESS) {
    if (is_unavailable_array(array)) return {Kind::unchanged_toast, {}};
    std::string text;
    append_pg_array(text, array);
    return {Kind::text, std::move(text)};
  }
  // An unchanged TOASTed hstore under hstore.handling.mode=map: the placeholder mapped to itself.
  if (simdjson::dom::object o; v.get_object().get(o) == simdjson::SUCCESS && o.size() == 1) {
    const auto only = *o.begin();
    if (only.key == k_unavailable && is_string(only.value) && text_of(only.value) == k_unavailable)
      return {Kind::unchanged_toast, {}};
  }
  // A map (hstore.handling.mode=map: the text json mode's string holds) or another connector's
  // struct: its JSON text.
  return {Kind::text, json_text(v)};
}

// `value` in network byte order (PostgreSQL's binary send format of the fixed-size types).
template <class T>
pg::TupleValue binary_value(T value) {
  std::string bytes(sizeof(T), '\0');
  auto u = std::bit_cast<std::make_unsigned_t<std::conditional_t<
      std::is_floating_point_v<T>, std::conditional_t<sizeof(T) == 8, int64_t, int32_t>, T>>>(value);
  for (size_t i = sizeof(T); i-- > 0; u >>= 8) bytes[i] = static_cast<char>(u & 0xff);
  return {pg::TupleValue::Kind::binary, std::move(bytes)};
}

// DecodeOptions::binary_values: a number or boolean whose column has a fixed-size PostgreSQL type
// in its binary send format (int2/int4/int8, float4/float8, bool; date: int32 days and
// timestamp/timestamptz: int64 µs since 2000-01-01; a ZonedTimestamp's string too), what
// pgoutput's binary mode would send, so that the consumer converts it without text in between.
// nullopt for everything else, which to_pg_text turns into text as before: other strings (NaN,
// placeholders...),
// infinities, numbers out of the type's range, and dates and timestamps outside the years
// 1–9999, whose text (" BC", five-digit years) the lake refuses and keeps as text.
std::optional<pg::TupleValue> to_pg_binary(Element v, Reading reading, uint32_t type_oid) {
  static const int64_t k_first_day = days_from_civil({1, 1, 1});
  static const int64_t k_end_day = days_from_civil({9999, 12, 31}) + 1;
  constexpr int64_t k_day_us = 86'400'000'000LL;
  constexpr int64_t k_epoch_days = pg::k_pg_epoch_unix_us / k_day_us;
  int64_t n = 0;
  switch (reading) {
    case Reading::integer:
      if (v.get_int64().get(n) != simdjson::SUCCESS) return std::nullopt;
      if (type_oid == oid::k_int8) return binary_value(n);
      if (type_oid == oid::k_int4 && n >= INT32_MIN && n <= INT32_MAX)
        return binary_value(static_cast<int32_t>(n));
      if (type_oid == oid::k_int2 && n >= INT16_MIN && n <= INT16_MAX)
        return binary_value(static_cast<int16_t>(n));
      return std::nullopt;
    case Reading::floating: {
      double d = 0;
      if (!is_number(v) || v.get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
      if (type_oid == oid::k_float8) return binary_value(d);
      if (type_oid == oid::k_float4) return binary_value(static_cast<float>(d));
      return std::nullopt;
    }
    case Reading::boolean: {
      bool b = false;
      if (type_oid != oid::k_bool || v.get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
      return pg::TupleValue{pg::TupleValue::Kind::binary, std::string(1, b ? '\1' : '\0')};
    }
    case Reading::date:
      if (type_oid != oid::k_date || v.get_int64().get(n) != simdjson::SUCCESS || n < k_first_day ||
          n >= k_end_day)
        return std::nullopt;
      return binary_value(static_cast<int32_t>(n - k_epoch_days));
    case Reading::timestamp_us:
    case Reading::timestamp_ms:
      if ((type_oid != oid::k_timestamp && type_oid != oid::k_timestamptz) ||
          v.get_int64().get(n) != simdjson::SUCCESS ||
          (reading == Reading::timestamp_ms && __builtin_mul_overflow(n, int64_t{1000}, &n)) ||
          n < k_first_day * k_day_us || n >= k_end_day * k_day_us)
        return std::nullopt;
      return binary_value(n - pg::k_pg_epoch_unix_us);
    case Reading::zoned_timestamp: {
      // The ISO string read as to_pg_text reads it (placeholders and infinities do not parse).
      std::optional<int64_t> us;
      if (type_oid == oid::k_timestamptz && is_string(v)) us = parse_timestamp(text_of(v));
      if (!us || *us < k_first_day * k_day_us || *us >= k_end_day * k_day_us) return std::nullopt;
      return binary_value(*us - pg::k_pg_epoch_unix_us);
    }
    default:
      return std::nullopt;
  }
}

// One column of a row layout: where its value is, how to read it, what PostgreSQL type it is.
struct Field {
  std::string name;
  ColumnSpec spec;
  PgType type;
  bool not_null = false;
};

// The row fields of an envelope schema (those of its "after" field, else "before"; none if it
// has neither).
void row_fields(Element envelope_schema, std::vector<Field>& out) {
  out.clear();
  auto fields = member(envelope_schema, "fields");
  simdjson::dom::array list;
  if (!fields || fields->get_array().get(list) != simdjson::SUCCESS)
    fail("schema.fields is missing");
  std::optional<Element> row;
  for (Element f : list) {
    auto field = member(f, "field");
    if (!field || !is_string(*field)) continue;
    if (text_of(*field) == "after" || (text_of(*field) == "before" && !row)) row = f;
  }
  if (!row) return;
  auto columns = member(*row, "fields");
  simdjson::dom::array column_list;
  if (!columns || columns->get_array().get(column_list) != simdjson::SUCCESS)
    fail("row schema has no fields");
  for (Element f : column_list) {
    Field field;
    field.name = string_member(f, "field", "schema field");
    field.spec = spec_from_schema(f);
    field.type = pg_type_of(field.spec.type, field.spec.name, field.spec.scale,
                            field.spec.precision);
    auto optional = member(f, "optional");
    bool is_optional = true;
    field.not_null = optional && optional->get_bool().get(is_optional) == simdjson::SUCCESS &&
                     !is_optional;
    out.push_back(std::move(field));
  }
}

// Copies `text` into `buffer` with simdjson's padding after it (the parsers read past the end).
const char* padded(std::string& buffer, std::string_view text) {
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), text.data(), text.size());
  return buffer.data();
}

// The lsn_commit of a `source.sequence` in its usual form, ["<digits>",<"digits" or null>],
// read without a parser; nullopt for any other text (null first, spaces, escapes, overflow...),
// which the parser then reads or refuses.
std::optional<uint64_t> sequence_commit(std::string_view text) {
  auto quoted_digits = [&](size_t at) -> size_t {  // the index after "<digits>", or 0
    if (at >= text.size() || text[at] != '"') return 0;
    size_t i = at + 1;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == at + 1 || i >= text.size() || text[i] != '"') return 0;
    return i + 1;
  };
  if (text.size() < 6 || text.front() != '[' || text.back() != ']') return std::nullopt;
  const size_t first_end = quoted_digits(1);
  if (first_end == 0 || text[first_end] != ',') return std::nullopt;
  const std::string_view second = text.substr(first_end + 1, text.size() - first_end - 2);
  if (second != "null" && quoted_digits(first_end + 1) != text.size() - 1) return std::nullopt;
  uint64_t lsn = 0;
  auto [ptr, ec] = std::from_chars(text.data() + 2, text.data() + first_end - 1, lsn);
  if (ec != std::errc() || ptr != text.data() + first_end - 1) return std::nullopt;
  return lsn;
}

}  // namespace

struct DebeziumDecoder::State {
  // The row layout of one value schema, by its exact text.
  struct Layout {
    std::string text;
    std::vector<Field> fields;
  };
  static constexpr size_t k_cache_limit = 64;  // tables × schema versions a stream holds at once

  DecodeOptions options;
  simdjson::dom::parser key_parser;
  simdjson::dom::parser value_parser;
  simdjson::dom::parser sequence_parser;
  std::string key_buffer, value_buffer, sequence_buffer;
  std::vector<std::unique_ptr<Layout>> layouts;                 // oldest first
  std::vector<std::shared_ptr<const pg::Relation>> relations;  // oldest first
  std::vector<std::string> key_names;  // of the current record
  std::vector<Field> inferred;         // the current record's layout when it has none
  // What the last relation was found for: a kept layout's fields (never `inferred`, whose content
  // changes in place), the text flag and the key's columns.
  const std::vector<Field>* last_fields = nullptr;
  bool last_as_text = false;
  std::vector<std::string> last_key_names;
  std::shared_ptr<const pg::Relation> last_relation;

  // {"schema":{…},"payload":{…}} with nothing else: the two members' texts, and the schema's
  // kept layout if its text is one already read. A schema equal to a kept text is recognised by
  // comparing bytes at its start (a JSON value ends where its text is complete), so it is not
  // even scanned. Any other shape is false: the whole value is then parsed, which reports what is
  // wrong. Nothing is validated here: the payload and a new schema are parsed afterwards, and a
  // kept schema text was valid when it was kept.
  // Every byte is compared: two versions of a schema can differ anywhere at the same length
  // (int32 → int64), and a hash or a fingerprint would read as many bytes. What costs is reading
  // them (fresh from librdkafka's decompression on the other core), and little: skipping the
  // comparison altogether saved ~3 % of the consumer's CPU (bench/kafka_ingest.py's records,
  // 8 rounds), prefetching the bytes before it nothing measurable.
  bool split(std::string_view v, std::string_view& schema, std::string_view& payload,
             const Layout*& known) {
    size_t i = 0;
    auto blanks = [&] {
      while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) ++i;
    };
    auto take = [&](char c) {
      blanks();
      if (i >= v.size() || v[i] != c) return false;
      ++i;
      return true;
    };
    if (!take('{')) return false;
    bool has_schema = false, has_payload = false;
    for (;;) {
      if (!take('"')) return false;
      const size_t quote = v.find('"', i);
      if (quote == std::string_view::npos) return false;
      const std::string_view key = v.substr(i, quote - i);  // an escaped name: not this form
      i = quote + 1;
      if (!take(':')) return false;
      blanks();
      if (i >= v.size()) return false;
      const size_t start = i;
      if (key == "schema" && !has_schema && v[i] == '{') {
        known = nullptr;
        for (const auto& l : layouts) {
          if (v.compare(start, l->text.size(), l->text) == 0) {
            known = l.get();
            break;
          }
        }
        i = known ? start + known->text.size() : object_end(v, start);
        schema = v.substr(start, i - start);
        has_schema = true;
      } else if (key == "payload" && !has_payload && v[i] == '{') {
        if (has_schema) {
          // The last member (JsonConverter's order): it runs to the value's closing brace. Not
          // scanned: parsing it afterwards finds whether it is one whole object.
          size_t end = v.size();
          while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t' || v[end - 1] == '\n' ||
                                 v[end - 1] == '\r'))
            --end;
          if (end == start || v[end - 1] != '}') return false;
          --end;
          while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t' || v[end - 1] == '\n' ||
                                 v[end - 1] == '\r'))
            --end;
          payload = v.substr(start, end - start);
          return true;
        }
        i = object_end(v, start);
        payload = v.substr(start, i - start);
        has_payload = true;
      } else {
        return false;
      }
      if (i == std::string_view::npos) return false;
      blanks();
      if (i < v.size() && v[i] == ',') {
        ++i;
        continue;
      }
      if (!take('}')) return false;
      blanks();
      return i == v.size() && has_schema && has_payload;
    }
  }

  // The index after the object starting at `at`, npos if it does not close: brackets counted,
  // strings skipped with their escapes.
  static size_t object_end(std::string_view v, size_t at) {
    int depth = 0;
    for (size_t i = at; i < v.size(); ++i) {
      const char c = v[i];
      if (c == '"') {
        for (++i; i < v.size() && v[i] != '"'; ++i) {
          if (v[i] == '\\') ++i;
        }
        if (i >= v.size()) return std::string_view::npos;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }

  // The row fields of a value schema text (parsed once per distinct text).
  const std::vector<Field>& layout(std::string_view text, const Layout* known) {
    if (known) return known->fields;
    auto l = std::make_unique<Layout>();
    l->text = text;
    Element schema;
    if (value_parser.parse(padded(sequence_buffer, text), text.size(), false).get(schema))
      fail("value is not JSON");
    row_fields(schema, l->fields);
    if (layouts.size() >= k_cache_limit) {
      if (last_fields == &layouts.front()->fields) last_fields = nullptr;  // its address may return
      layouts.erase(layouts.begin());
    }
    layouts.push_back(std::move(l));
    return layouts.back()->fields;
  }

  bool is_key(std::string_view column) const {
    return std::find(key_names.begin(), key_names.end(), column) != key_names.end();
  }

  // The relation of `fields` for this record's table and key: the kept one when nothing
  // differs, else a new one.
  std::shared_ptr<const pg::Relation> relation(const SourceInfo& source,
                                               const std::vector<Field>& fields, bool as_text) {
    auto type_of = [&](const Field& f) { return as_text ? PgType{oid::k_text, -1} : f.type; };
    auto same = [&](const pg::Relation& r) {
      if (r.schema != source.schema || r.name != source.table || r.columns.size() != fields.size())
        return false;
      for (size_t i = 0; i < fields.size(); ++i) {
        const auto& c = r.columns[i];
        const PgType t = type_of(fields[i]);
        if (c.name != fields[i].name || c.type_oid != t.oid || c.type_modifier != t.typmod ||
            c.not_null != fields[i].not_null || c.is_key != is_key(c.name))
          return false;
      }
      return true;
    };
    // The usual case, a record of the table and schema text of the one before: the same
    // relation without comparing its columns.
    if (&fields != &inferred && &fields == last_fields && as_text == last_as_text &&
        key_names == last_key_names && last_relation && last_relation->schema == source.schema &&
        last_relation->name == source.table)
      return last_relation;
    last_fields = &fields != &inferred ? &fields : nullptr;
    last_as_text = as_text;
    last_key_names = key_names;
    for (auto it = relations.rbegin(); it != relations.rend(); ++it) {
      if (same(**it)) return last_relation = *it;
    }
    auto rel = std::make_shared<pg::Relation>();
    rel->schema = source.schema;
    rel->name = source.table;
    for (const auto& f : fields) {
      pg::RelationColumn column;
      column.name = f.name;
      const PgType t = type_of(f);
      column.type_oid = t.oid;
      column.type_modifier = t.typmod;
      column.not_null = f.not_null;
      column.is_key = is_key(f.name);
      rel->columns.push_back(std::move(column));
    }
    if (relations.size() >= k_cache_limit) relations.erase(relations.begin());
    relations.push_back(rel);
    return last_relation = rel;
  }

  void read_source(Element source, DecodedEvent& out) {
    if (!is_object(source)) fail("source is missing or not an object");
    SourceInfo& s = out.event.source;
    auto optional_text = [&](std::string_view name) {
      auto v = member(source, name);
      return v && is_string(*v) ? std::string(text_of(*v)) : std::string();
    };
    out.connector_version = optional_text("version");
    out.server_name = optional_text("name");
    s.db = string_member(source, "db", "source");
    s.schema = string_member(source, "schema", "source");
    s.table = string_member(source, "table", "source");
    if (auto us = timestamp_us(source, "source.")) s.ts_us = *us;
    if (auto snap = member(source, "snapshot"); snap && !is_null(*snap)) {
      bool b = false;
      if (snap->get_bool().get(b) == simdjson::SUCCESS)  // Debezium before 0.10
        s.snapshot = b ? "true" : "false";
      else if (is_string(*snap))
        s.snapshot = text_of(*snap);
      else
        fail("source.snapshot is not a string");
    }
    if (auto tx = int_member(source, "txId")) s.tx_id = static_cast<uint32_t>(*tx);
    if (auto lsn = int_member(source, "lsn")) s.lsn = pg::Lsn{static_cast<uint64_t>(*lsn)};
    if (auto seq = member(source, "sequence"); seq && is_string(*seq)) {
      const std::string_view text = text_of(*seq);
      if (auto commit = sequence_commit(text)) {
        s.commit_lsn = pg::Lsn{*commit};
        s.last_commit_end = pg::Lsn{*commit};
        return;
      }
      Element parts;
      simdjson::dom::array pair;
      if (sequence_parser.parse(padded(sequence_buffer, text), text.size(), false).get(parts) ||
          parts.get_array().get(pair) || pair.size() != 2)
        fail("source.sequence is not a pair of LSNs");
      Element first = pair.at(0).value_unsafe();
      if (is_string(first)) {
        const std::string_view t = text_of(first);
        uint64_t lsn = 0;
        auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), lsn);
        if (ec != std::errc() || ptr != t.data() + t.size())
          fail("source.sequence '" + std::string(t) + "'");
        // Debezium's lsn_commit: a per-transaction position that only grows, so it also orders
        // transactions where a commit LSN would.
        s.commit_lsn = pg::Lsn{lsn};
        s.last_commit_end = pg::Lsn{lsn};
      }
    }
  }

  // The key: its payload names the key columns.
  void read_key(std::optional<std::string_view> key_text, DecodedEvent& out) {
    key_names.clear();
    if (!key_text || *key_text == "null") return;
    Element key;
    if (key_parser.parse(padded(key_buffer, *key_text), key_text->size(), false).get(key))
      fail("key is not JSON");
    auto payload = member(key, "payload");
    if (payload && member(key, "schema")) key = *payload;
    simdjson::dom::object o;
    if (is_null(key)) return;
    if (key.get_object().get(o) != simdjson::SUCCESS) fail("key is not an object");
    for (auto [name, v] : o) key_names.emplace_back(name);
    if (options.key_text) out.key = json_text(key);
  }

  DecodedEvent decode(std::optional<std::string_view> key_text,
                      std::optional<std::string_view> value_text) {
    DecodedEvent out;
    read_key(key_text, out);
    if (!value_text || *value_text == "null") {
      out.tombstone = true;
      return out;
    }
    std::string_view schema_text, payload_text;
    const Layout* known = nullptr;
    const std::vector<Field>* fields = nullptr;
    Element payload;
    if (split(*value_text, schema_text, payload_text, known)) {
      // The usual converter form: the schema's row fields by its text, the payload parsed (only
      // it is copied, padded for the parser). A payload that does not parse alone: the whole
      // value is parsed below, which tells what is wrong.
      const auto& kept = layout(schema_text, known);
      if (value_parser.parse(padded(value_buffer, payload_text), payload_text.size(), false)
              .get(payload) == simdjson::SUCCESS) {
        out.had_schema = true;
        fields = &kept;
      }
    }
    if (fields == nullptr) {
      const char* data = padded(value_buffer, *value_text);
      Element value;
      if (value_parser.parse(data, value_text->size(), false).get(value))
        fail("value is not JSON");
      payload = value;
      simdjson::dom::object o;
      if (value.get_object().get(o) == simdjson::SUCCESS && o.size() == 2 &&
          member(value, "schema") && member(value, "payload")) {
        payload = *member(value, "payload");
        out.had_schema = true;
        if (is_null(payload)) {
          out.tombstone = true;
          return out;
        }
        row_fields(*member(value, "schema"), inferred);
        fields = &inferred;
      }
    }
    if (!is_object(payload)) fail("value is not an object");
    const std::string op = string_member(payload, "op", "value");
    if (op == "m")
      throw Error{Errc::unsupported, "cdc: Debezium logical-message events (op m) are not read"};
    if (op.size() != 1 || std::string_view("cudrt").find(op[0]) == std::string_view::npos)
      fail("op '" + op + "' is not one of c, u, d, r, t");
    out.event.op = static_cast<Op>(op[0]);
    auto source = member(payload, "source");
    if (!source) fail("value.source is missing");
    read_source(*source, out);
    if (auto us = timestamp_us(payload, "")) out.processed_us = *us;

    auto before = member(payload, "before");
    auto after = member(payload, "after");
    const bool as_text = fields == nullptr && options.schemaless_as_text;
    if (fields == nullptr) {
      // No schema: the columns are the members of after, then those only in before, typed by
      // their values (as text, no type is needed). The previous record's fields are overwritten
      // in place: their names' buffers are reused.
      size_t count = 0;
      for (const auto& row : {after, before}) {
        simdjson::dom::object o;
        if (!row || row->get_object().get(o)) continue;
        for (auto [name, v] : o) {
          bool known = false;
          for (size_t i = 0; i < count && !known; ++i) known = inferred[i].name == name;
          if (known) continue;
          if (count == inferred.size()) inferred.emplace_back();
          Field& f = inferred[count++];
          f.name = name;
          spec_from_value(v, f.spec);
          f.type = as_text ? PgType{oid::k_text, -1}
                           : pg_type_of(f.spec.type, f.spec.name, f.spec.scale, f.spec.precision);
          f.not_null = false;
        }
      }
      inferred.resize(count);
      fields = &inferred;
    }
    out.relation = relation(out.event.source, *fields, as_text);
    auto read_row = [&](std::optional<Element> row, const char* which) -> std::optional<pg::Tuple> {
      if (!row || is_null(*row)) return std::nullopt;
      simdjson::dom::object o;
      if (row->get_object().get(o)) fail(std::string(which) + " is not an object");
      pg::Tuple tuple(fields->size());
      // The members usually come in the schema's order: follow them, look a column up otherwise.
      auto next = o.begin();
      for (size_t i = 0; i < fields->size(); ++i) {
        const Field& f = (*fields)[i];
        std::optional<Element> v;
        if (next != o.end() && next.key() == f.name) {
          v = next.value();
          ++next;
        } else {
          v = member(*row, f.name);
        }
        if (!v) continue;  // null
        std::optional<pg::TupleValue> binary;
        if (options.binary_values) binary = to_pg_binary(*v, f.spec.reading, f.type.oid);
        tuple[i] = binary ? std::move(*binary) : to_pg_text(*v, f.spec, f.name);
      }
      return tuple;
    };
    out.event.before = read_row(before, "before");
    out.event.after = read_row(after, "after");
    if (out.event.op == Op::create || out.event.op == Op::read) {
      if (!out.event.after) fail("op " + op + " without after");
    } else if (out.event.op == Op::update) {
      if (!out.event.after) fail("op u without after");
    } else if (out.event.op == Op::delete_) {
      if (!out.event.before) fail("op d without before");
    }
    out.event.relation = out.relation.get();
    return out;
  }
};

DebeziumDecoder::DebeziumDecoder(DecodeOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
}
DebeziumDecoder::~DebeziumDecoder() = default;
DebeziumDecoder::DebeziumDecoder(DebeziumDecoder&&) noexcept = default;
DebeziumDecoder& DebeziumDecoder::operator=(DebeziumDecoder&&) noexcept = default;

Result<DecodedEvent> DebeziumDecoder::decode(std::optional<std::string_view> key,
                                             std::optional<std::string_view> value) {
  try {
    return state_->decode(key, value);
  } catch (const BadEvent& e) {
    return make_error(Errc::parse, "cdc: Debezium event: " + e.message);
  } catch (const Error& e) {
    return e;
  }
}

Result<DecodedEvent> decode_debezium(std::optional<std::string_view> key,
                                     std::optional<std::string_view> value) {
  return DebeziumDecoder().decode(key, value);
}

}  // namespace sl::cdc
