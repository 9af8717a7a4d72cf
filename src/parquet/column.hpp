// The in-memory columnar data model: logical types, fields, columns and record batches.
//
// A Column holds `length` values of one logical type in contiguous vectors (Arrow-like, simpler):
// fixed-width values in the vector matching the type, strings and binaries as offsets + bytes,
// and a validity vector (1 = present) that is empty when every value is present. A null slot still
// occupies a (meaningless) value position, so positions are row numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sl::parquet {

enum class TypeId {
  boolean,
  int32,
  int64,
  float32,
  float64,
  string,
  binary,
  date32,
  timestamp_us,
  decimal,
  struct_,  // children = the fields
  list,     // children[0] = the element field ("element")
  map       // children[0] = key ("key", required), children[1] = value ("value")
};

struct DataType {
  TypeId id = TypeId::int64;
  int precision = 0;  // decimal only: 1..18 (stored as unscaled int64)
  int scale = 0;
  bool operator==(const DataType&) const = default;
};

std::string_view type_name(TypeId id);

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;
  std::vector<Field> children;  // struct, list and map only (see TypeId)
};

struct Column {
  DataType type;
  size_t length = 0;
  std::vector<uint8_t> validity;  // empty = all valid
  std::vector<uint8_t> bools;     // boolean
  std::vector<int32_t> i32;       // int32, date32
  std::vector<int64_t> i64;       // int64, timestamp_us, decimal (unscaled)
  std::vector<float> f32;
  std::vector<double> f64;
  std::vector<uint32_t> offsets;  // string/binary: length + 1 entries; list/map: into children
  std::string bytes;
  // struct: one child per field, each with `length` slots; list: [elements]; map: [keys, values].
  std::vector<Column> children;

  bool is_valid(size_t i) const { return validity.empty() || validity[i] != 0; }
  size_t null_count() const;
  std::string_view string_at(size_t i) const {
    return std::string_view(bytes).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }

  // Builders (append one value or a null); they keep `length`, validity and offsets consistent.
  void append_null();
  void append_bool(bool v);
  void append_i32(int32_t v);
  void append_i64(int64_t v);
  void append_f32(float v);
  void append_f64(double v);
  void append_string(std::string_view v);
  // Nested: a present struct row (the caller appends one value to every child); a list or map
  // row ends after the caller appended its elements to children[0] (and values to children[1]).
  void append_struct();
  void end_list();

  // An empty column shaped like `field`, with its children.
  static Column for_field(const Field& field);

  explicit Column(DataType t = {}) : type(t) {
    if (t.id == TypeId::string || t.id == TypeId::binary || t.id == TypeId::list ||
        t.id == TypeId::map) {
      offsets.push_back(0);
    }
  }

 private:
  void mark_valid();
};

struct RecordBatch {
  std::vector<Field> schema;
  std::vector<Column> columns;
  size_t num_rows = 0;
};

}  // namespace sl::parquet
