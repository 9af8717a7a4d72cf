#include "serve/statistical_secrecy.hpp"

#include <limits>
#include <optional>
#include <vector>

#include "serve/table_query.hpp"

namespace sl::serve {
namespace {

int64_t count_at(const columnar::Column& c, size_t row) {
  if (!c.is_valid(row)) return 0;
  if (c.type.id == columnar::TypeId::int32) return c.i32[row];
  return c.i64.empty() ? 0 : c.i64[row];
}

void set_null(columnar::RecordBatch& b, size_t column, size_t row) {
  columnar::Column& c = b.columns[column];
  if (c.validity.empty()) c.validity.assign(c.length, 1);
  c.validity[row] = 0;
  b.schema[column].nullable = true;
}

}  // namespace

std::shared_ptr<const columnar::RecordBatch> hide_small_groups(
    std::shared_ptr<const columnar::RecordBatch> rows) {
  const int max_bonus = column_index(*rows, "max_bonus_eur");
  const int total = column_index(*rows, "total_bonus_eur");
  const int eligible = column_index(*rows, "eligible_bonus");
  const bool has_totals = total >= 0 && eligible >= 0;
  if (max_bonus < 0 && !has_totals) return rows;

  auto out = std::make_shared<columnar::RecordBatch>(*rows);
  for (size_t r = 0; max_bonus >= 0 && r < out->num_rows; ++r)
    set_null(*out, static_cast<size_t>(max_bonus), r);
  if (has_totals) {
    const columnar::Column& counts = out->columns[static_cast<size_t>(eligible)];
    std::vector<bool> hidden(out->num_rows, false);
    size_t hidden_rows = 0;
    for (size_t r = 0; r < out->num_rows; ++r) {
      const int64_t n = count_at(counts, r);
      if (n > 0 && n < k_min_contributors) hidden[r] = true, ++hidden_rows;
    }
    // One hidden row among several: the total minus the others would give it back.
    if (hidden_rows == 1 && out->num_rows > 1) {
      std::optional<size_t> smallest;
      int64_t fewest = std::numeric_limits<int64_t>::max();
      for (size_t r = 0; r < out->num_rows; ++r) {
        const int64_t n = count_at(counts, r);
        if (!hidden[r] && n > 0 && n < fewest) fewest = n, smallest = r;
      }
      if (smallest) hidden[*smallest] = true;
    }
    for (size_t r = 0; r < out->num_rows; ++r)
      if (hidden[r]) set_null(*out, static_cast<size_t>(total), r);
  }
  return out;
}

}  // namespace sl::serve
