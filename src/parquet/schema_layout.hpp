// Writer-side schema layout: logical Fields → Parquet SchemaElements in the standard nested
// layouts, and the leaf columns with their paths and maximum levels.
//
// Layouts written (LogicalTypes.md "Nested types"), `<r>` being required or optional:
//   struct: <r> group name { fields... }
//   list:   <r> group name (LIST) { repeated group list { <r> element; } }
//   map:    <r> group name (MAP) { repeated group key_value { required key; <r> value; } }
// Leaves are numbered depth-first; along a leaf's path max_definition_level counts the optional
// and repeated nodes, max_repetition_level the repeated ones.
#pragma once

#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::parquet {

// Names of the standard nested layouts.
constexpr std::string_view k_list_group = "list";
constexpr std::string_view k_list_element = "element";
constexpr std::string_view k_map_group = "key_value";
constexpr std::string_view k_map_key = "key";
constexpr std::string_view k_map_value = "value";

struct LeafColumn {
  std::vector<std::string> path;  // path_in_schema
  columnar::Field field;          // the primitive field of the leaf
  int max_definition_level = 0;
  int max_repetition_level = 0;
};

// Refuses what the writer cannot express: decimal precision outside 1..38, a list without exactly
// one child, a map without a non-nullable key and a value, an empty struct, children on a
// primitive field. Messages name the field by its dotted path.
Status check_schema(const std::vector<columnar::Field>& schema);

// Physical type and annotations of a primitive field.
SchemaElement schema_element_for(const columnar::Field& field);

// Appends the elements of `field` (depth-first: a group, then its children).
void append_schema_elements(const columnar::Field& field, std::vector<SchemaElement>& out);

// The leaves of one top-level field, depth-first.
std::vector<LeafColumn> leaf_columns(const columnar::Field& field);

}  // namespace sl::parquet
