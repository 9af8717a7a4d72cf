// Column builders, row copying, debug text and type names.
#include "columnar/column.hpp"

#include <charconv>

#include "common/decimal_text.hpp"

namespace sl::columnar {

std::string_view type_name(TypeId id) {
  switch (id) {
    case TypeId::boolean:
      return "boolean";
    case TypeId::int32:
      return "int32";
    case TypeId::int64:
      return "int64";
    case TypeId::float32:
      return "float";
    case TypeId::float64:
      return "double";
    case TypeId::string:
      return "string";
    case TypeId::binary:
      return "binary";
    case TypeId::date32:
      return "date";
    case TypeId::timestamp_us:
      return "timestamp";
    case TypeId::decimal:
      return "decimal";
    case TypeId::struct_:
      return "struct";
    case TypeId::list:
      return "list";
    case TypeId::map:
      return "map";
  }
  return "unknown";
}

size_t Column::null_count() const {
  size_t n = 0;
  for (uint8_t v : validity) n += v == 0;
  return n;
}

void Column::mark_valid() {
  if (!validity.empty()) validity.push_back(1);
  ++length;
}

void Column::append_null() {
  if (validity.empty()) validity.assign(length, 1);
  validity.push_back(0);
  switch (type.id) {
    case TypeId::boolean:
      bools.push_back(0);
      break;
    case TypeId::int32:
    case TypeId::date32:
      i32.push_back(0);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      i64.push_back(0);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(type)) {
        i128.push_back(0);
      } else {
        i64.push_back(0);
      }
      break;
    case TypeId::float32:
      f32.push_back(0);
      break;
    case TypeId::float64:
      f64.push_back(0);
      break;
    case TypeId::string:
    case TypeId::binary:
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
      break;
    case TypeId::struct_:
      for (auto& child : children) child.append_null();
      break;
    case TypeId::list:
    case TypeId::map:
      offsets.push_back(offsets.back());
      break;
  }
  ++length;
}

Column Column::for_field(const Field& field) {
  Column c(field.type);
  for (const auto& child : field.children) c.children.push_back(for_field(child));
  return c;
}

void Column::append_struct() {
  mark_valid();
}

void Column::end_list() {
  offsets.push_back(static_cast<uint32_t>(children.at(0).length));
  mark_valid();
}

void Column::append_bool(bool v) {
  bools.push_back(v ? 1 : 0);
  mark_valid();
}
void Column::append_i32(int32_t v) {
  i32.push_back(v);
  mark_valid();
}
void Column::append_i64(int64_t v) {
  i64.push_back(v);
  mark_valid();
}
void Column::append_i128(__int128 v) {
  i128.push_back(v);
  mark_valid();
}
void Column::append_f32(float v) {
  f32.push_back(v);
  mark_valid();
}
void Column::append_f64(double v) {
  f64.push_back(v);
  mark_valid();
}
void Column::append_string(std::string_view v) {
  bytes.append(v);
  offsets.push_back(static_cast<uint32_t>(bytes.size()));
  mark_valid();
}

void Column::clear() {
  length = 0;
  validity.clear();
  bools.clear();
  i32.clear();
  i64.clear();
  i128.clear();
  f32.clear();
  f64.clear();
  bytes.clear();
  const bool offset_based = !offsets.empty();
  offsets.clear();
  if (offset_based) offsets.push_back(0);
  for (auto& child : children) child.clear();
}

void Column::append_rows(const Column& src, size_t begin, size_t end) {
  if (begin >= end) return;
  auto copy = [&](auto& dst_values, const auto& src_values) {
    dst_values.insert(dst_values.end(), src_values.begin() + static_cast<long>(begin),
                      src_values.begin() + static_cast<long>(end));
  };
  switch (type.id) {
    case TypeId::boolean:
      copy(bools, src.bools);
      break;
    case TypeId::int32:
    case TypeId::date32:
      copy(i32, src.i32);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      copy(i64, src.i64);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(type)) {
        copy(i128, src.i128);
      } else {
        copy(i64, src.i64);
      }
      break;
    case TypeId::float32:
      copy(f32, src.f32);
      break;
    case TypeId::float64:
      copy(f64, src.f64);
      break;
    case TypeId::string:
    case TypeId::binary: {
      const uint32_t first = src.offsets[begin];
      const auto base = static_cast<uint32_t>(bytes.size());
      bytes.append(src.bytes, first, src.offsets[end] - first);
      for (size_t i = begin; i < end; ++i) offsets.push_back(base + src.offsets[i + 1] - first);
      break;
    }
    case TypeId::struct_:
      for (size_t k = 0; k < children.size(); ++k)
        children[k].append_rows(src.children[k], begin, end);
      break;
    case TypeId::list:
    case TypeId::map: {
      const uint32_t first = src.offsets[begin];
      const uint32_t last = src.offsets[end];
      const auto base = static_cast<uint32_t>(children.at(0).length);
      for (size_t k = 0; k < children.size(); ++k)
        children[k].append_rows(src.children[k], first, last);
      for (size_t i = begin; i < end; ++i) offsets.push_back(base + src.offsets[i + 1] - first);
      break;
    }
  }
  if (!validity.empty() || !src.validity.empty()) {
    if (validity.empty()) validity.assign(length, 1);
    for (size_t i = begin; i < end; ++i) validity.push_back(src.is_valid(i) ? 1 : 0);
  }
  length += end - begin;
}

namespace {

template <class T>
void append_number(std::string& out, T v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

void append_debug(const Column& c, size_t i, std::string& out) {
  if (!c.is_valid(i)) {
    out += "null";
    return;
  }
  switch (c.type.id) {
    case TypeId::boolean:
      out += c.bools[i] ? "true" : "false";
      return;
    case TypeId::int32:
    case TypeId::date32:
      append_number(out, c.i32[i]);
      return;
    case TypeId::int64:
    case TypeId::timestamp_us:
      if (c.type.is_unsigned) {
        append_number(out, static_cast<uint64_t>(c.i64[i]));
      } else {
        append_number(out, c.i64[i]);
      }
      return;
    case TypeId::decimal:  // the unscaled value
      if (is_wide_decimal(c.type)) {
        out += decimal_text(c.i128[i], 0);
      } else {
        append_number(out, c.i64[i]);
      }
      return;
    case TypeId::float32:
      append_number(out, c.f32[i]);
      return;
    case TypeId::float64:
      append_number(out, c.f64[i]);
      return;
    case TypeId::string:
      out += '"';
      out += c.string_at(i);
      out += '"';
      return;
    case TypeId::binary: {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "0x";
      for (unsigned char ch : c.string_at(i)) {
        out += k_hex[ch >> 4];
        out += k_hex[ch & 15];
      }
      return;
    }
    case TypeId::struct_:
      out += '{';
      for (size_t k = 0; k < c.children.size(); ++k) {
        if (k) out += ',';
        append_debug(c.children[k], i, out);
      }
      out += '}';
      return;
    case TypeId::list:
    case TypeId::map: {
      const bool is_map = c.type.id == TypeId::map;
      out += is_map ? '{' : '[';
      for (uint32_t k = c.offsets[i]; k < c.offsets[i + 1]; ++k) {
        if (k != c.offsets[i]) out += ',';
        append_debug(c.children[0], k, out);
        if (is_map) {
          out += ':';
          append_debug(c.children[1], k, out);
        }
      }
      out += is_map ? '}' : ']';
      return;
    }
  }
}

}  // namespace

std::string to_debug_string(const Column& column, size_t row) {
  std::string out;
  append_debug(column, row, out);
  return out;
}

std::string to_debug_string(const Column& column) {
  std::string out;
  for (size_t i = 0; i < column.length; ++i) {
    append_debug(column, i, out);
    out += '\n';
  }
  return out;
}

}  // namespace sl::columnar
