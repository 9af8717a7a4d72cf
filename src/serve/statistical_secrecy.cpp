#include "serve/statistical_secrecy.hpp"

#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace sl::serve {
namespace {

std::optional<size_t> column_index(const columnar::RecordBatch& b, std::string_view name) {
  for (size_t i = 0; i < b.schema.size(); ++i)
    if (b.schema[i].name == name) return i;
  return std::nullopt;
}

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
  const auto max_bonus = column_index(*rows, "max_bonus_eur");
  const auto total = column_index(*rows, "total_bonus_eur");
  const auto eligible = column_index(*rows, "eligible_bonus");
  if (!max_bonus && !(total && eligible)) return rows;

  auto out = std::make_shared<columnar::RecordBatch>(*rows);
  for (size_t r = 0; max_bonus && r < out->num_rows; ++r) set_null(*out, *max_bonus, r);
  if (total && eligible) {
    const columnar::Column& counts = out->columns[*eligible];
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
      if (hidden[r]) set_null(*out, *total, r);
  }
  return out;
}

}  // namespace sl::serve
