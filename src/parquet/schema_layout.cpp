// Logical fields → standard Parquet schema elements and leaf columns.
#include "parquet/schema_layout.hpp"

#include <cmath>

namespace sl::parquet {

using columnar::Field;
using columnar::is_wide_decimal;
using columnar::k_max_decimal_precision;
using columnar::TypeId;

namespace {

// The fewest bytes whose two's complement holds every `precision`-digit value (Spark's
// minBytesForPrecision): 19..20 digits → 9 bytes ... 37..38 → 16.
int32_t decimal_bytes_for(int precision) {
  int32_t bytes = 1;
  long double largest = 1;
  for (int i = 0; i < precision; ++i) largest *= 10;
  while (std::ldexp(1.0L, 8 * bytes - 1) < largest) ++bytes;
  return bytes;
}

Status check_field(const Field& f, const std::string& path) {
  auto refuse = [&](const std::string& why) {
    return make_error(Errc::unsupported, "parquet: field '" + path + "': " + why);
  };
  switch (f.type.id) {
    case TypeId::struct_:
      if (f.children.empty()) return refuse("a struct needs at least one field");
      break;
    case TypeId::list:
      if (f.children.size() != 1) return refuse("a list has exactly one child, the element");
      break;
    case TypeId::map:
      if (f.children.size() != 2) return refuse("a map has exactly two children, key and value");
      if (f.children[0].nullable) return refuse("map keys must be non-nullable");
      break;
    case TypeId::decimal:
      if (f.type.precision < 1 || f.type.precision > k_max_decimal_precision || f.type.scale < 0 ||
          f.type.scale > f.type.precision) {
        return refuse("decimal(" + std::to_string(f.type.precision) + "," +
                      std::to_string(f.type.scale) +
                      "): precision must be 1..38 and scale 0..precision");
      }
      [[fallthrough]];
    default:
      if (!f.children.empty()) return refuse("a primitive field has no children");
      return {};
  }
  for (const auto& child : f.children) SL_TRY(check_field(child, path + "." + child.name));
  return {};
}

SchemaElement group_element(const std::string& name, std::optional<Repetition> repetition,
                            size_t children) {
  SchemaElement e;
  e.name = name;
  e.repetition = repetition;
  e.num_children = static_cast<int32_t>(children);
  return e;
}

Repetition repetition_of(const Field& f) {
  return f.nullable ? Repetition::optional : Repetition::required;
}

// `field` under the name the standard layout gives it (element, key, value).
Field renamed(const Field& field, std::string_view name) {
  Field f = field;
  f.name = name;
  return f;
}

void collect_leaves(const Field& f, std::vector<std::string>& path, int def, int rep,
                    std::vector<LeafColumn>& out) {
  path.push_back(f.name);
  if (f.nullable) ++def;
  switch (f.type.id) {
    case TypeId::struct_:
      for (const auto& child : f.children) collect_leaves(child, path, def, rep, out);
      break;
    case TypeId::list:
      path.emplace_back(k_list_group);
      collect_leaves(renamed(f.children[0], k_list_element), path, def + 1, rep + 1, out);
      path.pop_back();
      break;
    case TypeId::map:
      path.emplace_back(k_map_group);
      collect_leaves(renamed(f.children[0], k_map_key), path, def + 1, rep + 1, out);
      collect_leaves(renamed(f.children[1], k_map_value), path, def + 1, rep + 1, out);
      path.pop_back();
      break;
    default:
      out.push_back({path, f, def, rep});
      break;
  }
  path.pop_back();
}

}  // namespace

Status check_schema(const std::vector<Field>& schema) {
  for (const auto& f : schema) SL_TRY(check_field(f, f.name));
  return {};
}

SchemaElement schema_element_for(const Field& field) {
  SchemaElement e;
  e.name = field.name;
  e.repetition = field.nullable ? Repetition::optional : Repetition::required;
  switch (field.type.id) {
    case TypeId::boolean:
      e.type = Type::boolean;
      break;
    case TypeId::int32:
      e.type = Type::int32;
      break;
    case TypeId::int64:
      e.type = Type::int64;
      break;
    case TypeId::float32:
      e.type = Type::float_;
      break;
    case TypeId::float64:
      e.type = Type::double_;
      break;
    case TypeId::string:
      e.type = Type::byte_array;
      e.converted_type = ConvertedType::utf8;
      e.logical_type.kind = LogicalType::Kind::string;
      break;
    case TypeId::binary:
      e.type = Type::byte_array;
      break;
    case TypeId::date32:
      e.type = Type::int32;
      e.converted_type = ConvertedType::date;
      e.logical_type.kind = LogicalType::Kind::date;
      break;
    case TypeId::timestamp_us:
      e.type = Type::int64;
      e.converted_type = ConvertedType::timestamp_micros;
      e.logical_type.kind = LogicalType::Kind::timestamp;
      e.logical_type.utc_adjusted = true;
      e.logical_type.unit = LogicalType::Unit::micros;
      break;
    case TypeId::decimal:
      // Spark's non-legacy layout: precision <= 9 in INT32, <= 18 in INT64, else the smallest
      // FIXED_LEN_BYTE_ARRAY that holds it.
      if (is_wide_decimal(field.type)) {
        e.type = Type::fixed_len_byte_array;
        e.type_length = decimal_bytes_for(field.type.precision);
      } else {
        e.type = field.type.precision <= 9 ? Type::int32 : Type::int64;
      }
      e.converted_type = ConvertedType::decimal;
      e.scale = field.type.scale;
      e.precision = field.type.precision;
      e.logical_type.kind = LogicalType::Kind::decimal;
      e.logical_type.scale = field.type.scale;
      e.logical_type.precision = field.type.precision;
      break;
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // groups: see append_schema_elements
  }
  return e;
}

void append_schema_elements(const Field& f, std::vector<SchemaElement>& out) {
  switch (f.type.id) {
    case TypeId::struct_:
      out.push_back(group_element(f.name, repetition_of(f), f.children.size()));
      for (const auto& child : f.children) append_schema_elements(child, out);
      return;
    case TypeId::list: {
      SchemaElement list = group_element(f.name, repetition_of(f), 1);
      list.converted_type = ConvertedType::list;
      list.logical_type.kind = LogicalType::Kind::list;
      out.push_back(list);
      out.push_back(group_element(std::string(k_list_group), Repetition::repeated, 1));
      append_schema_elements(renamed(f.children[0], k_list_element), out);
      return;
    }
    case TypeId::map: {
      SchemaElement map = group_element(f.name, repetition_of(f), 1);
      map.converted_type = ConvertedType::map;
      map.logical_type.kind = LogicalType::Kind::map;
      out.push_back(map);
      out.push_back(group_element(std::string(k_map_group), Repetition::repeated, 2));
      append_schema_elements(renamed(f.children[0], k_map_key), out);
      append_schema_elements(renamed(f.children[1], k_map_value), out);
      return;
    }
    default:
      out.push_back(schema_element_for(f));
      return;
  }
}

std::vector<LeafColumn> leaf_columns(const Field& field) {
  std::vector<LeafColumn> out;
  std::vector<std::string> path;
  collect_leaves(field, path, 0, 0, out);
  return out;
}

}  // namespace sl::parquet
