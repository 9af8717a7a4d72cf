// Record shredding (Dremel): one top-level Column → per leaf, the repetition and definition level
// of every entry and the present values, ready for ColumnChunkWriter.
//
// For each slot of a node, with `def` the definition level its parent reached:
// - a null slot (nullable node) gives every leaf below one entry (rep, def);
// - a present struct passes (rep, def + nullable) to each child;
// - a present list/map with no element gives every leaf below one entry (rep, def + nullable);
//   otherwise its elements (and values) are shredded with def + nullable + 1, the first with the
//   slot's rep, the next ones with the list's own repetition level;
// - a present primitive gives one entry (rep, max_def) and its value.
// rep is 0 for the first entry of a row, so pages may be cut before any entry with rep == 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::parquet {

// Rows [begin, end) of a column.
struct ColumnSlice {
  const columnar::Column* column;
  size_t begin;
  size_t end;
};

struct ShreddedLeaf {
  size_t num_levels = 0;                    // entries
  std::vector<uint32_t> repetition_levels;  // one per entry; empty when max_rep == 0
  std::vector<uint32_t> definition_levels;  // one per entry; empty when max_def == 0
  std::vector<ColumnSlice> values;          // runs of present values of the leaf column, in order

  void clear();
};

class RecordShredder {
 public:
  explicit RecordShredder(const columnar::Field& field);

  size_t leaf_count() const { return leaf_levels_.size(); }

  // Appends the entries of `rows` to `leaves` (resized to leaf_count(), one per leaf in schema
  // order). Fails on a null in a non-nullable field whose parent is present.
  Status shred(const ColumnSlice& rows, std::vector<ShreddedLeaf>& leaves) const;

 private:
  struct Node {
    std::string path;  // dotted, for messages
    columnar::TypeId type = columnar::TypeId::int64;
    bool nullable = true;
    uint32_t repetition_level = 0;  // list/map: the level of its repeated group
    size_t leaf_begin = 0, leaf_end = 0;
    std::vector<Node> children;
  };
  // Which level streams a leaf stores (max_def > 0, max_rep > 0).
  struct LeafLevels {
    bool definition = false;
    bool repetition = false;
  };
  Node build(const columnar::Field& field, const std::string& path, int def, int rep);
  void push_levels(size_t leaf, uint32_t rep, uint32_t def,
                   std::vector<ShreddedLeaf>& leaves) const;
  Status shred_range(const Node& node, const columnar::Column& column, size_t begin, size_t end,
                     uint32_t first_rep, uint32_t next_rep, uint32_t def,
                     std::vector<ShreddedLeaf>& leaves) const;
  void emit_empty(const Node& node, uint32_t rep, uint32_t def,
                  std::vector<ShreddedLeaf>& leaves) const;

  std::vector<LeafLevels> leaf_levels_;
  Node root_;
};

// Checks that `column` has the shape of `field` (types, children, lengths, offsets inside their
// children) and holds no null in a non-nullable field whose parent is present. `path` names the
// field in messages.
Status check_column(const columnar::Field& field, const columnar::Column& column,
                    const std::string& path);

}  // namespace sl::parquet
