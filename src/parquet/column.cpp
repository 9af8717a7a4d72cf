// Column builders and type names.
#include "parquet/column.hpp"

namespace sl::parquet {

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
    case TypeId::decimal:
      i64.push_back(0);
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

}  // namespace sl::parquet
