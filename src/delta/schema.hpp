// The Delta table schema (Spark's StructType), its JSON form (`metaData.schemaString`) and its
// mapping to our Parquet fields.
//
// Sample schemaString (compact, one line in the log):
//   {"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},
//    {"name":"tags","type":{"type":"map","keyType":"string","valueType":"string",
//     "valueContainsNull":true},"nullable":true,"metadata":{}}]}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::delta {

enum class PrimitiveType {
  boolean,
  byte,
  short_,
  integer,
  long_,
  float_,
  double_,
  decimal,
  string,
  binary,
  date,
  timestamp,
  timestamp_ntz,
};

struct StructField;

struct DataType {
  enum class Kind { primitive, struct_, array, map };
  Kind kind = Kind::primitive;
  PrimitiveType primitive = PrimitiveType::string;
  int precision = 0;  // decimal
  int scale = 0;
  std::vector<StructField> fields;  // struct
  std::vector<DataType> children;   // array: [element]; map: [key, value]
  bool contains_null = true;        // array containsNull / map valueContainsNull

  static DataType of(PrimitiveType p);
  static DataType decimal(int precision, int scale);
  bool operator==(const DataType&) const;
};

struct StructField {
  std::string name;
  DataType type;
  bool nullable = true;
  std::string metadata_json = "{}";  // kept verbatim (column mapping ids, comments...)
  bool operator==(const StructField&) const = default;
};

// Defined once StructField is complete (vector<StructField> members need it).
inline DataType DataType::of(PrimitiveType p) {
  DataType t;
  t.primitive = p;
  return t;
}
inline DataType DataType::decimal(int precision, int scale) {
  DataType t = of(PrimitiveType::decimal);
  t.precision = precision;
  t.scale = scale;
  return t;
}

struct Schema {
  std::vector<StructField> fields;
  const StructField* find(std::string_view name) const;
  bool operator==(const Schema&) const = default;
};

// "long", "decimal(10,2)", "array<integer>", "struct<a:long,...>" (for messages and the CLI).
std::string type_to_string(const DataType& type);

Result<Schema> parse_schema_json(std::string_view json);
std::string schema_to_json(const Schema& schema);

// Parquet field of a Delta field (byte/short as int32; timestamp_ntz refused: tables stay at
// protocol (1,2)), and back (what a Parquet file holds, as a Delta type).
Result<columnar::Field> to_parquet_field(const StructField& field);
StructField from_parquet_field(const columnar::Field& field);

// Primitive Delta type name → type ("integer" → integer). Errc::unsupported names it otherwise.
Result<DataType> parse_primitive_type(std::string_view name);

}  // namespace sl::delta
