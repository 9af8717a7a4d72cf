// Record shredding: nested columns → repetition/definition levels and value runs per leaf.
#include "parquet/record_shredder.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::is_wide_decimal;
using columnar::type_name;
using columnar::TypeId;

void ShreddedLeaf::clear() {
  num_levels = 0;
  repetition_levels.clear();
  definition_levels.clear();
  values.clear();
}

RecordShredder::RecordShredder(const Field& field) : root_(build(field, field.name, 0, 0)) {}

RecordShredder::Node RecordShredder::build(const Field& field, const std::string& path, int def,
                                           int rep) {
  Node n;
  n.path = path;
  n.type = field.type.id;
  n.nullable = field.nullable;
  if (field.nullable) ++def;
  n.leaf_begin = leaf_levels_.size();
  switch (field.type.id) {
    case TypeId::struct_:
      for (const auto& child : field.children)
        n.children.push_back(build(child, path + "." + child.name, def, rep));
      break;
    case TypeId::list:
    case TypeId::map:
      n.repetition_level = static_cast<uint32_t>(rep + 1);
      for (const auto& child : field.children)
        n.children.push_back(build(child, path + "." + child.name, def + 1, rep + 1));
      break;
    default:
      leaf_levels_.push_back({def > 0, rep > 0});
      break;
  }
  n.leaf_end = leaf_levels_.size();
  return n;
}

Status RecordShredder::shred(const ColumnSlice& rows, std::vector<ShreddedLeaf>& leaves) const {
  leaves.resize(leaf_levels_.size());
  return shred_range(root_, *rows.column, rows.begin, rows.end, 0, 0, 0, leaves);
}

void RecordShredder::push_levels(size_t leaf, uint32_t rep, uint32_t def,
                                 std::vector<ShreddedLeaf>& leaves) const {
  ShreddedLeaf& out = leaves[leaf];
  if (leaf_levels_[leaf].repetition) out.repetition_levels.push_back(rep);
  if (leaf_levels_[leaf].definition) out.definition_levels.push_back(def);
  ++out.num_levels;
}

void RecordShredder::emit_empty(const Node& node, uint32_t rep, uint32_t def,
                                std::vector<ShreddedLeaf>& leaves) const {
  for (size_t leaf = node.leaf_begin; leaf < node.leaf_end; ++leaf)
    push_levels(leaf, rep, def, leaves);
}

Status RecordShredder::shred_range(const Node& node, const Column& column, size_t begin, size_t end,
                                   uint32_t first_rep, uint32_t next_rep, uint32_t def,
                                   std::vector<ShreddedLeaf>& leaves) const {
  auto rep_at = [&](size_t i) { return i == begin ? first_rep : next_rep; };
  auto required_null = [&](size_t i) {
    return make_error(Errc::invalid_argument, "parquet: required column '" + node.path +
                                                  "' has nulls (position " + std::to_string(i) +
                                                  ")");
  };
  const uint32_t present_def = def + (node.nullable ? 1 : 0);
  switch (node.type) {
    case TypeId::struct_: {
      size_t i = begin;
      while (i < end) {
        if (!column.is_valid(i)) {
          if (!node.nullable) return required_null(i);
          emit_empty(node, rep_at(i), def, leaves);
          ++i;
          continue;
        }
        // A run of present structs: each child shreds the run on its own (leaf streams are
        // independent, so the order of children does not matter).
        size_t j = i + 1;
        while (j < end && column.is_valid(j)) ++j;
        for (size_t k = 0; k < node.children.size(); ++k) {
          SL_TRY(shred_range(node.children[k], column.children[k], i, j, rep_at(i), next_rep,
                             present_def, leaves));
        }
        i = j;
      }
      return {};
    }
    case TypeId::list:
    case TypeId::map:
      for (size_t i = begin; i < end; ++i) {
        if (!column.is_valid(i)) {
          if (!node.nullable) return required_null(i);
          emit_empty(node, rep_at(i), def, leaves);
          continue;
        }
        const uint32_t first = column.offsets[i], last = column.offsets[i + 1];
        if (first == last) {
          emit_empty(node, rep_at(i), present_def, leaves);
          continue;
        }
        for (size_t k = 0; k < node.children.size(); ++k) {
          SL_TRY(shred_range(node.children[k], column.children[k], first, last, rep_at(i),
                             node.repetition_level, present_def + 1, leaves));
        }
      }
      return {};
    default:
      break;
  }
  const size_t leaf = node.leaf_begin;
  ShreddedLeaf& out = leaves[leaf];
  if (column.validity.empty() && begin < end) {
    // Every value present (the common flat case): levels and the value run in bulk.
    const size_t n = end - begin;
    if (leaf_levels_[leaf].repetition) {
      out.repetition_levels.push_back(first_rep);
      out.repetition_levels.insert(out.repetition_levels.end(), n - 1, next_rep);
    }
    if (leaf_levels_[leaf].definition)
      out.definition_levels.insert(out.definition_levels.end(), n, present_def);
    out.num_levels += n;
    if (!out.values.empty() && out.values.back().column == &column &&
        out.values.back().end == begin) {
      out.values.back().end = end;
    } else {
      out.values.push_back({&column, begin, end});
    }
    return {};
  }
  for (size_t i = begin; i < end; ++i) {
    const bool valid = column.is_valid(i);
    if (!valid && !node.nullable) return required_null(i);
    push_levels(leaf, rep_at(i), valid ? present_def : def, leaves);
    if (!valid) continue;
    if (!out.values.empty() && out.values.back().column == &column && out.values.back().end == i) {
      ++out.values.back().end;
    } else {
      out.values.push_back({&column, i, i + 1});
    }
  }
  return {};
}

namespace {

Status shape_error(const std::string& path, const std::string& why) {
  return make_error(Errc::invalid_argument, "parquet: column '" + path + "': " + why);
}

Status check_offsets(const std::vector<uint32_t>& offsets, size_t length, size_t limit,
                     const std::string& path) {
  if (offsets.size() != length + 1)
    return shape_error(path, std::to_string(offsets.size()) + " offsets for " +
                                 std::to_string(length) + " values");
  for (size_t i = 0; i < length; ++i) {
    if (offsets[i] > offsets[i + 1]) return shape_error(path, "offsets go backwards");
  }
  if (offsets.back() > limit) return shape_error(path, "offsets point past the data");
  return {};
}

// `reachable`: the slots whose parents are present (nullptr = every slot).
Status check_node(const Field& f, const Column& c, const std::string& path,
                  const std::vector<uint8_t>* reachable) {
  if (!(c.type == f.type)) {
    return shape_error(path, "type " + std::string(type_name(c.type.id)) + " in the batch, " +
                                 std::string(type_name(f.type.id)) + " in the schema");
  }
  if (!c.validity.empty() && c.validity.size() != c.length)
    return shape_error(path, "validity does not cover every value");
  if (!f.nullable) {
    for (size_t i = 0; i < c.length; ++i) {
      if (!c.is_valid(i) && (reachable == nullptr || (*reachable)[i])) {
        return make_error(Errc::invalid_argument,
                          "parquet: required column '" + path + "' has nulls");
      }
    }
  }
  auto too_short = [&](size_t size) {
    return size < c.length ? shape_error(path, "fewer values than its length") : Status{};
  };
  auto child_reachable = [&](size_t i) {
    return c.is_valid(i) && (reachable == nullptr || (*reachable)[i]);
  };
  switch (c.type.id) {
    case TypeId::boolean:
      return too_short(c.bools.size());
    case TypeId::int32:
    case TypeId::date32:
      return too_short(c.i32.size());
    case TypeId::int64:
    case TypeId::timestamp_us:
      return too_short(c.i64.size());
    case TypeId::decimal:
      return too_short(is_wide_decimal(c.type) ? c.i128.size() : c.i64.size());
    case TypeId::float32:
      return too_short(c.f32.size());
    case TypeId::float64:
      return too_short(c.f64.size());
    case TypeId::string:
    case TypeId::binary:
      return check_offsets(c.offsets, c.length, c.bytes.size(), path);
    case TypeId::struct_: {
      if (c.children.size() != f.children.size())
        return shape_error(path, "children do not match the schema's fields");
      std::vector<uint8_t> next(c.length);
      for (size_t i = 0; i < c.length; ++i) next[i] = child_reachable(i);
      for (size_t k = 0; k < f.children.size(); ++k) {
        if (c.children[k].length != c.length)
          return shape_error(path, "field '" + f.children[k].name + "' has " +
                                       std::to_string(c.children[k].length) + " slots for " +
                                       std::to_string(c.length) + " rows");
        SL_TRY(check_node(f.children[k], c.children[k], path + "." + f.children[k].name, &next));
      }
      return {};
    }
    case TypeId::list:
    case TypeId::map: {
      if (c.children.size() != f.children.size())
        return shape_error(path, "children do not match the schema's");
      size_t limit = SIZE_MAX;
      for (const auto& child : c.children) limit = std::min(limit, child.length);
      SL_TRY(check_offsets(c.offsets, c.length, limit, path));
      size_t slots = 0;
      for (const auto& child : c.children) slots = std::max(slots, child.length);
      std::vector<uint8_t> next(slots);
      for (size_t i = 0; i < c.length; ++i) {
        if (!child_reachable(i)) continue;
        for (uint32_t k = c.offsets[i]; k < c.offsets[i + 1]; ++k) next[k] = 1;
      }
      for (size_t k = 0; k < f.children.size(); ++k)
        SL_TRY(check_node(f.children[k], c.children[k], path + "." + f.children[k].name, &next));
      return {};
    }
  }
  return {};
}

}  // namespace

Status check_column(const Field& field, const Column& column, const std::string& path) {
  return check_node(field, column, path, nullptr);
}

}  // namespace sl::parquet
