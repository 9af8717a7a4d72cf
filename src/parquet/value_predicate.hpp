// ValuePredicate: a comparison of one top-level primitive column with a literal ("id >= 10",
// "name is null"), evaluated on rows and on a row group's statistics (row-group skipping).
//
// Use:
// 1. build the predicates with literals of the column's logical type (`literal` holds one value
//    of `Field::type`; parsing text into it is the caller's business: the CLI uses Delta's
//    partition-value syntax);
// 2. row_group_may_match(reader, g, predicates) for each row group: false means no row of the
//    group can satisfy every predicate, so the group need not be read;
// 3. read the kept groups (the predicate columns projected too) and keep the rows for which
//    row_matches holds for every predicate.
// Statistics are trusted only where their order is the logical order: min_value/max_value of any
// primitive, the deprecated min/max of signed numeric columns only; INT96, unsigned integers and
// a NaN bound never prune. A missing statistic keeps the group.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::parquet {

class ParquetReader;

enum class CompareOp { eq, ne, lt, le, gt, ge, is_null, is_not_null };

struct ValuePredicate {
  std::string column;  // a top-level primitive column
  CompareOp op = CompareOp::eq;
  columnar::Column literal;  // one value of the column's type (unused for is_null / is_not_null)
};

// -1, 0, 1 comparing a[i] and b[j], two present values of the same primitive type (strings and
// binaries as unsigned bytes, decimals by unscaled value, floats by value).
int compare_values(const columnar::Column& a, size_t i, const columnar::Column& b, size_t j);

// Whether a comparison's result (compare_values) satisfies `op` (eq, ne, lt, le, gt, ge; true
// for is_null / is_not_null, which look at validity instead).
bool comparison_holds(int comparison, CompareOp op);

// Whether row `row` of `column` (the predicate's column, null or not) satisfies it.
bool row_matches(const ValuePredicate& predicate, const columnar::Column& column, size_t row);

// The min/max bounds of one leaf chunk's statistics that may be trusted as bounds of its values
// (see the header comment: min_value/max_value, the legacy min/max of signed numbers, never
// INT96, unsigned or NaN bounds), as 1-value columns of the leaf's logical type; nullopt where
// there is no usable bound.
struct ChunkBounds {
  std::optional<columnar::Column> min, max;
};
ChunkBounds chunk_bounds(const ParquetReader& reader, size_t row_group, size_t leaf);

// Whether row group `row_group` may hold a row satisfying every predicate, judged from its
// column chunks' statistics. Errors: a predicate on an unknown or non-primitive column, or a
// literal of another type (Errc::invalid_argument, naming the file and column).
Result<bool> row_group_may_match(const ParquetReader& reader, size_t row_group,
                                 const std::vector<ValuePredicate>& predicates);

}  // namespace sl::parquet
