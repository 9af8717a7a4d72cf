// Reader-side schema mapping: the file's SchemaElements → logical Fields, the leaves with their
// levels, and the assembly tree that tells which level entries make the slots of each node.
//
// Nested groups are read per LogicalTypes.md, backward-compatibility rules included:
// - LIST group with one repeated child `r`: the element is `r` itself (required) when `r` is a
//   primitive, a group of several fields, or a group named `array` or `<list name>_tuple`
//   (2-level lists); otherwise the element is r's only child (the standard 3-level list);
// - MAP (or legacy MAP_KEY_VALUE) group with one repeated key_value group: key = its first child,
//   value = its second; a key_value group with only a key reads as a list of keys (as pyarrow
//   does); an optional key is refused (pyarrow refuses it too);
// - a repeated field outside a LIST/MAP group is a required list of required elements;
// - any other group is a struct. Children are matched by position, never by name.
#pragma once

#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::parquet {

// How stored values become the logical type.
struct Conversion {
  Type physical = Type::int32;
  int32_t type_length = 0;
  int64_t timestamp_factor = 1;   // micros per stored unit (1000 for millis)
  int64_t timestamp_divisor = 1;  // stored units per micro (1000 for nanos)
  bool float16 = false;           // FIXED_LEN_BYTE_ARRAY(2) FLOAT16, widened to float32
};

struct LeafInfo {
  size_t schema_index = 0;  // into FileMetaData.schema
  std::string path;         // dotted, for messages
  columnar::Field field;    // the logical primitive field
  Conversion conversion;
  int max_definition_level = 0;
  int max_repetition_level = 0;
  // [r - 1]: the definition level of the repeated node at repetition level r. An entry that
  // continues at level r must reach it (a later element of a null or empty list is corrupt).
  std::vector<int> repeated_definition_levels;
};

// A logical node with the levels that locate its slots among the entries of any leaf below it:
// an entry with rep <= slot_repetition_level and def >= slot_definition_level begins a slot, and
// the slot is non-null when def >= valid_definition_level.
struct AssemblyNode {
  columnar::TypeId type = columnar::TypeId::int64;
  std::string path;  // dotted, for messages
  int slot_definition_level = 0;
  int slot_repetition_level = 0;
  int valid_definition_level = 0;
  size_t first_leaf = 0;  // index into FileSchema.leaves
  size_t leaf_end = 0;    // one past the last leaf below
  std::vector<AssemblyNode> children;
};

struct FileSchema {
  std::vector<columnar::Field> fields;  // top-level logical fields
  std::vector<AssemblyNode> roots;      // one per top-level field
  std::vector<LeafInfo> leaves;         // depth-first: the order of the column chunks
};

// The logical type of a primitive element (conversion filled in).
Result<columnar::Field> logical_field(const SchemaElement& element, Conversion& conversion);

// Maps the whole schema (root first). Errors name the element.
Result<FileSchema> map_schema(const std::vector<SchemaElement>& schema);

}  // namespace sl::parquet
