// ValuePredicate evaluation on rows and on row-group statistics (see the header).
#include "parquet/value_predicate.hpp"

#include <cmath>
#include <optional>

#include "parquet/file_reader.hpp"
#include "parquet/plain_decoder.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::is_wide_decimal;
using columnar::TypeId;

int compare_values(const Column& a, size_t i, const Column& b, size_t j) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type.id) {
    case TypeId::boolean:
      return cmp(a.bools[i], b.bools[j]);
    case TypeId::int32:
    case TypeId::date32:
      return cmp(a.i32[i], b.i32[j]);
    case TypeId::int64:
    case TypeId::timestamp_us:
      if (a.type.is_unsigned)
        return cmp(static_cast<uint64_t>(a.i64[i]), static_cast<uint64_t>(b.i64[j]));
      return cmp(a.i64[i], b.i64[j]);
    case TypeId::decimal:
      return is_wide_decimal(a.type) ? cmp(a.i128[i], b.i128[j]) : cmp(a.i64[i], b.i64[j]);
    case TypeId::float32:
      return cmp(a.f32[i], b.f32[j]);
    case TypeId::float64:
      return cmp(a.f64[i], b.f64[j]);
    case TypeId::string:
    case TypeId::binary:
      return cmp(a.string_at(i), b.string_at(j));  // char_traits<char> compares as unsigned
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;
  }
  return 0;
}

bool comparison_holds(int c, CompareOp op) {
  switch (op) {
    case CompareOp::eq:
      return c == 0;
    case CompareOp::ne:
      return c != 0;
    case CompareOp::lt:
      return c < 0;
    case CompareOp::le:
      return c <= 0;
    case CompareOp::gt:
      return c > 0;
    case CompareOp::ge:
      return c >= 0;
    case CompareOp::is_null:
    case CompareOp::is_not_null:
      break;
  }
  return true;
}

namespace {

bool is_nan(const Column& c, size_t i) {
  if (c.type.id == TypeId::float32) return std::isnan(c.f32[i]);
  if (c.type.id == TypeId::float64) return std::isnan(c.f64[i]);
  return false;
}

// Whether the chunk's statistics are in the logical order of the values we read.
bool orderable(const LeafInfo& leaf, const SchemaElement& element) {
  if (leaf.conversion.physical == Type::int96) return false;  // no defined order
  const auto& lt = element.logical_type;
  if (lt.kind == LogicalType::Kind::integer && !lt.is_signed) return false;
  if (element.converted_type) {
    switch (*element.converted_type) {
      case ConvertedType::uint_8:
      case ConvertedType::uint_16:
      case ConvertedType::uint_32:
      case ConvertedType::uint_64:
      case ConvertedType::interval:
        return false;
      default:
        break;
    }
  }
  return true;
}

// The deprecated min/max were written in signed order: right for numbers only.
bool legacy_bounds_usable(const LeafInfo& leaf) {
  switch (leaf.conversion.physical) {
    case Type::int32:
    case Type::int64:
    case Type::float_:
    case Type::double_:
      return true;
    default:
      return false;
  }
}

}  // namespace

ChunkBounds chunk_bounds(const ParquetReader& reader, size_t row_group, size_t leaf_index) {
  const FileMetaData& md = reader.metadata();
  const LeafInfo& leaf = reader.file_schema().leaves[leaf_index];
  if (!orderable(leaf, md.schema[leaf.schema_index])) return {};
  const Statistics& stats = md.row_groups[row_group].columns[leaf_index].meta_data.statistics;
  // A bound we cannot decode or trust is no bound.
  auto bound = [&](const std::optional<std::string>& value,
                   const std::optional<std::string>& legacy) -> std::optional<Column> {
    const std::optional<std::string>& bytes =
        value ? value : (legacy_bounds_usable(leaf) ? legacy : value);
    if (!bytes) return std::nullopt;
    auto decoded = decode_statistic(*bytes, leaf);
    if (!decoded || decoded->length != 1 || is_nan(*decoded, 0)) return std::nullopt;
    return std::move(*decoded);
  };
  return {bound(stats.min_value, stats.min), bound(stats.max_value, stats.max)};
}

bool row_matches(const ValuePredicate& predicate, const Column& column, size_t row) {
  const bool valid = column.is_valid(row);
  if (predicate.op == CompareOp::is_null) return !valid;
  if (predicate.op == CompareOp::is_not_null) return valid;
  if (!valid || is_nan(column, row)) return false;  // NaN compares with nothing
  return comparison_holds(compare_values(column, row, predicate.literal, 0), predicate.op);
}

Result<bool> row_group_may_match(const ParquetReader& reader, size_t row_group,
                                 const std::vector<ValuePredicate>& predicates) {
  const FileMetaData& md = reader.metadata();
  const FileSchema& schema = reader.file_schema();
  if (row_group >= md.row_groups.size()) {
    return make_error(Errc::invalid_argument, "parquet: '" + reader.name() + "' has no row group " +
                                                  std::to_string(row_group));
  }
  const RowGroup& rg = md.row_groups[row_group];
  for (const auto& p : predicates) {
    auto where = [&] { return "parquet: '" + reader.name() + "' column '" + p.column + "'"; };
    size_t top = 0;
    while (top < schema.fields.size() && schema.fields[top].name != p.column) ++top;
    if (top == schema.fields.size())
      return make_error(Errc::invalid_argument, where() + ": no such column");
    const AssemblyNode& node = schema.roots[top];
    if (!schema.fields[top].children.empty() || node.leaf_end != node.first_leaf + 1 ||
        schema.leaves[node.first_leaf].max_repetition_level > 0) {
      return make_error(Errc::invalid_argument, where() + ": filters take primitive columns only");
    }
    const bool compares = p.op != CompareOp::is_null && p.op != CompareOp::is_not_null;
    if (compares && (p.literal.length != 1 || !(p.literal.type == schema.fields[top].type) ||
                     !p.literal.is_valid(0))) {
      return make_error(Errc::invalid_argument,
                        where() + ": the literal is not one value of the column's type");
    }
    const Statistics& stats = rg.columns[node.first_leaf].meta_data.statistics;
    const int64_t rows = rg.num_rows;
    const std::optional<int64_t> nulls = stats.null_count;
    if (p.op == CompareOp::is_null) {
      if (nulls && *nulls == 0) return false;
      continue;
    }
    const bool all_null = nulls && *nulls == rows;
    if (all_null) return false;  // no comparison holds on a null, nor is_not_null
    if (!compares) continue;
    const auto [lo, hi] = chunk_bounds(reader, row_group, node.first_leaf);
    const Column& v = p.literal;
    bool may = true;
    switch (p.op) {
      case CompareOp::eq:
        may =
            !(lo && compare_values(*lo, 0, v, 0) > 0) && !(hi && compare_values(*hi, 0, v, 0) < 0);
        break;
      case CompareOp::ne:  // only a group whose every value equals the literal is excluded
        may = !(lo && hi && nulls && *nulls == 0 && compare_values(*lo, 0, v, 0) == 0 &&
                compare_values(*hi, 0, v, 0) == 0);
        break;
      case CompareOp::lt:
        may = !(lo && compare_values(*lo, 0, v, 0) >= 0);
        break;
      case CompareOp::le:
        may = !(lo && compare_values(*lo, 0, v, 0) > 0);
        break;
      case CompareOp::gt:
        may = !(hi && compare_values(*hi, 0, v, 0) <= 0);
        break;
      case CompareOp::ge:
        may = !(hi && compare_values(*hi, 0, v, 0) < 0);
        break;
      case CompareOp::is_null:
      case CompareOp::is_not_null:
        break;
    }
    if (!may) return false;
  }
  return true;
}

}  // namespace sl::parquet
