// Hand-written parsers of PostgreSQL's text output.
#include "cdc/pg_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/civil_time.hpp"

namespace sl::cdc {

namespace {

// Reads `n` ASCII digits at `p` into `out`; false when one is not a digit.
bool digits(const char* p, int n, int& out) {
  out = 0;
  for (int i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    out = out * 10 + (p[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int64_t> parse_pg_timestamp(std::string_view text, bool with_zone) {
  const char* p = text.data();
  const size_t n = text.size();
  int year, month, day, hour, minute, second;
  if (n < 19 || p[4] != '-' || p[7] != '-' || p[10] != ' ' || p[13] != ':' || p[16] != ':' ||
      !digits(p, 4, year) || !digits(p + 5, 2, month) || !digits(p + 8, 2, day) ||
      !digits(p + 11, 2, hour) || !digits(p + 14, 2, minute) || !digits(p + 17, 2, second) ||
      month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60)
    return std::nullopt;
  size_t i = 19;
  int64_t micros = 0;
  if (i < n && p[i] == '.') {
    ++i;
    int count = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
      if (count < 6) micros = micros * 10 + (p[i] - '0');
      ++count;
      ++i;
    }
    if (count == 0) return std::nullopt;
    for (; count < 6; ++count) micros *= 10;
  }
  int64_t offset_s = 0;
  if (with_zone) {
    if (i >= n || (p[i] != '+' && p[i] != '-')) return std::nullopt;
    const int sign = p[i] == '-' ? -1 : 1;
    ++i;
    int part = 0;
    int parts[3] = {0, 0, 0};
    for (; part < 3; ++part) {
      if (i + 2 > n || !digits(p + i, 2, parts[part])) return std::nullopt;
      i += 2;
      if (i < n && p[i] == ':' && part < 2) {
        ++i;
      } else {
        break;
      }
    }
    offset_s = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  }
  if (i != n) return std::nullopt;
  const int64_t days = days_from_civil({year, month, day});
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return seconds * 1000000 + micros;
}

namespace {

// The general form: "<year>-MM-DD[ HH:MM:SS[.ffffff][zone]][ BC]", any number of year digits.
std::optional<PgInstant> parse_any(std::string_view text, bool with_time, bool with_zone) {
  if (text == "infinity") return PgInstant{PgInstant::Kind::plus_infinity, 0};
  if (text == "-infinity") return PgInstant{PgInstant::Kind::minus_infinity, 0};
  bool bc = false;
  if (text.ends_with(" BC")) {
    bc = true;
    text.remove_suffix(3);
  }
  const char* p = text.data();
  const size_t n = text.size();
  size_t i = 0;
  int64_t year = 0;
  while (i < n && p[i] >= '0' && p[i] <= '9') {
    if (i >= 9) return std::nullopt;  // far beyond PostgreSQL's range
    year = year * 10 + (p[i] - '0');
    ++i;
  }
  int month, day;
  if (i < 4 || i + 6 > n || p[i] != '-' || p[i + 3] != '-' || !digits(p + i + 1, 2, month) ||
      !digits(p + i + 4, 2, day) || month < 1 || month > 12 || day < 1 || day > 31)
    return std::nullopt;
  i += 6;
  if (bc) {
    if (year == 0) return std::nullopt;
    year = 1 - year;
  }
  const int64_t days = days_from_civil({year, month, day});
  if (!with_time) {
    if (i != n) return std::nullopt;
    return PgInstant{PgInstant::Kind::finite, days};
  }
  // The time part and the zone have the fixed layout the fast parser reads: reuse it on a
  // stand-in date of the same length class.
  std::string rest = "2000-01-01";
  rest.append(text.substr(i));
  auto in_day = parse_pg_timestamp(rest, with_zone);
  if (!in_day) return std::nullopt;
  const int64_t base = 946'684'800'000'000LL;  // 2000-01-01 in UTC microseconds
  int64_t micros = 0;
  if (__builtin_mul_overflow(days, int64_t{86'400'000'000LL}, &micros) ||
      __builtin_add_overflow(micros, *in_day - base, &micros))
    return std::nullopt;
  return PgInstant{PgInstant::Kind::finite, micros};
}

}  // namespace

std::optional<PgInstant> parse_pg_date_any(std::string_view text) {
  return parse_any(text, false, false);
}

std::optional<PgInstant> parse_pg_timestamp_any(std::string_view text, bool with_zone) {
  return parse_any(text, true, with_zone);
}

std::optional<std::pair<std::string, int>> split_pg_numeric(std::string_view text) {
  std::string unscaled;
  int scale = 0;
  bool seen_point = false;
  size_t i = 0;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    if (text[0] == '-') unscaled += '-';
    i = 1;
  }
  if (i == text.size()) return std::nullopt;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      unscaled += c;
      if (seen_point) ++scale;
    } else {
      return std::nullopt;
    }
  }
  return std::pair{unscaled, scale};
}

std::string pg_bytea_text(std::string_view bytes) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  for (unsigned char c : bytes) {
    out += k_hex[c >> 4];
    out += k_hex[c & 15];
  }
  return out;
}

std::optional<std::string> parse_pg_bytea(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() / 2 - 1);
  for (size_t i = 2; i < text.size(); i += 2) {
    unsigned int byte = 0;
    auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
    if (ec != std::errc() || ptr != text.data() + i + 2) return std::nullopt;
    bytes.push_back(static_cast<char>(byte));
  }
  return bytes;
}

std::optional<int64_t> parse_pg_integer(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_pg_float(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<std::string> parse_pg_bits(std::string_view text) {
  std::string bytes((text.size() + 7) / 8, '\0');
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[text.size() - 1 - i];  // bit i
    if (c == '1')
      bytes[i / 8] = static_cast<char>(static_cast<unsigned char>(bytes[i / 8]) | (1u << (i % 8)));
    else if (c != '0')
      return std::nullopt;
  }
  while (!bytes.empty() && bytes.back() == '\0') bytes.pop_back();
  return bytes;
}

std::optional<std::pair<double, double>> parse_pg_point(std::string_view text) {
  if (text.size() < 5 || text.front() != '(' || text.back() != ')') return std::nullopt;
  text = text.substr(1, text.size() - 2);
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto x = parse_pg_float(text.substr(0, comma));
  auto y = parse_pg_float(text.substr(comma + 1));
  if (!x || !y) return std::nullopt;
  return std::pair{*x, *y};
}

namespace {

// One hstore key or value at `i`: a quoted string (\ escapes the next character) or a bare word
// up to a separator; `quoted` says which.
std::optional<std::string> hstore_item(std::string_view text, size_t& i, bool& quoted) {
  std::string out;
  quoted = i < text.size() && text[i] == '"';
  if (quoted) {
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && ++i == text.size()) return std::nullopt;
      out += text[i];
    }
    if (i == text.size()) return std::nullopt;
    ++i;
    return out;
  }
  for (; i < text.size() && text[i] != ',' && text[i] != '=' && text[i] != ' ' && text[i] != '"';
       ++i) {
    if (text[i] == '\\' && ++i == text.size()) return std::nullopt;
    out += text[i];
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void skip_blanks(std::string_view text, size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    ++i;
}

}  // namespace

std::optional<HstorePairs> parse_pg_hstore(std::string_view text) {
  HstorePairs out;
  size_t i = 0;
  skip_blanks(text, i);
  while (i < text.size()) {
    bool quoted = false;
    auto key = hstore_item(text, i, quoted);
    if (!key) return std::nullopt;
    skip_blanks(text, i);
    if (!text.substr(i).starts_with("=>")) return std::nullopt;
    i += 2;
    skip_blanks(text, i);
    auto value = hstore_item(text, i, quoted);
    if (!value) return std::nullopt;
    // A bare NULL, in any case, is SQL NULL (hstore_io.c); a quoted "NULL" is the text.
    if (!quoted && value->size() == 4 &&
        std::equal(value->begin(), value->end(), "null", [](char a, char b) {
          return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b;
        }))
      value.reset();
    out.emplace_back(std::move(*key), std::move(value));
    skip_blanks(text, i);
    if (i == text.size()) break;
    if (text[i] != ',') return std::nullopt;
    ++i;
    skip_blanks(text, i);
    if (i == text.size()) return std::nullopt;
  }
  return out;
}

}  // namespace sl::cdc
