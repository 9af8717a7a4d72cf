// Bronze change log → current state, and typed column access.
#include "lakehouse/bronze_state.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "delta/scan.hpp"
#include "delta/snapshot.hpp"

namespace sl::lakehouse {

using columnar::TypeId;

Result<std::optional<BronzeState>> BronzeState::read(const delta::Storage& storage,
                                                     const std::vector<std::string>& key_columns,
                                                     const std::vector<std::string>& columns) {
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  delta::ScanOptions scan;
  if (!columns.empty()) {
    // Only the columns the table has (an older Bronze may lack a newer source column).
    auto wanted = [&](const std::string& name) {
      return std::find(columns.begin(), columns.end(), name) != columns.end() ||
             std::find(key_columns.begin(), key_columns.end(), name) != key_columns.end() ||
             name.starts_with('_');
    };
    for (const auto& f : snapshot->schema.fields)
      if (wanted(f.name)) scan.columns.push_back(f.name);
  }
  SL_ASSIGN_OR_RETURN(auto batch, delta::scan_all(storage, *snapshot, scan));
  auto state = of(std::move(batch), key_columns);
  if (!state) return state.error().with_context(storage.describe(""));
  state->version_ = snapshot->version;
  return std::optional<BronzeState>(std::move(*state));
}

Result<BronzeState> BronzeState::of(columnar::RecordBatch batch,
                                    const std::vector<std::string>& key_columns) {
  BronzeState s;
  s.batch_ = std::move(batch);
  std::vector<const columnar::Column*> keys;
  for (const auto& k : key_columns) {
    const auto* c = s.find(k);
    if (!c)
      return make_error(Errc::invalid_argument, "bronze table without key column '" + k + "'");
    keys.push_back(c);
  }
  const auto* op = s.find("_op");
  const auto* commit_lsn = s.find("_commit_lsn");
  const auto* lsn = s.find("_lsn");
  if (!op || !commit_lsn || !lsn)
    return make_error(Errc::invalid_argument, "not a Bronze table (no _op, _commit_lsn, _lsn)");
  // Changes in log order, then the last one per key wins.
  std::vector<size_t> order(s.batch_.num_rows);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::pair(commit_lsn->i64[a], lsn->i64[a]) < std::pair(commit_lsn->i64[b], lsn->i64[b]);
  });
  std::vector<size_t> latest;  // per key, in order of first appearance: its last change
  auto keep = [&latest](auto& index, auto key, size_t row) {
    auto [it, inserted] = index.try_emplace(std::move(key), latest.size());
    if (inserted)
      latest.push_back(row);
    else
      latest[it->second] = row;
  };
  const bool integer_key = keys.size() == 1 && !keys[0]->validity.size() &&
                           (keys[0]->type.id == TypeId::int64 || keys[0]->type.id == TypeId::int32);
  if (integer_key) {  // the common case (ids): no key text to build
    std::unordered_map<int64_t, size_t> index;
    index.reserve(order.size());
    for (size_t row : order)
      keep(index,
           keys[0]->type.id == TypeId::int64 ? keys[0]->i64[row] : int64_t{keys[0]->i32[row]}, row);
  } else {
    std::unordered_map<std::string, size_t> index;
    for (size_t row : order) {
      std::string key;
      for (const auto* c : keys) {
        key += columnar::to_debug_string(*c, row);
        key += '\x1f';
      }
      keep(index, std::move(key), row);
    }
  }
  for (size_t row : latest)
    if (op->string_at(row) != "d") s.rows_.push_back(row);
  return s;
}

BronzeState BronzeState::every_row(columnar::RecordBatch batch) {
  BronzeState s;
  s.batch_ = std::move(batch);
  s.rows_.resize(s.batch_.num_rows);
  for (size_t i = 0; i < s.rows_.size(); ++i) s.rows_[i] = i;
  return s;
}

const columnar::Column* BronzeState::find(std::string_view column) const {
  for (size_t i = 0; i < batch_.schema.size(); ++i)
    if (batch_.schema[i].name == column) return &batch_.columns[i];
  return nullptr;
}

std::optional<int64_t> BronzeState::integer(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row)) return std::nullopt;
  if (c->type.id == TypeId::int32) return c->i32[row];
  if (c->type.id == TypeId::int64) return c->i64[row];
  return std::nullopt;
}

std::optional<double> BronzeState::number(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row)) return std::nullopt;
  switch (c->type.id) {
    case TypeId::int32:
      return c->i32[row];
    case TypeId::int64:
      return static_cast<double>(c->i64[row]);
    case TypeId::float32:
      return c->f32[row];
    case TypeId::float64:
      return c->f64[row];
    case TypeId::decimal:
      return columnar::is_wide_decimal(c->type)
                 ? static_cast<double>(c->i128[row]) / std::pow(10.0, c->type.scale)
                 : static_cast<double>(c->i64[row]) / std::pow(10.0, c->type.scale);
    default:
      return std::nullopt;
  }
}

std::optional<std::string> BronzeState::text(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::string) return std::nullopt;
  return std::string(c->string_at(row));
}

std::optional<bool> BronzeState::boolean(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::boolean) return std::nullopt;
  return c->bools[row] != 0;
}

std::optional<int32_t> BronzeState::date(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::date32) return std::nullopt;
  return c->i32[row];
}

std::optional<int64_t> BronzeState::timestamp(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::timestamp_us) return std::nullopt;
  return c->i64[row];
}

std::optional<int64_t> BronzeState::cents(std::string_view column, size_t row) const {
  const auto* c = find(column);
  if (!c || !c->is_valid(row)) return std::nullopt;
  if (c->type.id == TypeId::decimal && !columnar::is_wide_decimal(c->type)) {
    int64_t v = c->i64[row];
    int scale = c->type.scale;
    for (; scale < 2; ++scale) v *= 10;
    int64_t divisor = 1;
    for (; scale > 2; --scale) divisor *= 10;
    return (v + (v >= 0 ? divisor / 2 : -divisor / 2)) / divisor;
  }
  auto n = number(column, row);
  if (!n) return std::nullopt;
  return std::llround(*n * 100);
}

}  // namespace sl::lakehouse
