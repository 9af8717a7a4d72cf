// Debezium JSON (both schema modes) → ChangeEvent with PostgreSQL text values.
#include "cdc/debezium_decoder.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cdc/connect_schema.hpp"
#include "cdc/type_mapping.hpp"
#include "common/civil_time.hpp"

namespace sl::cdc {

namespace {

using Json = nlohmann::ordered_json;

// Module-local: thrown by the helpers below, turned into an Errc::parse by decode_debezium.
struct BadEvent {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw BadEvent{std::move(message)};
}

const Json* member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string string_member(const Json& object, std::string_view name, std::string_view where) {
  const Json* v = member(object, name);
  if (v == nullptr || !v->is_string())
    fail(std::string(where) + "." + std::string(name) + " is missing or not a string");
  return v->get<std::string>();
}

std::optional<int64_t> int_member(const Json& object, std::string_view name) {
  const Json* v = member(object, name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_number_integer()) fail("'" + std::string(name) + "' is not an integer");
  return v->get<int64_t>();
}

// `ts_us`, else `ts_ms` in microseconds, of an envelope or source block. Bounded so that the
// encoder can also write it in nanoseconds (`ts_ns`, ×1000) without overflow.
std::optional<int64_t> timestamp_us(const Json& object, std::string_view where) {
  constexpr int64_t k_max_us = INT64_MAX / 1000;
  auto in_range = [&](int64_t v, int64_t max, const char* name) {
    if (v > max || v < -max) fail(std::string(where) + name + " out of range");
    return v;
  };
  if (auto us = int_member(object, "ts_us")) return in_range(*us, k_max_us, "ts_us");
  if (auto ms = int_member(object, "ts_ms")) return in_range(*ms, k_max_us / 1000, "ts_ms") * 1000;
  return std::nullopt;
}

// How to read one column: its Connect type and semantic name (from the schema, or inferred).
struct ColumnSpec {
  std::string type;
  std::string name;
  int scale = -1;
  int precision = -1;
};

int int_parameter(const Json& schema, std::string_view key) {
  const Json* params = member(schema, "parameters");
  const Json* v = params ? member(*params, key) : nullptr;
  if (v == nullptr) return -1;
  int out = -1;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || ptr != s.data() + s.size() || out < 0 || out > 1000)
      fail("Decimal parameter '" + std::string(key) + "' = '" + s + "' is not a small integer");
  } else if (v->is_number_integer()) {
    out = v->get<int>();
  }
  return out;
}

ColumnSpec spec_from_schema(const Json& field) {
  ColumnSpec spec;
  if (const Json* t = member(field, "type"); t && t->is_string()) spec.type = t->get<std::string>();
  if (const Json* n = member(field, "name"); n && n->is_string()) spec.name = n->get<std::string>();
  if (spec.name == connect::k_decimal) {
    spec.scale = int_parameter(field, "scale");
    spec.precision = int_parameter(field, "connect.decimal.precision");
  }
  return spec;
}

ColumnSpec spec_from_value(const Json& v) {
  if (v.is_boolean()) return {"boolean", ""};
  if (v.is_number_integer()) return {"int64", ""};
  if (v.is_number()) return {"double", ""};
  if (v.is_object() && member(v, "scale") && member(v, "value"))
    return {"struct", std::string(connect::k_variable_scale_decimal)};
  return {"string", ""};
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

std::string hex_bytea(std::string_view bytes) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += k_hex[c >> 4];
    out += k_hex[c & 15];
  }
  return out;
}

std::string number_text(const Json& v) {
  if (v.is_number_integer()) return v.dump();
  double d = v.get<double>();
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, end);
}

// hh:mm:ss[.ffffff] of a time of day in µs, as PostgreSQL prints it: the fraction only when not
// zero, without trailing zeros ("10:15:30.123", "24:00:00").
std::string pg_time_of_day(int64_t us) {
  std::string out = fmt::format("{:02}:{:02}:{:02}", us / 3'600'000'000LL, us / 60'000'000 % 60,
                                us / 1'000'000 % 60);
  if (const int64_t fraction = us % 1'000'000; fraction != 0) {
    std::string digits = fmt::format(".{:06}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += digits;
  }
  return out;
}

// Days / UTC microseconds → PostgreSQL's ISO text, BC and years beyond 9999 included
// ("0044-03-15 BC", "10000-01-01 00:00:00+00").
std::string pg_text(int64_t days, std::optional<int64_t> in_day_us, bool zone) {
  const CivilDate date = civil_from_days(days);
  const bool bc = date.year <= 0;
  char buffer[96];
  int n =
      std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d",
                    static_cast<long long>(bc ? 1 - date.year : date.year), date.month, date.day);
  std::string out(buffer, static_cast<size_t>(n));
  if (in_day_us) {
    out += ' ';
    out += pg_time_of_day(*in_day_us);
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

// A JSON array (a Connect array) → PostgreSQL's array text ('{1,NULL,-3}', '{a,"b c"}'): an
// element is quoted when empty, "NULL" in any case, or holding a delimiter, brace, quote,
// backslash or white space (array_out's rule), with '"' and '\' escaped.
void append_pg_array(std::string& out, const Json& array) {
  out += '{';
  bool first = true;
  for (const auto& element : array) {
    if (!first) out += ',';
    first = false;
    if (element.is_null()) {
      out += "NULL";
    } else if (element.is_array()) {
      append_pg_array(out, element);
    } else if (element.is_boolean()) {
      out += element.get<bool>() ? 't' : 'f';
    } else if (element.is_number()) {
      out += number_text(element);
    } else if (element.is_string()) {
      const auto& text = element.get_ref<const std::string&>();
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
      out += element.dump();
    }
  }
  out += '}';
}

// Debezium's placeholder for an unchanged TOASTed array: the placeholder as the only element of a
// text array, its byte codes as an integer array.
bool is_unavailable_array(const Json& v) {
  if (v.size() == 1 && v[0].is_string()) return v[0].get_ref<const std::string&>() == k_unavailable;
  if (v.size() != k_unavailable.size()) return false;
  for (size_t i = 0; i < v.size(); ++i)
    if (!v[i].is_number_integer() || v[i].get<int64_t>() != k_unavailable[i]) return false;
  return true;
}

// One JSON value → the PostgreSQL text form pgoutput would carry for that column.
pg::TupleValue to_pg_text(const Json& v, const ColumnSpec& spec, const std::string& column) {
  using Kind = pg::TupleValue::Kind;
  if (v.is_null()) return {Kind::null, {}};
  // The placeholder, or its bytes in base64 (a bytea's, whose type a schemaless record hides).
  if (v.is_string() && (v.get_ref<const std::string&>() == k_unavailable ||
                        v.get_ref<const std::string&>() == k_unavailable_base64))
    return {Kind::unchanged_toast, {}};
  auto wrong = [&](std::string_view expected) -> pg::TupleValue {
    fail("column '" + column + "': " + v.dump().substr(0, 64) + " is not " + std::string(expected));
  };
  const std::string& name = spec.name;
  if (name == connect::k_date) {
    if (!v.is_number_integer()) return wrong("a day number");
    const int64_t days = v.get<int64_t>();
    if (days == k_date_plus_infinity || days == k_date_plus_infinity_before)
      return {Kind::text, "infinity"};
    if (days == k_date_minus_infinity) return {Kind::text, "-infinity"};
    if (days < INT32_MIN || days > INT32_MAX) return wrong("a day number in range");
    return {Kind::text, pg_date_text(days)};
  }
  if (name == connect::k_micro_timestamp || name == connect::k_timestamp) {
    if (!v.is_number_integer()) return wrong("an epoch number");
    int64_t us = v.get<int64_t>();
    const int64_t scale = name == connect::k_timestamp ? 1000 : 1;
    if (us == k_timestamp_plus_infinity_us / scale) return {Kind::text, "infinity"};
    if (us == k_timestamp_minus_infinity_us / scale) return {Kind::text, "-infinity"};
    if (__builtin_mul_overflow(us, scale, &us)) return wrong("an epoch in range");
    return {Kind::text, pg_timestamp_text(us, false)};
  }
  if (name == connect::k_micro_time || name == connect::k_time ||
      name == connect::k_connect_time || name == connect::k_zoned_time) {
    // A time of day: µs (MicroTime) or ms (Time) past midnight, or "08:15:30.5Z" (ZonedTime).
    int64_t us = 0;
    if (name == connect::k_zoned_time) {
      if (!v.is_string()) return wrong("an ISO-8601 time");
      std::string s = v.get<std::string>();
      if (s.empty() || s.back() != 'Z') return wrong("an ISO-8601 UTC time");
      s.pop_back();
      return {Kind::text, s + "+00"};
    }
    if (!v.is_number_integer()) return wrong("a time of day");
    us = v.get<int64_t>() * (name == connect::k_micro_time ? 1 : 1000);
    if (us < 0 || us > 86'400'000'000LL) return wrong("a time of day in range");
    return {Kind::text, pg_time_of_day(us)};
  }
  if (name == connect::k_micro_duration) {
    // MicroDuration keeps no months: the µs as an hours:minutes:seconds interval.
    if (!v.is_number_integer()) return wrong("a duration in microseconds");
    const int64_t us = v.get<int64_t>();
    const uint64_t a = us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
    return {Kind::text, fmt::format("{}{:02}:{:02}:{:02}.{:06}", us < 0 ? "-" : "",
                                    a / 3'600'000'000ULL, a / 60'000'000 % 60, a / 1'000'000 % 60,
                                    a % 1'000'000)};
  }
  if (name == connect::k_zoned_timestamp) {
    if (!v.is_string()) return wrong("an ISO-8601 string");
    const auto& s = v.get_ref<const std::string&>();
    if (s == "infinity" || s == "-infinity") return {Kind::text, s};
    auto us = parse_timestamp(s);
    if (!us) us = parse_iso_signed_year(s);
    if (!us) return wrong("an ISO-8601 timestamp");
    return {Kind::text, pg_timestamp_text(*us, true)};
  }
  if (name == connect::k_decimal) {
    if (!v.is_string()) return wrong("base64 bytes");
    return {Kind::text,
            decimal_from_bytes(base64_decode(v.get<std::string>()), std::max(spec.scale, 0))};
  }
  if (name == connect::k_variable_scale_decimal) {
    const Json* scale = member(v, "scale");
    const Json* value = member(v, "value");
    if (!scale || !value || !scale->is_number_integer() || !value->is_string() ||
        scale->get<int64_t>() < 0 || scale->get<int64_t>() > 1000)
      return wrong("a {scale, value} decimal");
    return {Kind::text, decimal_from_bytes(base64_decode(value->get<std::string>()),
                                           static_cast<int>(scale->get<int64_t>()))};
  }
  if (spec.type == "boolean") {
    if (!v.is_boolean()) return wrong("a boolean");
    return {Kind::text, v.get<bool>() ? "t" : "f"};
  }
  if (spec.type == "bytes") {
    if (!v.is_string()) return wrong("base64 bytes");
    std::string bytes = base64_decode(v.get<std::string>());
    // An unchanged TOASTed bytea: the placeholder's bytes (src/cdc/debezium_json.cpp writes it so).
    if (bytes == k_unavailable) return {Kind::unchanged_toast, {}};
    return {Kind::text, hex_bytea(bytes)};
  }
  if (spec.type.starts_with("int") || spec.type == "float" || spec.type == "double") {
    if (v.is_number()) return {Kind::text, number_text(v)};
    // NaN and infinities of float columns are strings in Debezium's JSON.
    if (v.is_string() && !spec.type.starts_with("int")) return {Kind::text, v.get<std::string>()};
    return wrong("a number");
  }
  if (v.is_string()) return {Kind::text, v.get<std::string>()};
  if (v.is_array()) {
    if (is_unavailable_array(v)) return {Kind::unchanged_toast, {}};
    std::string text;
    append_pg_array(text, v);
    return {Kind::text, std::move(text)};
  }
  return {Kind::text, v.dump()};  // a struct/map of another connector: its JSON text
}

// The row struct schema of an envelope schema (the "after" field, else "before").
const Json* row_schema(const Json& envelope_schema) {
  const Json* fields = member(envelope_schema, "fields");
  if (fields == nullptr || !fields->is_array()) fail("schema.fields is missing");
  const Json* found = nullptr;
  for (const auto& f : *fields) {
    const Json* field = member(f, "field");
    if (field && field->is_string() && (*field == "after" || (*field == "before" && !found)))
      found = &f;
  }
  return found;
}

void read_source(const Json& source, DecodedEvent& out) {
  if (!source.is_object()) fail("source is missing or not an object");
  SourceInfo& s = out.event.source;
  out.connector_version = member(source, "version") && source["version"].is_string()
                              ? source["version"].get<std::string>()
                              : "";
  out.server_name =
      member(source, "name") && source["name"].is_string() ? source["name"].get<std::string>() : "";
  s.db = string_member(source, "db", "source");
  s.schema = string_member(source, "schema", "source");
  s.table = string_member(source, "table", "source");
  if (auto us = timestamp_us(source, "source.")) s.ts_us = *us;
  if (const Json* snap = member(source, "snapshot"); snap && !snap->is_null()) {
    if (snap->is_boolean())  // Debezium before 0.10
      s.snapshot = snap->get<bool>() ? "true" : "false";
    else if (snap->is_string())
      s.snapshot = snap->get<std::string>();
    else
      fail("source.snapshot is not a string");
  }
  if (auto tx = int_member(source, "txId")) s.tx_id = static_cast<uint32_t>(*tx);
  if (auto lsn = int_member(source, "lsn")) s.lsn = pg::Lsn{static_cast<uint64_t>(*lsn)};
  if (const Json* seq = member(source, "sequence"); seq && seq->is_string()) {
    Json parts = Json::parse(seq->get<std::string>(), nullptr, false);
    if (!parts.is_array() || parts.size() != 2) fail("source.sequence is not a pair of LSNs");
    if (parts[0].is_string()) {
      const auto& t = parts[0].get_ref<const std::string&>();
      uint64_t lsn = 0;
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), lsn);
      if (ec != std::errc() || ptr != t.data() + t.size()) fail("source.sequence '" + t + "'");
      // Debezium's lsn_commit: a per-transaction position that only grows, so it also orders
      // transactions where a commit LSN would.
      s.commit_lsn = pg::Lsn{lsn};
      s.last_commit_end = pg::Lsn{lsn};
    }
  }
}

DecodedEvent decode(std::optional<std::string_view> key_text,
                    std::optional<std::string_view> value_text) {
  DecodedEvent out;
  // Key: its payload names the key columns.
  Json key_payload;
  if (key_text && *key_text != "null") {
    Json key = Json::parse(*key_text, nullptr, false);
    if (key.is_discarded()) fail("key is not JSON");
    if (member(key, "schema") && member(key, "payload")) key = key["payload"];
    if (!key.is_null() && !key.is_object()) fail("key is not an object");
    if (key.is_object()) {
      out.key = key.dump();
      key_payload = std::move(key);
    }
  }
  if (!value_text || *value_text == "null") {
    out.tombstone = true;
    return out;
  }
  Json value = Json::parse(*value_text, nullptr, false);
  if (value.is_discarded()) fail("value is not JSON");
  const Json* schema = nullptr;
  const Json* payload = &value;
  if (member(value, "schema") && member(value, "payload") && value.size() == 2) {
    schema = &value["schema"];
    payload = &value["payload"];
    out.had_schema = true;
    if (payload->is_null()) {
      out.tombstone = true;
      return out;
    }
  }
  if (!payload->is_object()) fail("value is not an object");
  const std::string op = string_member(*payload, "op", "value");
  if (op == "m") {
    throw Error{Errc::unsupported, "cdc: Debezium logical-message events (op m) are not read"};
  }
  if (op.size() != 1 || std::string_view("cudrt").find(op[0]) == std::string_view::npos)
    fail("op '" + op + "' is not one of c, u, d, r, t");
  out.event.op = static_cast<Op>(op[0]);
  const Json* source = member(*payload, "source");
  if (source == nullptr) fail("value.source is missing");
  read_source(*source, out);
  if (auto us = timestamp_us(*payload, "")) out.processed_us = *us;

  auto rel = std::make_unique<pg::Relation>();
  rel->schema = out.event.source.schema;
  rel->name = out.event.source.table;
  std::vector<ColumnSpec> specs;
  auto add_column = [&](const std::string& name, ColumnSpec spec, bool not_null) {
    pg::RelationColumn column;
    column.name = name;
    PgType type = pg_type_of(spec.type, spec.name, spec.scale, spec.precision);
    column.type_oid = type.oid;
    column.type_modifier = type.typmod;
    column.not_null = not_null;
    column.is_key = key_payload.is_object() && key_payload.contains(name);
    rel->columns.push_back(std::move(column));
    specs.push_back(std::move(spec));
  };
  const Json* before = member(*payload, "before");
  const Json* after = member(*payload, "after");
  if (schema != nullptr) {
    if (const Json* row = row_schema(*schema)) {
      const Json* fields = member(*row, "fields");
      if (fields == nullptr || !fields->is_array()) fail("row schema has no fields");
      for (const auto& f : *fields) {
        const Json* optional = member(f, "optional");
        add_column(string_member(f, "field", "schema field"), spec_from_schema(f),
                   optional && optional->is_boolean() && !optional->get<bool>());
      }
    }
  } else {
    for (const Json* row : {after, before}) {
      if (row == nullptr || !row->is_object()) continue;
      for (const auto& [name, v] : row->items()) {
        bool known = false;
        for (const auto& c : rel->columns) known = known || c.name == name;
        if (!known) add_column(name, spec_from_value(v), false);
      }
    }
  }
  auto read_row = [&](const Json* row, const char* which) -> std::optional<pg::Tuple> {
    if (row == nullptr || row->is_null()) return std::nullopt;
    if (!row->is_object()) fail(std::string(which) + " is not an object");
    pg::Tuple tuple(rel->columns.size());
    for (size_t i = 0; i < rel->columns.size(); ++i) {
      const Json* v = member(*row, rel->columns[i].name);
      tuple[i] = v ? to_pg_text(*v, specs[i], rel->columns[i].name)
                   : pg::TupleValue{pg::TupleValue::Kind::null, {}};
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
  out.relation = std::move(rel);
  out.event.relation = out.relation.get();
  return out;
}

}  // namespace

Result<DecodedEvent> decode_debezium(std::optional<std::string_view> key,
                                     std::optional<std::string_view> value) {
  try {
    return decode(key, value);
  } catch (const BadEvent& e) {
    return make_error(Errc::parse, "cdc: Debezium event: " + e.message);
  } catch (const Error& e) {
    return e;
  } catch (const nlohmann::json::exception& e) {
    return make_error(Errc::parse, std::string("cdc: Debezium event: ") + e.what());
  }
}

}  // namespace sl::cdc
