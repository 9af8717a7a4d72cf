// PostgreSQL text values → Debezium JSON values.
#include "cdc/type_mapping.hpp"

#include "cdc/hstore_json.hpp"
#include "cdc/pg_text.hpp"
#include "common/civil_time.hpp"
#include "common/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
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
void append_iso_utc(std::string& out, int64_t micros, int fraction_digits) {
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
  out.append(buffer, 15);
  if (fraction_digits > 0) out.append(buffer + 15, 1 + fraction_digits);
  out += 'Z';
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

// Java's Double.toString / Float.toString of a finite value from its shortest digits: plain
// between 1e-3 and 1e7 ("12.5", "100.0", "0.001"), else "d.dddE±n" ("1.0E7", "1.5E-4").
template <class T>
void append_java_number(std::string& out, T value) {
  if (value == 0) {
    out += std::signbit(value) ? "-0.0" : "0.0";
    return;
  }
  char buffer[48];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view sci(buffer, end - buffer);  // "-1.2345e-05"
  const bool negative = sci.starts_with('-');
  if (negative) sci.remove_prefix(1);
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits += c;
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+'), sci.data() + sci.size(), exponent);
  if (negative) out += '-';
  const T magnitude = value < 0 ? -value : value;
  if (magnitude >= T(1e-3) && magnitude < T(1e7)) {
    if (exponent >= 0) {
      for (int i = 0; i <= exponent; ++i)
        out += i < static_cast<int>(digits.size()) ? digits[i] : '0';
      out += '.';
      if (static_cast<int>(digits.size()) > exponent + 1)
        out.append(digits, exponent + 1);
      else
        out += '0';
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
    return;
  }
  out += digits[0];
  out += '.';
  if (digits.size() > 1)
    out.append(digits, 1);
  else
    out += '0';
  out += 'E';
  char exp[8];
  auto [exp_end, exp_ec] = std::to_chars(exp, exp + sizeof exp, exponent);
  out.append(exp, exp_end);
}

// "HH:MM:SS[.ffffff]" (hour 0-24) → microseconds of the day; `rest` gets what follows.
std::optional<int64_t> parse_time_of_day(std::string_view text, std::string_view* rest) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  auto two = [&](size_t at) -> int {
    if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const int h = two(0), m = two(3), sec = two(6);
  if (h < 0 || h > 24 || m < 0 || m > 59 || sec < 0 || sec > 60) return std::nullopt;
  int64_t us = ((h * 60LL + m) * 60 + sec) * 1'000'000;
  size_t i = 8;
  if (i < text.size() && text[i] == '.') {
    int64_t fraction = 0;
    int n = 0;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++n)
      if (n < 6) fraction = fraction * 10 + (text[i] - '0');
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) fraction *= 10;
    us += fraction;
  }
  if (rest) *rest = text.substr(i);
  else if (i != text.size()) return std::nullopt;
  return us;
}

// "+HH[:MM[:SS]]" → seconds east of UTC.
std::optional<int64_t> parse_offset(std::string_view text) {
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  int64_t seconds = 0;
  size_t i = 1;
  for (int part = 0; part < 3 && i + 1 < text.size() + 1; ++part) {
    if (part > 0) {
      if (i >= text.size()) break;
      if (text[i] != ':') return std::nullopt;
      ++i;
    }
    if (i + 2 > text.size() || text[i] < '0' || text[i] > '9' || text[i + 1] < '0' ||
        text[i + 1] > '9')
      return std::nullopt;
    const int v = (text[i] - '0') * 10 + (text[i + 1] - '0');
    seconds += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
    i += 2;
  }
  if (i != text.size()) return std::nullopt;
  return sign * seconds;
}

// "HH:MM:SS[.f]Z" as java.time's ISO_OFFSET_TIME prints it in UTC (fraction without trailing
// zeros, none when zero).
void append_iso_time(std::string& out, int64_t us, bool with_z) {
  char buffer[16] = "00:00:00";
  const int64_t seconds = us / 1'000'000;
  put_digits(buffer, seconds / 3600, 2);
  put_digits(buffer + 3, seconds / 60 % 60, 2);
  put_digits(buffer + 6, seconds % 60, 2);
  out.append(buffer, 8);
  int64_t fraction = us % 1'000'000;
  if (fraction) {
    char digits[6];
    put_digits(digits, fraction, 6);
    int n = 6;
    while (digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, n);
  }
  if (with_z) out += 'Z';
}

// PostgreSQL's interval output (IntervalStyle postgres): "1 year 2 mons -3 days +04:05:06.789".
// Every field is 64-bit: PostgreSQL's hours reach 2,562,047,788, beyond an int.
struct PgInterval {
  int64_t years = 0, months = 0, days = 0, hours = 0, minutes = 0;
  int64_t seconds = 0, micros = 0;  // with the time part's sign
};
std::optional<PgInterval> parse_pg_interval(std::string_view text) {
  PgInterval out;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  skip_spaces();
  while (i < text.size()) {
    int sign = 1;
    size_t start = i;
    if (text[i] == '-' || text[i] == '+') sign = text[i++] == '-' ? -1 : 1;
    size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits_start) return std::nullopt;
    // PostgreSQL prints at most 10 digits per field; more is not its output (and would overflow).
    if (i - digits_start > 18) return std::nullopt;
    if (i < text.size() && text[i] == ':') {
      // The time part: [-+]H+:MM:SS[.ffffff] (hours may exceed 24).
      int64_t h = 0;
      for (size_t k = digits_start; k < i; ++k) h = h * 10 + (text[k] - '0');
      std::string_view rest = text.substr(i + 1);
      if (rest.size() < 5 || rest[2] != ':') return std::nullopt;
      auto two = [&](size_t at) { return (rest[at] - '0') * 10 + (rest[at + 1] - '0'); };
      for (size_t k : {0, 1, 3, 4})
        if (rest[k] < '0' || rest[k] > '9') return std::nullopt;
      const int m = two(0), sec = two(3);
      size_t j = 5;
      int64_t fraction = 0;
      if (j < rest.size() && rest[j] == '.') {
        int n = 0;
        for (++j; j < rest.size() && rest[j] >= '0' && rest[j] <= '9'; ++j, ++n)
          if (n < 6) fraction = fraction * 10 + (rest[j] - '0');
        for (; n < 6; ++n) fraction *= 10;
      }
      out.hours = sign * h;
      out.minutes = sign * m;
      out.seconds = sign * sec;
      out.micros = sign * fraction;
      i = i + 1 + j;
      (void)start;
    } else {
      int64_t v = 0;
      for (size_t k = digits_start; k < i; ++k) v = v * 10 + (text[k] - '0');
      skip_spaces();
      size_t unit_start = i;
      while (i < text.size() && text[i] != ' ') ++i;
      std::string_view unit = text.substr(unit_start, i - unit_start);
      const int64_t n = sign * v;
      if (unit == "year" || unit == "years")
        out.years = n;
      else if (unit == "mon" || unit == "mons")
        out.months = n;
      else if (unit == "day" || unit == "days")
        out.days = n;
      else
        return std::nullopt;
    }
    skip_spaces();
  }
  return out;
}

// "-$1,234.56" (lc_monetary's format, `fraction_digits` digits after its decimal point) → the
// unscaled digits with their sign ("-123456").
std::optional<std::string> parse_pg_money(std::string_view text) {
  std::string digits;
  bool negative = false;
  for (char c : text) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c == '-' || c == '(')
      negative = true;
  }
  if (digits.empty()) return std::nullopt;
  return (negative ? "-" : "") + digits;
}

// The number text of an unscaled value at `scale` ("-123456", 2 → "-1234.56").
std::string plain_decimal(std::string_view unscaled, int scale) {
  std::string sign;
  if (unscaled.starts_with('-')) {
    sign = "-";
    unscaled.remove_prefix(1);
  }
  std::string digits(unscaled);
  if (scale <= 0) return sign + digits;
  if (static_cast<int>(digits.size()) <= scale)
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  return sign + digits;
}

// PostgreSQL array text ("{1,NULL,\"a b\"}") → its outermost elements (nullopt = NULL). In an
// array of more than one dimension ("{{1,2},{3,4}}") each element is a sub-array's text
// ("{1,2}") and `nested` is set.
std::optional<std::vector<std::optional<std::string>>> parse_pg_array(std::string_view text,
                                                                      bool& nested) {
  nested = false;
  if (text.starts_with('[')) {  // explicit bounds: "[0:1]={...}"
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    text.remove_prefix(eq + 1);
  }
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  text = text.substr(1, text.size() - 2);
  std::vector<std::optional<std::string>> out;
  if (text.empty()) return out;
  size_t i = 0;
  while (true) {
    std::string element;
    bool quoted = false;
    if (i < text.size() && text[i] == '{') {
      if (!out.empty() && !nested) return std::nullopt;  // a sub-array next to scalars
      // A sub-array, kept as its text: up to its balanced '}', quotes and escapes respected.
      nested = true;
      int depth = 0;
      bool in_quotes = false;
      for (; i < text.size(); ++i) {
        const char c = text[i];
        element += c;
        if (c == '\\' && i + 1 < text.size()) {
          element += text[++i];
        } else if (c == '"') {
          in_quotes = !in_quotes;
        } else if (!in_quotes && c == '{') {
          ++depth;
        } else if (!in_quotes && c == '}' && --depth == 0) {
          ++i;
          break;
        }
      }
      if (depth != 0) return std::nullopt;
      out.emplace_back(std::move(element));
    } else if (nested) {
      return std::nullopt;  // a scalar next to sub-arrays is not PostgreSQL's output
    } else {
      if (i < text.size() && text[i] == '"') {
        quoted = true;
        for (++i; i < text.size() && text[i] != '"'; ++i) {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          element += text[i];
        }
        if (i >= text.size()) return std::nullopt;
        ++i;
      } else {
        for (; i < text.size() && text[i] != ','; ++i) element += text[i];
      }
      if (!quoted && element == "NULL")
        out.emplace_back(std::nullopt);
      else
        out.emplace_back(std::move(element));
    }
    if (i == text.size()) break;
    if (text[i] != ',') return std::nullopt;
    ++i;
  }
  return out;
}

// Element types whose Connect form is their text (Debezium's string converter).
bool text_formed(uint32_t element_oid) {
  switch (element_oid) {
    case oid::k_text:
    case oid::k_varchar:
    case oid::k_bpchar:
    case oid::k_json:
    case oid::k_jsonb:
    case oid::k_uuid:
      return true;
    default:
      return element_oid >= 16384;  // user-defined: enums (FirstNormalObjectId)
  }
}

}  // namespace

uint32_t builtin_array_element(uint32_t array_oid) {
  switch (array_oid) {
    case 1000: return oid::k_bool;
    case 1001: return oid::k_bytea;
    case 1005: return oid::k_int2;
    case 1007: return oid::k_int4;
    case 1016: return oid::k_int8;
    case 1028: return oid::k_oid;
    case 1009: return oid::k_text;
    case 1014: return oid::k_bpchar;
    case 1015: return oid::k_varchar;
    case 1021: return oid::k_float4;
    case 1022: return oid::k_float8;
    case 1231: return oid::k_numeric;
    case 1182: return oid::k_date;
    case 1183: return oid::k_time;
    case 1270: return oid::k_timetz;
    case 1115: return oid::k_timestamp;
    case 1185: return oid::k_timestamptz;
    case 2951: return oid::k_uuid;
    case 199: return oid::k_json;
    case 3807: return oid::k_jsonb;
    default: return 0;
  }
}

namespace {
template <class T>
Result<T> parse_mode(std::string_view option, std::string_view text,
                     std::initializer_list<std::pair<std::string_view, T>> values) {
  std::string accepted;
  for (const auto& [name, value] : values) {
    if (name == text) return value;
    accepted += accepted.empty() ? "" : ", ";
    accepted += name;
  }
  return make_error(Errc::invalid_argument, std::string(option) + ": '" + std::string(text) +
                                                "' is not one of " + accepted);
}
}  // namespace

Result<DecimalMode> parse_decimal_mode(std::string_view text) {
  return parse_mode<DecimalMode>("decimal.handling.mode", text,
                                 {{"precise", DecimalMode::precise},
                                  {"string", DecimalMode::string},
                                  {"double", DecimalMode::double_}});
}
Result<TimePrecisionMode> parse_time_precision_mode(std::string_view text) {
  return parse_mode<TimePrecisionMode>(
      "time.precision.mode", text,
      {{"adaptive", TimePrecisionMode::adaptive},
       {"adaptive_time_microseconds", TimePrecisionMode::adaptive_time_microseconds},
       {"connect", TimePrecisionMode::connect}});
}
Result<BinaryMode> parse_binary_mode(std::string_view text) {
  return parse_mode<BinaryMode>("binary.handling.mode", text,
                                {{"bytes", BinaryMode::bytes},
                                 {"base64", BinaryMode::base64},
                                 {"hex", BinaryMode::hex}});
}
Result<IntervalMode> parse_interval_mode(std::string_view text) {
  return parse_mode<IntervalMode>("interval.handling.mode", text,
                                  {{"numeric", IntervalMode::numeric},
                                   {"string", IntervalMode::string}});
}

bool debezium_writes_type(uint32_t type_oid, uint32_t element_oid) {
  auto geometric = [](uint32_t t) {
    return t == oid::k_line || t == oid::k_lseg || t == oid::k_box || t == oid::k_path ||
           t == oid::k_polygon || t == oid::k_circle;
  };
  // Arrays of money and interval: Debezium's array converter has no element schema for them.
  if (element_oid) return !geometric(element_oid) && element_oid != oid::k_point &&
                          element_oid != oid::k_varbit && element_oid != oid::k_money &&
                          element_oid != oid::k_interval;
  return !geometric(type_oid);
}

Result<HstoreMode> parse_hstore_mode(std::string_view text) {
  return parse_mode<HstoreMode>("hstore.handling.mode", text,
                                {{"json", HstoreMode::json}, {"map", HstoreMode::map}});
}

void append_java_double(std::string& out, double value, bool single) {
  if (single)
    append_java_number(out, static_cast<float>(value));
  else
    append_java_number(out, value);
}

Result<nlohmann::ordered_json> debezium_value(uint32_t type_oid, int32_t typmod,
                                              std::string_view text, const ValueForms& forms,
                                              uint32_t element_oid) {
  std::string out;
  SL_TRY(append_debezium_value(out, type_oid, typmod, text, forms, element_oid));
  return nlohmann::ordered_json::parse(out);
}

Status append_debezium_value(std::string& out, uint32_t type_oid, int32_t typmod,
                             std::string_view text, const ValueForms& forms,
                             uint32_t element_oid) {
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
      // Debezium's JsonConverter prints Java's Double.toString / Float.toString: "1.0", "-0.0",
      // "1.0E7". PostgreSQL's shortest text is already that between 1e-3 and 1e7 when it has a
      // fraction (the common case, copied as it is).
      if (plain_number(text, true)) {
        const size_t dot = text.find('.');
        const size_t sign = text.starts_with('-') ? 1 : 0;
        const bool zero_int = text.substr(sign, dot == std::string_view::npos ? text.npos : dot - sign) == "0";
        if (dot != std::string_view::npos && dot - sign <= 7 &&
            (!zero_int || text.find_first_not_of('0', dot + 1) < dot + 4)) {
          out += text;
          return {};
        }
      }
      auto v = parse_number<double>(text);
      // from_chars also takes "inf"/"nan" spellings PostgreSQL never prints; JSON has no form
      // for them (to_chars would write a bare inf).
      if (!v || !std::isfinite(*v)) return bad_value("floating-point", text);
      // A real's text beyond a float's range is not PostgreSQL's output (fuzz_lake_value).
      if (type_oid == oid::k_float4 && std::fabs(*v) > std::numeric_limits<float>::max())
        return bad_value("floating-point", text);
      append_java_double(out, *v, type_oid == oid::k_float4);
      return {};
    }
    case oid::k_numeric: {
      if (forms.decimal == DecimalMode::double_) {
        if (text == "NaN" || text == "Infinity" || text == "-Infinity") return string(text);
        // The same grammar as the precise form; the nearest double of digits × 10^-scale.
        auto parts = split_pg_numeric(text);
        if (!parts) return bad_value("numeric", text);
        const std::string scientific = parts->first + "e-" + std::to_string(parts->second);
        auto v = parse_number<double>(scientific);
        if (!v) {
          // Beyond a double (BigDecimal.doubleValue): ±Infinity when large, ±0.0 when tiny.
          const bool negative = parts->first.starts_with('-');
          const auto integer_digits =
              static_cast<int64_t>(parts->first.size()) - (negative ? 1 : 0) - parts->second;
          if (integer_digits > 0) return string(negative ? "-Infinity" : "Infinity");
          out += negative ? "-0.0" : "0.0";
          return {};
        }
        append_java_double(out, *v, false);
        return {};
      }
      if (forms.decimal == DecimalMode::string) {
        // BigDecimal.toPlainString at the column's scale; Debezium's SpecialValueDecimal names.
        if (text == "NaN") return string("NAN");
        if (text == "Infinity") return string("POSITIVE_INFINITY");
        if (text == "-Infinity") return string("NEGATIVE_INFINITY");
        auto parts = split_pg_numeric(text);
        if (!parts) return bad_value("numeric", text);
        return string(plain_decimal(parts->first, parts->second));
      }
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
      // Unconstrained numeric: io.debezium.data.VariableScaleDecimal, trailing zeros stripped
      // (BigDecimal.stripTrailingZeros, never a negative scale): 1.500 → scale 1, value 15.
      while (scale > 0 && digits.size() > 1 && digits.back() == '0') {
        digits.pop_back();
        --scale;
      }
      if (digits == "-0") digits = "0";
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
      const bool millis = forms.time == TimePrecisionMode::connect || (typmod >= 0 && typmod <= 3);
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
    case oid::k_time: {
      // adaptive: time(0-3) → io.debezium.time.Time (int32 ms), else MicroTime (int64 µs);
      // adaptive_time_microseconds: always MicroTime; connect: Connect Time (int32 ms).
      auto us = parse_time_of_day(text, nullptr);
      if (!us) return bad_value("time", text);
      return number(time_in_millis(forms.time, typmod) ? *us / 1000 : *us);
    }
    case oid::k_timetz: {
      // io.debezium.time.ZonedTime: the time in UTC as ISO_OFFSET_TIME prints it.
      std::string_view zone;
      auto us = parse_time_of_day(text, &zone);
      auto offset = us ? parse_offset(zone) : std::nullopt;
      if (!offset) return bad_value("timetz", text);
      if (*us == 86'400'000'000LL && *offset == 0) return string("24:00:00Z");
      int64_t utc = (*us - *offset * 1'000'000) % 86'400'000'000LL;
      if (utc < 0) utc += 86'400'000'000LL;
      out += '"';
      append_iso_time(out, utc, true);
      out += '"';
      return {};
    }
    case oid::k_interval: {
      auto iv = parse_pg_interval(text);
      if (!iv) return bad_value("interval", text);
      if (forms.interval == IntervalMode::string) {
        // io.debezium.time.Interval: "P<y>Y<m>M<d>DT<h>H<m>M<s>S", seconds without trailing zeros.
        std::string seconds;
        const bool negative = iv->seconds < 0 || iv->micros < 0;
        seconds = (negative ? "-" : "") + std::to_string(iv->seconds < 0 ? -iv->seconds : iv->seconds);
        if (iv->micros) {
          char digits[6];
          put_digits(digits, iv->micros < 0 ? -iv->micros : iv->micros, 6);
          int n = 6;
          while (digits[n - 1] == '0') --n;
          seconds += '.';
          seconds.append(digits, n);
        }
        return string("P" + std::to_string(iv->years) + "Y" + std::to_string(iv->months) + "M" +
                      std::to_string(iv->days) + "DT" + std::to_string(iv->hours) + "H" +
                      std::to_string(iv->minutes) + "M" + seconds + "S");
      }
      // io.debezium.time.MicroDuration, Debezium's arithmetic (MicroDuration.durationMicros in
      // doubles, 365.25 / 12 = 30.4375 days a month, truncated to a long).
      const double seconds = static_cast<double>(iv->seconds) + static_cast<double>(iv->micros) / 1e6;
      const double days = (static_cast<double>(iv->years) * 12 + static_cast<double>(iv->months)) *
                               (365.25 / 12.0) +
                           static_cast<double>(iv->days);
      const double total = (((days * 24 + static_cast<double>(iv->hours)) * 60) +
                            static_cast<double>(iv->minutes)) * 60 + seconds;
      // Java's (long) cast saturates: PostgreSQL's widest intervals (178 million years) are
      // beyond an int64 of microseconds, and Debezium sends Long.MAX_VALUE / MIN_VALUE for them.
      const double micros = total * 1e6;
      if (micros >= 9223372036854775807.0) return number(std::numeric_limits<int64_t>::max());
      if (micros <= -9223372036854775808.0) return number(std::numeric_limits<int64_t>::min());
      return number(static_cast<int64_t>(micros));
    }
    case oid::k_money: {
      auto unscaled = parse_pg_money(text);
      if (!unscaled) return bad_value("money", text);
      const std::string plain = plain_decimal(*unscaled, forms.money_fraction_digits);
      switch (forms.decimal) {
        case DecimalMode::precise:
          return string(base64(big_endian_twos_complement(*unscaled)));
        case DecimalMode::string:
          return string(plain);
        case DecimalMode::double_: {
          auto v = parse_number<double>(plain);
          if (!v) return bad_value("money", text);
          append_java_double(out, *v, false);
          return {};
        }
      }
      return {};
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
      // io.debezium.time.ZonedTimestamp: as many fraction digits as the column's precision (6
      // without one), none at precision 0.
      append_iso_utc(out, *us, typmod >= 0 && typmod <= 6 ? typmod : 6);
      return {};
    }
    case oid::k_bytea: {
      // bytea_output = hex: "\\x0a1b..."
      auto bytes = parse_pg_bytea(text);
      if (!bytes) return bad_value("bytea", text);
      if (forms.binary == BinaryMode::hex) {
        static constexpr char k_hex[] = "0123456789abcdef";
        std::string hex;
        hex.reserve(bytes->size() * 2);
        for (unsigned char c : *bytes) {
          hex += k_hex[c >> 4];
          hex += k_hex[c & 15];
        }
        return string(hex);
      }
      return string(base64(*bytes));  // bytes (base64 in JSON) and base64
    }
    case oid::k_bit:
    case oid::k_varbit: {
      // bit(1)/varbit(1): a boolean; others io.debezium.data.Bits, java.util.BitSet's bytes.
      auto bytes = parse_pg_bits(text);
      if (!bytes) return bad_value("bit", text);
      if (bits_as_boolean(typmod)) {
        out += bytes->empty() ? "false" : "true";
        return {};
      }
      return string(base64(*bytes));
    }
    case oid::k_point: {
      // io.debezium.data.geometry.Point: x, y, the WKB of the point (little-endian, type 1),
      // no SRID.
      auto xy = parse_pg_point(text);
      if (!xy) return bad_value("point", text);
      auto coordinate = [&](double v) {
        if (std::isnan(v)) return (void)string("NaN");
        if (std::isinf(v)) return (void)string(v > 0 ? "Infinity" : "-Infinity");
        append_java_double(out, v, false);
      };
      out += "{\"x\":";
      coordinate(xy->first);
      out += ",\"y\":";
      coordinate(xy->second);
      std::string wkb = {'\x01', '\x01', '\0', '\0', '\0'};
      for (double v : {xy->first, xy->second}) {
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        for (int i = 0; i < 8; ++i) wkb += static_cast<char>(bits >> (8 * i));
      }
      out += ",\"wkb\":";
      (void)string(base64(wkb));
      out += ",\"srid\":null}";
      return {};
    }
    default:
      if (forms.hstore_oid && type_oid == forms.hstore_oid) {
        // hstore.handling.mode=json: io.debezium.data.Json, the map as Debezium writes it; map:
        // the same object as the value itself (JsonConverter writes a string-keyed map so).
        auto pairs = parse_pg_hstore(text);
        if (!pairs) return bad_value("hstore", text);
        if (forms.hstore == HstoreMode::map) {
          append_hstore_json(out, *pairs);
          return {};
        }
        std::string json;
        append_hstore_json(json, *pairs);
        return string(json);
      }
      if (uint32_t element = element_oid ? element_oid : builtin_array_element(type_oid)) {
        // Debezium 3.6 has no form for a bit array (its converter fails): null and a warning.
        if (is_bit_array(element))
          return make_error(Errc::unsupported, "bit arrays have no Debezium form");
        // A JSON array of the elements' forms (Debezium's schema has one dimension).
        bool nested = false;
        auto elements = parse_pg_array(text, nested);
        if (!elements) return bad_value("array", text);
        out += '[';
        for (size_t i = 0; i < elements->size(); ++i) {
          if (i) out += ',';
          const auto& e = (*elements)[i];
          if (!e)
            out += "null";
          else if (!nested)
            SL_TRY(append_debezium_value(out, element, typmod, *e, forms));
          else if (text_formed(element))
            // More than one dimension: each sub-array is one item, a string item its text
            // ("{a,b}"; Debezium writes the Java array's identity, "[Ljava.lang.String;@…").
            append_json_string(out, *e);
          else
            // Other items have no form for a sub-array: null, as Debezium writes them.
            out += "null";
        }
        out += ']';
        return {};
      }
      // text, varchar, bpchar, json, jsonb, uuid, arrays, enums...: their text form.
      return string(text);
  }
}

}  // namespace sl::cdc
