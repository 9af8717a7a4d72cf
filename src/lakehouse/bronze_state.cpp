// Bronze change log → current state, and typed column access.
#include "lakehouse/bronze_state.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "common/parallel.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"

namespace sl::lakehouse {

using columnar::TypeId;

namespace {

// The change metadata the current state needs (bronze_rows.cpp writes more: _tx_id, _commit_ts,
// _ingest_ts, which no reader of the state uses).
constexpr std::string_view k_change_columns[] = {"_op", "_lsn", "_commit_lsn", "_unconverted"};

// One change of the log: its key (the integer id, or the rank of its key's text), its place in
// the log, and its row id.
struct Change {
  int64_t key;
  int64_t commit_lsn;
  int64_t lsn;
  uint64_t row;
};

uint64_t name_signature(std::string_view name) {
  if (name.empty()) return 0;
  return name.size() | uint64_t{static_cast<unsigned char>(name.front())} << 32 |
         uint64_t{static_cast<unsigned char>(name.back())} << 40;
}

bool integer_keyed(const std::vector<columnar::RecordBatch>& chunks, size_t key) {
  for (const auto& chunk : chunks) {
    const auto& c = chunk.columns[key];
    if ((c.type.id != TypeId::int64 && c.type.id != TypeId::int32) || c.null_count() > 0)
      return false;
  }
  return true;
}

}  // namespace

Result<std::optional<BronzeState>> BronzeState::read(const delta::Storage& storage,
                                                     const std::vector<std::string>& key_columns,
                                                     const std::vector<std::string>& columns,
                                                     size_t threads) {
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  delta::ScanOptions scan;
  scan.threads = threads > 0 ? threads : hardware_threads();
  if (!columns.empty()) {
    // Only the columns the table has (an older Bronze may lack a newer source column).
    auto wanted = [&](const std::string& name) {
      return std::find(columns.begin(), columns.end(), name) != columns.end() ||
             std::find(key_columns.begin(), key_columns.end(), name) != key_columns.end() ||
             std::find(std::begin(k_change_columns), std::end(k_change_columns), name) !=
                 std::end(k_change_columns);
    };
    for (const auto& f : snapshot->schema.fields)
      if (wanted(f.name)) scan.columns.push_back(f.name);
  }
  std::vector<columnar::RecordBatch> chunks;
  auto scanned = delta::scan(storage, *snapshot, scan, [&](columnar::RecordBatch&& batch) {
    chunks.push_back(std::move(batch));
    return true;
  });
  if (!scanned) return scanned.error().with_context(storage.describe(""));
  if (chunks.empty()) {  // no data file yet: the schema alone
    SL_ASSIGN_OR_RETURN(auto schema, delta::scan_schema(*snapshot, scan));
    columnar::RecordBatch empty;
    for (const auto& f : schema) empty.columns.push_back(columnar::Column::for_field(f));
    empty.schema = std::move(schema);
    chunks.push_back(std::move(empty));
  }
  auto state = of_chunks(std::move(chunks), key_columns);
  if (!state) return state.error().with_context(storage.describe(""));
  state->version_ = snapshot->version;
  return std::optional<BronzeState>(std::move(*state));
}

Result<BronzeState> BronzeState::of(columnar::RecordBatch batch,
                                    const std::vector<std::string>& key_columns) {
  std::vector<columnar::RecordBatch> chunks;
  chunks.push_back(std::move(batch));
  return of_chunks(std::move(chunks), key_columns);
}

Result<BronzeState> BronzeState::of_chunks(std::vector<columnar::RecordBatch> chunks,
                                           const std::vector<std::string>& key_columns) {
  BronzeState s;
  s.chunks_ = std::move(chunks);
  for (const auto& f : s.chunks_.front().schema) s.name_signatures_.push_back(name_signature(f.name));
  std::vector<size_t> keys;
  for (const auto& k : key_columns) {
    const size_t c = s.index_of(k);
    if (c == k_absent)
      return make_error(Errc::invalid_argument, "bronze table without key column '" + k + "'");
    keys.push_back(c);
  }
  const size_t op = s.index_of("_op");
  const size_t commit_lsn = s.index_of("_commit_lsn");
  const size_t lsn = s.index_of("_lsn");
  if (op == k_absent || commit_lsn == k_absent || lsn == k_absent)
    return make_error(Errc::invalid_argument, "not a Bronze table (no _op, _commit_lsn, _lsn)");
  for (const auto& chunk : s.chunks_) {
    if (chunk.num_rows >> k_chunk_shift)
      return make_error(Errc::unsupported, "a Bronze data file of more than 2^32 rows");
    s.changes_ += chunk.num_rows;
  }

  // Every change with its key: an id as it is (the common case), else the key's text ranked.
  std::vector<Change> log;
  log.reserve(s.changes_);
  const bool integer_key = keys.size() == 1 && integer_keyed(s.chunks_, keys[0]);
  std::unordered_map<std::string, int64_t> ranks;
  std::string text;
  for (size_t k = 0; k < s.chunks_.size(); ++k) {
    const auto& chunk = s.chunks_[k];
    const auto& commits = chunk.columns[commit_lsn].i64;
    const auto& lsns = chunk.columns[lsn].i64;
    for (size_t r = 0; r < chunk.num_rows; ++r) {
      int64_t key = 0;
      if (integer_key) {
        const auto& c = chunk.columns[keys[0]];
        key = c.type.id == TypeId::int64 ? c.i64[r] : int64_t{c.i32[r]};
      } else {
        text.clear();
        for (size_t c : keys) {
          text += columnar::to_debug_string(chunk.columns[c], r);
          text += '\x1f';
        }
        key = ranks.try_emplace(text, static_cast<int64_t>(ranks.size())).first->second;
      }
      log.push_back({key, commits[r], lsns[r], (uint64_t{k} << k_chunk_shift) | r});
    }
  }
  ranks = {};
  // Per key, its changes in log order (_commit_lsn, _lsn; the row id keeps the order of a
  // replayed change): the last one wins, and the key ranks by its first one.
  std::sort(log.begin(), log.end(), [](const Change& a, const Change& b) {
    return std::tie(a.key, a.commit_lsn, a.lsn, a.row) <
           std::tie(b.key, b.commit_lsn, b.lsn, b.row);
  });
  size_t kept = 0;
  for (size_t i = 0; i < log.size();) {
    size_t last = i;
    while (last + 1 < log.size() && log[last + 1].key == log[i].key) ++last;
    const uint64_t winner = log[last].row;
    const auto& winner_chunk = s.chunks_[winner >> k_chunk_shift];
    const size_t winner_row = winner & ((uint64_t{1} << k_chunk_shift) - 1);
    // A key whose last change is a delete is gone. In place: the slot written is never ahead of
    // the one read.
    if (winner_chunk.columns[op].string_at(winner_row) != "d")
      log[kept++] = {static_cast<int64_t>(winner), log[i].commit_lsn, log[i].lsn, log[i].row};
    i = last + 1;
  }
  log.resize(kept);
  std::sort(log.begin(), log.end(), [](const Change& a, const Change& b) {
    return std::tie(a.commit_lsn, a.lsn, a.row) < std::tie(b.commit_lsn, b.lsn, b.row);
  });
  s.rows_.reserve(kept);
  for (const auto& c : log) s.rows_.push_back(static_cast<size_t>(c.key));
  return s;
}

BronzeState BronzeState::every_row(columnar::RecordBatch batch) {
  BronzeState s;
  s.changes_ = batch.num_rows;
  s.rows_.resize(batch.num_rows);
  for (size_t i = 0; i < s.rows_.size(); ++i) s.rows_[i] = i;  // one chunk: ids are indices
  for (const auto& f : batch.schema) s.name_signatures_.push_back(name_signature(f.name));
  s.chunks_.push_back(std::move(batch));
  return s;
}

BronzeState BronzeState::rows_of(columnar::RecordBatch batch, std::vector<size_t> rows) {
  BronzeState s;
  s.changes_ = batch.num_rows;
  s.rows_ = std::move(rows);
  for (const auto& f : batch.schema) s.name_signatures_.push_back(name_signature(f.name));
  s.chunks_.push_back(std::move(batch));
  return s;
}

size_t BronzeState::index_of(std::string_view column) const {
  const uint64_t signature = name_signature(column);
  for (size_t i = 0; i < name_signatures_.size(); ++i)
    if (name_signatures_[i] == signature && chunks_.front().schema[i].name == column) return i;
  return k_absent;
}

std::pair<const columnar::Column*, size_t> BronzeState::cell(ColumnRef column, size_t row) const {
  const size_t c = column.index;
  if (c == k_absent) return {nullptr, 0};
  return {&chunks_[row >> k_chunk_shift].columns[c],
          row & ((size_t{1} << k_chunk_shift) - 1)};
}

std::optional<int64_t> BronzeState::integer(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
  if (!c || !c->is_valid(row)) return std::nullopt;
  if (c->type.id == TypeId::int32) return c->i32[row];
  if (c->type.id == TypeId::int64) return c->i64[row];
  return std::nullopt;
}

std::optional<double> BronzeState::number(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
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

std::optional<std::string> BronzeState::text(ColumnRef column, size_t id) const {
  if (auto view = text_view(column, id)) return std::string(*view);
  return std::nullopt;
}

std::optional<std::string_view> BronzeState::text_view(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::string) return std::nullopt;
  return c->string_at(row);
}

std::optional<bool> BronzeState::boolean(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::boolean) return std::nullopt;
  return c->bools[row] != 0;
}

std::optional<int32_t> BronzeState::date(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::date32) return std::nullopt;
  return c->i32[row];
}

std::optional<int64_t> BronzeState::timestamp(ColumnRef column, size_t id) const {
  auto [c, row] = cell(column, id);
  if (!c || !c->is_valid(row) || c->type.id != TypeId::timestamp_us) return std::nullopt;
  return c->i64[row];
}

std::optional<int64_t> BronzeState::cents(std::string_view column, size_t id) const {
  auto [c, row] = cell(this->column(column), id);
  if (!c || !c->is_valid(row)) return std::nullopt;
  if (c->type.id == TypeId::decimal && !columnar::is_wide_decimal(c->type)) {
    int64_t v = c->i64[row];
    int scale = c->type.scale;
    for (; scale < 2; ++scale) v *= 10;
    int64_t divisor = 1;
    for (; scale > 2; --scale) divisor *= 10;
    return (v + (v >= 0 ? divisor / 2 : -divisor / 2)) / divisor;
  }
  auto n = number(column, id);
  if (!n) return std::nullopt;
  return std::llround(*n * 100);
}

}  // namespace sl::lakehouse
