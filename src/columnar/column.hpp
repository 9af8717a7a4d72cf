// The in-memory columnar data model: logical types, fields, columns and record batches.
//
// A Column holds `length` values of one logical type in contiguous vectors (Arrow-like, simpler):
// fixed-width values in the vector matching the type, strings and binaries as offsets + bytes,
// and a validity vector (1 = present) that is empty when every value is present. A null slot still
// occupies a (meaningless) value position, so positions are row numbers.
//
// Nested columns keep the same rule one level down:
// - struct: one child per field, each with exactly `length` slots (a null struct row holds a null
//   in every child), so child position i is row i;
// - list: `offsets` (length + 1 entries) index into children[0], the elements; row i holds
//   elements [offsets[i], offsets[i+1]); a null row repeats the previous offset (no elements);
// - map: the same `offsets` index into children[0] (keys) and children[1] (values), both with
//   offsets.back() slots.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sl::columnar {

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

// How a value prints when its type alone does not say it (the values and their order are those
// of the TypeId): a timestamp without time zone (no 'Z'), a time of day in the unit of an int32
// (millis) or int64 (micros, nanos) column, a 16-byte binary UUID, a 12-byte Parquet INTERVAL.
enum class Display : uint8_t {
  plain,
  local_timestamp,
  time_millis,
  time_micros,
  time_nanos,
  uuid,
  interval
};

struct DataType {
  TypeId id = TypeId::int64;
  int precision = 0;  // decimal only: 1..38 (unscaled, in i64 up to 18 digits, else in i128)
  int scale = 0;
  // int64 only: the 64 bits are an unsigned integer (Parquet UINT64), printed, parsed and
  // compared as such. UINT32 needs no flag: it is widened to a non-negative int64.
  bool is_unsigned = false;
  Display display = Display::plain;
  bool operator==(const DataType&) const = default;
};

std::string_view type_name(TypeId id);

// Decimals of more than 18 digits do not fit an int64: their unscaled values live in Column::i128.
constexpr int k_max_int64_decimal_precision = 18;
constexpr int k_max_decimal_precision = 38;
inline bool is_wide_decimal(const DataType& t) {
  return t.id == TypeId::decimal && t.precision > k_max_int64_decimal_precision;
}

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
  std::vector<int64_t> i64;       // int64, timestamp_us, decimal ≤ 18 digits (unscaled)
  std::vector<__int128> i128;     // decimal of 19..38 digits (unscaled)
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
  void append_i128(__int128 v);
  void append_f32(float v);
  void append_f64(double v);
  void append_string(std::string_view v);
  // Nested builders; append_null() above works for every type. One present row is built as:
  // 1. struct: append one value (or null) to every child, then append_struct();
  // 2. list: append the row's elements to children[0] (none for an empty list), then end_list();
  // 3. map: append the keys to children[0] and as many values to children[1], then end_list().
  void append_struct();
  void end_list();

  // No rows any more, its buffers kept for the next appends (a builder reusing a column it
  // handed over and got back: no allocation, no page faults, no growth by copies again).
  void clear();

  // Appends rows [begin, end) of `src` (same type and shape), children included.
  void append_rows(const Column& src, size_t begin, size_t end);

  // An empty column shaped like `field`, with its children (recursively).
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

// Row `row` as text, for tests and diagnostics: null, numbers, "strings", binary as 0x.., structs
// {a,b}, lists [a,b], maps {k:v,...} (nested children have no names here).
std::string to_debug_string(const Column& column, size_t row);
// Every row, one per line.
std::string to_debug_string(const Column& column);

struct RecordBatch {
  std::vector<Field> schema;
  std::vector<Column> columns;
  size_t num_rows = 0;
};

}  // namespace sl::columnar
