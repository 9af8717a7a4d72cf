// Record assembly: levels and values of the leaves → nested columns.
#include "parquet/record_assembler.hpp"

#include "parquet/slot_spread.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::TypeId;

namespace {

// A primitive leaf's present values → its column over the slots (validity = `valid`).
Column spread_over_slots(Column present, std::vector<uint8_t> valid) {
  Column out = std::move(present);
  spread_tail(out, 0, valid.data(), valid.size());
  out.validity = std::move(valid);
  return out;
}

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

  // Validity of the node's slots, in order; returns how many are valid.
  static size_t slots(const AssemblyNode& node, const LeafData& leaf, std::vector<uint8_t>& valid) {
    valid.clear();
    size_t valid_count = 0;
    // Flat leaves (most columns): every entry is a slot; skip the per-entry level accessors.
    if (leaf.repetition_levels.empty() && node.slot_definition_level == 0) {
      const auto threshold = static_cast<uint32_t>(node.valid_definition_level);
      if (leaf.definition_levels.empty()) {
        const bool all = leaf.implied_definition >= threshold;
        valid.assign(leaf.num_levels, all ? 1 : 0);
        return all ? leaf.num_levels : 0;
      }
      // Raw pointers: a byte store may alias anything, so through the vectors every iteration
      // reloaded their data pointers and the loop stayed scalar.
      const size_t n = leaf.num_levels;
      valid.resize(n);
      uint8_t* v = valid.data();
      const Level* levels = leaf.definition_levels.data();
      for (size_t i = 0; i < n; ++i) v[i] = levels[i] >= threshold ? 1 : 0;
      for (size_t i = 0; i < n; ++i) valid_count += v[i];
      return valid_count;
    }
    valid.reserve(leaf.num_levels);
    for (size_t i = 0; i < leaf.num_levels; ++i) {
      if (!begins_slot(node, leaf, i)) continue;
      valid.push_back(is_valid(node, leaf, i) ? 1 : 0);
      valid_count += valid.back();
    }
    return valid_count;
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
    valid.reserve(leaf.num_levels);  // at most one slot per entry
    out.offsets.reserve(leaf.num_levels + 1);
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
    const bool flat_optional = leaf.repetition_levels.empty() &&
                               node.slot_definition_level == 0 && leaf.max_definition == 1 &&
                               node.valid_definition_level == 1;
    if (leaf.values_spread) {
      // Spread page by page as read (LeafData::values_spread): one value per entry already; the
      // levels, 0 or 1, are the validity bytes.
      if (!flat_optional || leaf.values.length != leaf.num_levels)
        return mismatch(node, "the leaf", leaf.values.length, leaf.num_levels);
      out = std::move(leaf.values);
      if (leaf.num_defined != leaf.num_levels) out.validity = std::move(leaf.definition_levels);
      return {};
    }
    std::vector<uint8_t> valid;
    size_t present = 0;
    if (leaf.repetition_levels.empty() && node.slot_definition_level == 0 &&
        !leaf.definition_levels.empty() && leaf.max_definition == 1 &&
        node.valid_definition_level == 1) {
      // A flat optional leaf (most nullable columns): its levels, 0 or 1 (checked as decoded),
      // are the validity bytes; taken, not rewritten (the leaf is consumed, as its values are).
      valid = std::move(leaf.definition_levels);
      present = leaf.num_defined;
    } else {
      present = slots(node, leaf, valid);
    }
    if (present != leaf.values.length)
      return mismatch(node, "the leaf", leaf.values.length, present);
    if (present == valid.size()) {
      out = std::move(leaf.values);  // no null slot: the values are the column
      return {};
    }
    out = spread_over_slots(std::move(leaf.values), std::move(valid));
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
