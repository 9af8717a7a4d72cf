// Reader-side schema mapping: primitive types, nested groups (with the legacy layouts), levels.
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

using columnar::Field;
using columnar::k_max_decimal_precision;
using columnar::TypeId;

Result<Field> logical_field(const SchemaElement& e, Conversion& conv) {
  Field f;
  f.name = e.name;
  f.nullable = e.repetition.value_or(Repetition::optional) != Repetition::required;
  conv.physical = *e.type;
  conv.type_length = e.type_length.value_or(0);
  const auto& lt = e.logical_type;
  bool is_decimal =
      lt.kind == LogicalType::Kind::decimal || e.converted_type == ConvertedType::decimal;
  int precision = lt.kind == LogicalType::Kind::decimal ? lt.precision : e.precision.value_or(0);
  int scale = lt.kind == LogicalType::Kind::decimal ? lt.scale : e.scale.value_or(0);
  if (lt.kind == LogicalType::Kind::float16) {
    // IEEE half floats, little-endian; every one is exact as a float32 (what pyarrow's
    // to_numpy gives too), so no half type is added to the data model.
    if (*e.type != Type::fixed_len_byte_array || conv.type_length != 2) {
      return make_error(
          Errc::corrupt,
          "column '" + e.name + "': FLOAT16 on a type other than FIXED_LEN_BYTE_ARRAY(2)");
    }
    conv.float16 = true;
    f.type = {TypeId::float32};
    return f;
  }
  auto decimal = [&]() -> Result<Field> {
    if (precision < 1 || precision > k_max_decimal_precision) {
      return make_error(Errc::unsupported, "column '" + e.name + "': decimal precision " +
                                               std::to_string(precision) +
                                               " (only up to 38 digits is supported)");
    }
    f.type = {TypeId::decimal, precision, scale};
    return f;
  };
  using columnar::Display;
  const bool is_time = lt.kind == LogicalType::Kind::time ||
                       e.converted_type == ConvertedType::time_millis ||
                       e.converted_type == ConvertedType::time_micros;
  switch (*e.type) {
    case Type::boolean:
      f.type = {TypeId::boolean};
      return f;
    case Type::int32:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::date || e.converted_type == ConvertedType::date) {
        f.type = {TypeId::date32};
      } else if ((lt.kind == LogicalType::Kind::integer && !lt.is_signed && lt.bit_width == 32) ||
                 e.converted_type == ConvertedType::uint_32) {
        f.type = {TypeId::int64};  // UINT32 does not fit int32 (zero-extended by the decoder)
      } else {
        f.type = {TypeId::int32};
        if (is_time) f.type.display = Display::time_millis;
      }
      return f;
    case Type::int64:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::timestamp ||
          e.converted_type == ConvertedType::timestamp_micros ||
          e.converted_type == ConvertedType::timestamp_millis) {
        f.type = {TypeId::timestamp_us};
        auto unit =
            lt.kind == LogicalType::Kind::timestamp
                ? lt.unit
                : (e.converted_type == ConvertedType::timestamp_millis ? LogicalType::Unit::millis
                                                                       : LogicalType::Unit::micros);
        if (unit == LogicalType::Unit::millis) conv.timestamp_factor = 1000;
        if (unit == LogicalType::Unit::nanos) conv.timestamp_divisor = 1000;
        if (lt.kind == LogicalType::Kind::timestamp && !lt.utc_adjusted)
          f.type.display = Display::local_timestamp;  // no time zone: printed without 'Z'
      } else if (is_time) {
        f.type = {TypeId::int64};
        f.type.display = lt.kind == LogicalType::Kind::time && lt.unit == LogicalType::Unit::nanos
                             ? Display::time_nanos
                             : Display::time_micros;
      } else {
        f.type = {TypeId::int64};
        f.type.is_unsigned = (lt.kind == LogicalType::Kind::integer && !lt.is_signed) ||
                             e.converted_type == ConvertedType::uint_64;
      }
      return f;
    case Type::int96:
      f.type = {TypeId::timestamp_us};
      return f;
    case Type::float_:
      f.type = {TypeId::float32};
      return f;
    case Type::double_:
      f.type = {TypeId::float64};
      return f;
    case Type::byte_array:
      if (is_decimal) return decimal();
      if (lt.kind == LogicalType::Kind::string || lt.kind == LogicalType::Kind::json ||
          e.converted_type == ConvertedType::utf8 || e.converted_type == ConvertedType::json) {
        f.type = {TypeId::string};
      } else {
        f.type = {TypeId::binary};
      }
      return f;
    case Type::fixed_len_byte_array:
      if (conv.type_length <= 0)
        return make_error(Errc::corrupt,
                          "column '" + e.name + "': FIXED_LEN_BYTE_ARRAY without a length");
      if (is_decimal) return decimal();
      f.type = {TypeId::binary};
      if (lt.kind == LogicalType::Kind::uuid && conv.type_length == 16)
        f.type.display = Display::uuid;
      if (e.converted_type == ConvertedType::interval && conv.type_length == 12)
        f.type.display = Display::interval;
      return f;
  }
  return make_error(Errc::corrupt, "column '" + e.name + "': unknown physical type " +
                                       std::to_string(static_cast<int>(*e.type)));
}

namespace {

// Deeper schemas are refused (the walk is recursive; real files stay far below).
constexpr int k_max_depth = 64;

bool is_list(const SchemaElement& e) {
  return e.logical_type.kind == LogicalType::Kind::list || e.converted_type == ConvertedType::list;
}

// MAP_KEY_VALUE marks the outer group in legacy files (on a repeated group it is a list entry).
bool is_map(const SchemaElement& e) {
  return e.logical_type.kind == LogicalType::Kind::map || e.converted_type == ConvertedType::map ||
         (e.converted_type == ConvertedType::map_key_value && e.repetition != Repetition::repeated);
}

bool is_group(const SchemaElement& e) {
  return e.num_children.has_value() || !e.type;
}

Repetition repetition_of(const SchemaElement& e) {
  return e.repetition.value_or(Repetition::optional);
}

struct Mapped {
  Field field;
  AssemblyNode node;
};

// Where a node sits: the levels reached when it is present, and the rule of its slots.
struct Levels {
  int definition = 0;  // reached when the node is present
  int repetition = 0;  // repeated nodes above (and including) it
  int slot_definition = 0;
  int slot_repetition = 0;
};

// Walks the flattened schema depth-first, consuming elements from `next_`.
class SchemaWalker {
 public:
  explicit SchemaWalker(const std::vector<SchemaElement>& schema) : schema_(schema) {}

  Result<FileSchema> run() {
    FileSchema out;
    const int32_t top = schema_[0].num_children.value_or(0);
    if (top < 0) return corrupt(0, "negative number of children");
    for (int32_t i = 0; i < top; ++i) {
      SL_ASSIGN_OR_RETURN(Mapped m, field(Levels{}, "", 0));
      out.fields.push_back(std::move(m.field));
      out.roots.push_back(std::move(m.node));
    }
    if (next_ != schema_.size()) {
      return corrupt(0, "the root's " + std::to_string(top) + " children end at element " +
                            std::to_string(next_) + " of " + std::to_string(schema_.size()));
    }
    out.leaves = std::move(leaves_);
    return out;
  }

 private:
  Error corrupt(size_t index, const std::string& why) const {
    const std::string name = index < schema_.size() ? schema_[index].name : "";
    return make_error(Errc::corrupt,
                      "schema element " + std::to_string(index) + " '" + name + "': " + why);
  }

  Result<size_t> take(int depth) {
    if (next_ >= schema_.size())
      return make_error(Errc::corrupt,
                        "schema: a group declares more children than elements follow");
    if (depth > k_max_depth) {
      return make_error(Errc::unsupported, "schema element '" + schema_[next_].name +
                                               "' is nested deeper than " +
                                               std::to_string(k_max_depth) + " levels");
    }
    return next_++;
  }

  int32_t children_of(size_t index) const { return schema_[index].num_children.value_or(0); }

  // A field of a struct (or of the root): optional, required, or repeated (an unannotated list).
  // `parent`: the parent's levels when present.
  Result<Mapped> field(const Levels& parent, const std::string& prefix, int depth) {
    SL_ASSIGN_OR_RETURN(size_t index, take(depth));
    const SchemaElement& e = schema_[index];
    const std::string path = prefix.empty() ? e.name : prefix + "." + e.name;
    const Repetition repetition = repetition_of(e);
    if (repetition != Repetition::repeated) {
      Levels at = parent;
      if (repetition == Repetition::optional) ++at.definition;
      return node(index, at, path, repetition == Repetition::optional, depth);
    }
    // A bare repeated field: a required list (always present with its parent) of required
    // elements, the element being the repeated node itself.
    Mapped list;
    list.field = {e.name, {TypeId::list}, false, {}};
    list.node = slot_node(TypeId::list, path, parent, parent.definition);
    const Levels element_at = repeated_levels(parent);
    repeated_definitions_.push_back(element_at.definition);
    Result<Mapped> element = node(index, element_at, path, false, depth);
    repeated_definitions_.pop_back();
    if (!element) return element.error();
    return wrap_list(std::move(list), std::move(*element));
  }

  static Levels repeated_levels(const Levels& present) {
    Levels r;
    r.definition = present.definition + 1;
    r.repetition = present.repetition + 1;
    r.slot_definition = r.definition;
    r.slot_repetition = r.repetition;
    return r;
  }

  AssemblyNode slot_node(TypeId type, const std::string& path, const Levels& at,
                         int valid_definition) const {
    AssemblyNode n;
    n.type = type;
    n.path = path;
    n.slot_definition_level = at.slot_definition;
    n.slot_repetition_level = at.slot_repetition;
    n.valid_definition_level = valid_definition;
    n.first_leaf = leaves_.size();
    return n;
  }

  Mapped wrap_list(Mapped list, Mapped element) const {
    element.field.name = "element";
    list.field.children.push_back(std::move(element.field));
    list.node.children.push_back(std::move(element.node));
    list.node.leaf_end = leaves_.size();
    return list;
  }

  // The element at `index` (already taken), present at `at`: a primitive, a LIST or MAP group,
  // or a struct.
  Result<Mapped> node(size_t index, const Levels& at, const std::string& path, bool nullable,
                      int depth) {
    const SchemaElement& e = schema_[index];
    if (!is_group(e)) return leaf(index, at, path, nullable);
    if (children_of(index) <= 0) return corrupt(index, "a group without children");
    if (is_list(e)) return list(index, at, path, nullable, depth);
    if (is_map(e)) return map(index, at, path, nullable, depth);
    Mapped s;
    s.field = {e.name, {TypeId::struct_}, nullable, {}};
    s.node = slot_node(TypeId::struct_, path, at, at.definition);
    Levels inside = at;  // struct children share the struct's slots
    for (int32_t k = 0; k < children_of(index); ++k) {
      SL_ASSIGN_OR_RETURN(Mapped child, field(inside, path, depth + 1));
      s.field.children.push_back(std::move(child.field));
      s.node.children.push_back(std::move(child.node));
    }
    s.node.leaf_end = leaves_.size();
    return s;
  }

  Result<Mapped> leaf(size_t index, const Levels& at, const std::string& path, bool nullable) {
    LeafInfo info;
    info.schema_index = index;
    info.path = path;
    SL_ASSIGN_OR_RETURN(info.field, logical_field(schema_[index], info.conversion));
    info.field.nullable = nullable;
    info.max_definition_level = at.definition;
    info.max_repetition_level = at.repetition;
    info.repeated_definition_levels = repeated_definitions_;
    Mapped m;
    m.field = info.field;
    m.node = slot_node(info.field.type.id, path, at, at.definition);
    leaves_.push_back(std::move(info));
    m.node.leaf_end = leaves_.size();
    return m;
  }

  // The repeated child of a LIST or MAP group at `index`.
  Result<size_t> repeated_child(size_t index, int depth) {
    if (children_of(index) != 1)
      return corrupt(index, "a LIST or MAP group must have exactly one (repeated) child");
    SL_ASSIGN_OR_RETURN(size_t child, take(depth + 1));
    if (repetition_of(schema_[child]) != Repetition::repeated)
      return corrupt(child, "the child of a LIST or MAP group must be repeated");
    return child;
  }

  Result<Mapped> list(size_t index, const Levels& at, const std::string& path, bool nullable,
                      int depth) {
    const SchemaElement& e = schema_[index];
    Mapped list;
    list.field = {e.name, {TypeId::list}, nullable, {}};
    list.node = slot_node(TypeId::list, path, at, at.definition);
    SL_ASSIGN_OR_RETURN(size_t r, repeated_child(index, depth));
    const SchemaElement& repeated = schema_[r];
    const Levels element_at = repeated_levels(at);
    repeated_definitions_.push_back(element_at.definition);
    const bool two_level = !is_group(repeated) || children_of(r) > 1 || repeated.name == "array" ||
                           repeated.name == e.name + "_tuple";
    Result<Mapped> element = two_level
                                 ? node(r, element_at, path + "." + repeated.name, false, depth + 1)
                                 : field(element_at, path + "." + repeated.name, depth + 2);
    repeated_definitions_.pop_back();
    if (!element) return element.error();
    return wrap_list(std::move(list), std::move(*element));
  }

  Result<Mapped> map(size_t index, const Levels& at, const std::string& path, bool nullable,
                     int depth) {
    const SchemaElement& e = schema_[index];
    SL_ASSIGN_OR_RETURN(size_t kv, repeated_child(index, depth));
    if (!is_group(schema_[kv]) || children_of(kv) < 1 || children_of(kv) > 2)
      return corrupt(kv, "a MAP's key_value group must hold a key and at most a value");
    const Levels entry_at = repeated_levels(at);
    const std::string kv_path = path + "." + schema_[kv].name;
    repeated_definitions_.push_back(entry_at.definition);
    Result<Mapped> out = [&]() -> Result<Mapped> {
      if (children_of(kv) == 1) {
        // Keys only: a list of keys (pyarrow reads it so).
        Mapped list;
        list.field = {e.name, {TypeId::list}, nullable, {}};
        list.node = slot_node(TypeId::list, path, at, at.definition);
        SL_ASSIGN_OR_RETURN(Mapped key, field(entry_at, kv_path, depth + 2));
        return wrap_list(std::move(list), std::move(key));
      }
      Mapped map;
      map.field = {e.name, {TypeId::map}, nullable, {}};
      map.node = slot_node(TypeId::map, path, at, at.definition);
      const size_t key_index = next_;
      SL_ASSIGN_OR_RETURN(Mapped key, field(entry_at, kv_path, depth + 2));
      if (key.field.nullable) return corrupt(key_index, "map keys must be required");
      SL_ASSIGN_OR_RETURN(Mapped value, field(entry_at, kv_path, depth + 2));
      key.field.name = "key";
      value.field.name = "value";
      map.field.children = {std::move(key.field), std::move(value.field)};
      map.node.children.push_back(std::move(key.node));
      map.node.children.push_back(std::move(value.node));
      map.node.leaf_end = leaves_.size();
      return map;
    }();
    repeated_definitions_.pop_back();
    return out;
  }

  const std::vector<SchemaElement>& schema_;
  size_t next_ = 1;
  std::vector<LeafInfo> leaves_;
  std::vector<int> repeated_definitions_;  // of the repeated nodes above the current one
};

}  // namespace

Result<FileSchema> map_schema(const std::vector<SchemaElement>& schema) {
  if (schema.empty()) return make_error(Errc::corrupt, "schema: no elements");
  return SchemaWalker(schema).run();
}

}  // namespace sl::parquet
