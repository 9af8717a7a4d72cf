// Record assembly: levels and values of the leaves → nested columns.
#include "parquet/record_assembler.hpp"

namespace sl::parquet {

namespace {

class Assembler {
 public:
  Assembler(size_t first_leaf, std::vector<LeafData>& leaves)
      : first_leaf_(first_leaf), leaves_(leaves) {}

  Status build(const AssemblyNode& node, Column& out) {
    const LeafData& leaf = leaves_[node.first_leaf - first_leaf_];
    switch (node.type) {
      case TypeId::struct_:
        return build_struct(node, leaf, out);
      case TypeId::list:
      case TypeId::map:
        return build_list(node, leaf, out);
      default:
        return build_leaf(node, leaves_[node.first_leaf - first_leaf_], out);
    }
  }

 private:
  static bool begins_slot(const AssemblyNode& node, const LeafData& leaf, size_t i) {
    return leaf.repetition(i) <= static_cast<uint32_t>(node.slot_repetition_level) &&
           leaf.definition(i) >= static_cast<uint32_t>(node.slot_definition_level);
  }
  static bool is_valid(const AssemblyNode& node, const LeafData& leaf, size_t i) {
    return leaf.definition(i) >= static_cast<uint32_t>(node.valid_definition_level);
  }

  // Validity of the node's slots, in order.
  static void slots(const AssemblyNode& node, const LeafData& leaf, std::vector<uint8_t>& valid) {
    valid.clear();
    // Flat leaves (most columns): every entry is a slot; skip the per-entry level accessors.
    if (leaf.repetition_levels.empty() && node.slot_definition_level == 0) {
      const auto threshold = static_cast<uint32_t>(node.valid_definition_level);
      if (leaf.definition_levels.empty()) {
        valid.assign(leaf.num_levels, leaf.implied_definition >= threshold ? 1 : 0);
        return;
      }
      valid.resize(leaf.num_levels);
      for (size_t i = 0; i < leaf.num_levels; ++i)
        valid[i] = leaf.definition_levels[i] >= threshold ? 1 : 0;
      return;
    }
    for (size_t i = 0; i < leaf.num_levels; ++i) {
      if (begins_slot(node, leaf, i)) valid.push_back(is_valid(node, leaf, i) ? 1 : 0);
    }
  }

  static void set_validity(Column& out, const std::vector<uint8_t>& valid) {
    out.length = valid.size();
    out.validity.clear();
    for (uint8_t v : valid) {
      if (!v) {
        out.validity = valid;
        break;
      }
    }
  }

  static Status mismatch(const AssemblyNode& node, const std::string& what, size_t got,
                         size_t expected) {
    return make_error(Errc::corrupt, "column '" + node.path + "': " + what + " has " +
                                         std::to_string(got) + " values where " +
                                         std::to_string(expected) + " are expected");
  }

  Status build_struct(const AssemblyNode& node, const LeafData& leaf, Column& out) {
    std::vector<uint8_t> valid;
    slots(node, leaf, valid);
    for (size_t k = 0; k < node.children.size(); ++k) {
      SL_TRY(build(node.children[k], out.children[k]));
      if (out.children[k].length != valid.size())
        return mismatch(node, "field '" + node.children[k].path + "'", out.children[k].length,
                        valid.size());
    }
    set_validity(out, valid);
    return {};
  }

  Status build_list(const AssemblyNode& node, const LeafData& leaf, Column& out) {
    const AssemblyNode& element = node.children.at(0);
    std::vector<uint8_t> valid;
    out.offsets.clear();
    uint32_t count = 0;
    for (size_t i = 0; i < leaf.num_levels; ++i) {
      if (begins_slot(node, leaf, i)) {
        valid.push_back(is_valid(node, leaf, i) ? 1 : 0);
        out.offsets.push_back(count);
      }
      if (begins_slot(element, leaf, i)) ++count;
    }
    out.offsets.push_back(count);
    for (size_t k = 0; k < node.children.size(); ++k) {
      SL_TRY(build(node.children[k], out.children[k]));
      if (out.children[k].length != count)
        return mismatch(node, "element '" + node.children[k].path + "'", out.children[k].length,
                        count);
    }
    set_validity(out, valid);
    return {};
  }

  Status build_leaf(const AssemblyNode& node, LeafData& leaf, Column& out) {
    // A flat leaf whose entries are all defined (most columns): its values are the column.
    if (leaf.repetition_levels.empty() && leaf.definition_levels.empty() &&
        node.slot_definition_level == 0 &&
        leaf.implied_definition >= static_cast<uint32_t>(node.valid_definition_level)) {
      if (leaf.values.length != leaf.num_levels)
        return mismatch(node, "the leaf", leaf.values.length, leaf.num_levels);
      out = std::move(leaf.values);
      return {};
    }
    std::vector<uint8_t> valid;
    slots(node, leaf, valid);
    size_t present = 0;
    for (uint8_t v : valid) present += v;
    if (present != leaf.values.length)
      return mismatch(node, "the leaf", leaf.values.length, present);
    if (present == valid.size()) {
      out = std::move(leaf.values);  // no null slot: the values are the column
      return {};
    }
    // Runs of present values are copied at once; nulls in between.
    size_t next = 0, i = 0;
    while (i < valid.size()) {
      if (!valid[i]) {
        out.append_null();
        ++i;
        continue;
      }
      size_t j = i;
      while (j < valid.size() && valid[j]) ++j;
      out.append_rows(leaf.values, next, next + (j - i));
      next += j - i;
      i = j;
    }
    return {};
  }

  size_t first_leaf_;
  std::vector<LeafData>& leaves_;
};

}  // namespace

Result<Column> assemble(const Field& field, const AssemblyNode& root,
                        std::vector<LeafData>& leaves) {
  Column out = Column::for_field(field);
  Assembler assembler(root.first_leaf, leaves);
  SL_TRY(assembler.build(root, out));
  return out;
}

}  // namespace sl::parquet
