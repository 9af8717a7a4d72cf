// Record assembly (Dremel): the level entries and values of the leaves of one top-level field →
// one nested Column, the inverse of RecordShredder.
//
// Each node reads the entries of the first leaf below it (all leaves below a node agree on its
// slots): an entry begins a slot of the node when rep <= slot_repetition_level and
// def >= slot_definition_level (AssemblyNode), and the slot is non-null when
// def >= valid_definition_level. A list or map counts, for each of its slots, the slots its
// element (or key) node begins before the next one: these counts are its offsets. A leaf takes
// the next value for each non-null slot. Children of a struct must have as many slots as the
// struct, the elements of a list as many as its offsets say, else the file is corrupt.
#pragma once

#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/column_chunk_reader.hpp"
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

// `leaves[i]` holds leaf `root.first_leaf + i`; their values are moved into the result.
Result<columnar::Column> assemble(const columnar::Field& field, const AssemblyNode& root,
                                  std::vector<LeafData>& leaves);

}  // namespace sl::parquet
