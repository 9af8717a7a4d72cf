// Partition values and paths.
#include "delta/partitions.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "common/civil_time.hpp"

namespace sl::delta {

using columnar::TypeId;

namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

void append_escaped(std::string& out, char c) {
  char buffer[4];
  std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
  out += buffer;
}

// `column` is "partition column 'day'" or "column 'id'": a filter literal is not a partition value.
Error bad_value(std::string_view column, std::string_view value, std::string_view type) {
  return make_error(Errc::parse, std::string(column) + ": '" + std::string(value) +
                                     "' is not a valid " + std::string(type));
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

template <class T>
Result<T> parse_number(std::string_view text, std::string_view column, std::string_view type) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return bad_value(column, text, type);
  return v;
}

}  // namespace

Result<std::optional<std::string>> partition_value_of(const columnar::Column& c, size_t row,
                                                      std::string_view name) {
  if (!c.is_valid(row)) return std::optional<std::string>{};
  switch (c.type.id) {
    case TypeId::boolean:
      return std::optional<std::string>(c.bools[row] ? "true" : "false");
    case TypeId::int32:
      return std::optional<std::string>(std::to_string(c.i32[row]));
    case TypeId::int64:
      return std::optional<std::string>(c.type.is_unsigned
                                            ? std::to_string(static_cast<uint64_t>(c.i64[row]))
                                            : std::to_string(c.i64[row]));
    case TypeId::string:
      return std::optional<std::string>(std::string(c.string_at(row)));
    case TypeId::date32:
      return std::optional<std::string>(format_date(c.i32[row]));
    case TypeId::timestamp_us:
      return std::optional<std::string>(format_timestamp_us(c.i64[row], ' ', false));
    default:
      return make_error(Errc::unsupported,
                        "partition column '" + std::string(name) + "' of type " +
                            std::string(columnar::type_name(c.type.id)) +
                            " is not supported (use a string, integer, boolean or date)");
  }
}

namespace {

// `name`: the column as messages call it ("partition column 'day'", "column 'id'").
// A TIME literal "HH:MM[:SS[.fffffffff]]" (hour 0-24, as printed) in units of 10^-digits s;
// nullopt when the text is not one (or has more fraction digits than the unit holds).
std::optional<int64_t> parse_time_of_day(std::string_view v, int digits) {
  auto two = [&](size_t at) -> int {
    if (at + 2 > v.size() || !std::isdigit(static_cast<unsigned char>(v[at])) ||
        !std::isdigit(static_cast<unsigned char>(v[at + 1])))
      return -1;
    return (v[at] - '0') * 10 + (v[at + 1] - '0');
  };
  const int h = two(0), m = v.size() >= 5 && v[2] == ':' ? two(3) : -1;
  if (h < 0 || h > 24 || m < 0 || m > 59) return std::nullopt;
  int sec = 0;
  size_t i = 5;
  if (i < v.size()) {
    if (v[i] != ':' || (sec = two(i + 1)) < 0 || sec > 59) return std::nullopt;
    i += 3;
  }
  int64_t per_second = 1;
  for (int k = 0; k < digits; ++k) per_second *= 10;
  int64_t fraction = 0;
  if (i < v.size()) {
    if (v[i] != '.' || i + 1 == v.size()) return std::nullopt;
    int n = 0;
    for (++i; i < v.size(); ++i, ++n) {
      if (!std::isdigit(static_cast<unsigned char>(v[i])) || n >= digits) return std::nullopt;
      fraction = fraction * 10 + (v[i] - '0');
    }
    for (; n < digits; ++n) fraction *= 10;
  }
  const int64_t units = ((h * 60LL + m) * 60 + sec) * per_second + fraction;
  if (units > 86'400 * per_second) return std::nullopt;
  return units;
}

Status append_typed_value(columnar::Column& c, const std::optional<std::string>& value,
                          const std::string& name, BooleanCase booleans) {
  if (!value || value->empty()) {
    c.append_null();
    return {};
  }
  const std::string& v = *value;
  switch (c.type.id) {
    case TypeId::boolean:
      // Spark and delta-rs write "true"/"false"; people type TRUE and False too.
      if (booleans == BooleanCase::exact ? v != "true" && v != "false"
                                         : !equals_ignoring_case(v, "true") &&
                                               !equals_ignoring_case(v, "false"))
        return bad_value(name, v, "boolean");
      c.append_bool(equals_ignoring_case(v, "true"));
      return {};
    case TypeId::int32: {
      if (c.type.display == columnar::Display::time_millis) {
        // A TIME column takes the time of day as it prints ("08:30:00.250").
        auto t = parse_time_of_day(v, 3);
        if (!t) return bad_value(name, v, "time (HH:MM:SS.fff)");
        c.append_i32(static_cast<int32_t>(*t));
        return {};
      }
      SL_ASSIGN_OR_RETURN(auto n, parse_number<int32_t>(v, name, "integer"));
      c.append_i32(n);
      return {};
    }
    case TypeId::int64: {
      if (c.type.display == columnar::Display::time_micros ||
          c.type.display == columnar::Display::time_nanos) {
        const bool nanos = c.type.display == columnar::Display::time_nanos;
        auto t = parse_time_of_day(v, nanos ? 9 : 6);
        if (!t) return bad_value(name, v, nanos ? "time (HH:MM:SS.fffffffff)" : "time (HH:MM:SS.ffffff)");
        c.append_i64(*t);
        return {};
      }
      if (c.type.is_unsigned) {
        SL_ASSIGN_OR_RETURN(auto n, parse_number<uint64_t>(v, name, "unsigned long"));
        c.append_i64(static_cast<int64_t>(n));
        return {};
      }
      SL_ASSIGN_OR_RETURN(auto n, parse_number<int64_t>(v, name, "long"));
      c.append_i64(n);
      return {};
    }
    case TypeId::float32: {
      SL_ASSIGN_OR_RETURN(auto n, parse_number<float>(v, name, "float"));
      c.append_f32(n);
      return {};
    }
    case TypeId::float64: {
      SL_ASSIGN_OR_RETURN(auto n, parse_number<double>(v, name, "double"));
      c.append_f64(n);
      return {};
    }
    case TypeId::string:
    case TypeId::binary:
      c.append_string(v);
      return {};
    case TypeId::date32: {
      auto d = parse_date(v);
      if (!d) return bad_value(name, v, "date");
      c.append_i32(static_cast<int32_t>(*d));
      return {};
    }
    case TypeId::timestamp_us: {
      auto t = parse_timestamp(v);
      if (!t) return bad_value(name, v, "timestamp");
      c.append_i64(*t);
      return {};
    }
    case TypeId::decimal: {
      // "12.30" at scale s → unscaled integer.
      std::string digits;
      int fraction_digits = -1;
      for (char ch : v) {
        if (ch == '.') {
          if (fraction_digits >= 0) return bad_value(name, v, "decimal");
          fraction_digits = 0;
        } else {
          digits += ch;
          if (fraction_digits >= 0 && ch >= '0' && ch <= '9') ++fraction_digits;
        }
      }
      if (fraction_digits < 0) fraction_digits = 0;
      if (fraction_digits > c.type.scale) return bad_value(name, v, "decimal at this scale");
      digits.append(static_cast<size_t>(c.type.scale - fraction_digits), '0');
      if (!columnar::is_wide_decimal(c.type)) {
        SL_ASSIGN_OR_RETURN(auto n, parse_number<int64_t>(digits, name, "decimal"));
        c.append_i64(n);
        return {};
      }
      // from_chars has no 128-bit form: accumulate the (at most 38) digits.
      std::string_view d = digits;
      bool negative = !d.empty() && d.front() == '-';
      if (negative) d.remove_prefix(1);
      if (d.empty() || d.size() > static_cast<size_t>(columnar::k_max_decimal_precision)) {
        return bad_value(name, v, "decimal");
      }
      __int128 n = 0;
      for (char ch : d) {
        if (ch < '0' || ch > '9') return bad_value(name, v, "decimal");
        n = n * 10 + (ch - '0');
      }
      c.append_i128(negative ? -n : n);
      return {};
    }
    default:
      return make_error(Errc::unsupported, name + " has a nested type");
  }
}

}  // namespace

bool same_partition_value(const columnar::Column& c, size_t a, size_t b) {
  const bool valid_a = c.is_valid(a), valid_b = c.is_valid(b);
  if (!valid_a || !valid_b) return valid_a == valid_b;
  switch (c.type.id) {
    case TypeId::boolean:
      return (c.bools[a] != 0) == (c.bools[b] != 0);
    case TypeId::int32:
    case TypeId::date32:
      return c.i32[a] == c.i32[b];
    case TypeId::int64:
    case TypeId::timestamp_us:
      return c.i64[a] == c.i64[b];
    case TypeId::string:
      return c.string_at(a) == c.string_at(b);
    default:
      return true;  // not a partition type: partition_value_of refuses it with its first row
  }
}

void append_partition_key(const columnar::Column& c, size_t row, std::string& key) {
  if (!c.is_valid(row)) {
    key += '\0';
    return;
  }
  key += '\1';
  auto raw = [&key](const auto& v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  switch (c.type.id) {
    case TypeId::boolean:
      key += static_cast<char>(c.bools[row] != 0);
      break;
    case TypeId::int32:
    case TypeId::date32:
      raw(c.i32[row]);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      raw(c.i64[row]);
      break;
    case TypeId::string: {
      const auto v = c.string_at(row);
      raw(static_cast<uint32_t>(v.size()));
      key.append(v);
      break;
    }
    default:
      break;  // see same_partition_value
  }
}

Status append_partition_value(columnar::Column& c, const std::optional<std::string>& value,
                              std::string_view name) {
  return append_typed_value(c, value, "partition column '" + std::string(name) + "'",
                            BooleanCase::exact);
}

Status append_literal_value(columnar::Column& c, const std::string& text, std::string_view name,
                            BooleanCase booleans) {
  return append_typed_value(c, text, "column '" + std::string(name) + "'", booleans);
}

std::string partition_directory(std::string_view column, const std::optional<std::string>& value) {
  std::string out;
  for (char c : column) unreserved(c) ? void(out += c) : append_escaped(out, c);
  out += '=';
  if (!value) return out + "__HIVE_DEFAULT_PARTITION__";
  for (char c : *value) unreserved(c) ? void(out += c) : append_escaped(out, c);
  return out;
}

std::string encode_uri_path(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (unreserved(c) || c == '/' || c == '=' || c == ':') {
      out += c;
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

Result<std::string> decode_uri_path(std::string_view uri) {
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] != '%') {
      out += uri[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= uri.size() ||
        std::from_chars(uri.data() + i + 1, uri.data() + i + 3, value, 16).ptr !=
            uri.data() + i + 3) {
      return make_error(Errc::parse, "bad percent-encoding in path '" + std::string(uri) + "'");
    }
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace sl::delta
