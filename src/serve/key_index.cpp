// A table's rows by key, one part per data file (see key_index.hpp).
#include "serve/key_index.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "columnar/batch_ops.hpp"
#include "columnar/memory_size.hpp"
#include "delta/scan.hpp"

namespace sl::serve {

namespace {

std::optional<int64_t> integer_at(const columnar::Column& c, size_t row) {
  if (!c.is_valid(row)) return std::nullopt;
  if (c.type.id == columnar::TypeId::int32) return c.i32[row];
  if (c.type.id == columnar::TypeId::int64) return c.i64[row];
  return std::nullopt;
}

// A part built under another schema (a column added since) is built again.
bool same_fields(const std::vector<columnar::Field>& a, const std::vector<columnar::Field>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.type == y.type;
  });
}

}  // namespace

std::string file_id(const delta::Add& add) {
  return add.deletion_vector ? add.path + "#" + add.deletion_vector->unique_id() : add.path;
}

Result<std::shared_ptr<const KeyIndexPart>> KeyIndexPart::build(std::vector<std::string> file_ids,
                                                                columnar::RecordBatch rows,
                                                                const std::string& key_column) {
  const auto field = std::find_if(rows.schema.begin(), rows.schema.end(),
                                  [&](const auto& f) { return f.name == key_column; });
  if (field == rows.schema.end())
    return make_error(Errc::invalid_argument, "no column '" + key_column + "'");
  const auto& keys = rows.columns[static_cast<size_t>(field - rows.schema.begin())];
  // The rows with a key, by key, each key's rows in the file's order.
  std::vector<std::pair<int64_t, uint32_t>> order;
  order.reserve(rows.num_rows);
  for (size_t r = 0; r < rows.num_rows; ++r)
    if (auto k = integer_at(keys, r)) order.emplace_back(*k, static_cast<uint32_t>(r));
  std::sort(order.begin(), order.end());
  std::vector<uint32_t> sorted(order.size());
  for (size_t i = 0; i < order.size(); ++i) sorted[i] = order[i].second;

  auto part = std::shared_ptr<KeyIndexPart>(new KeyIndexPart());
  part->file_ids_ = std::move(file_ids);
  part->schema_ = rows.schema;
  part->rows_ = sorted.size();
  if (RowSpill::supports(rows.schema)) {
    SL_ASSIGN_OR_RETURN(auto spill, RowSpill::create());
    part->spill_.emplace(std::move(spill));
  }
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && order[j].first == order[i].first) ++j;
    uint64_t start = 0;
    if (part->spill_) start = part->spill_->append(rows, sorted.data() + i, j - i);
    if (start > std::numeric_limits<uint32_t>::max())
      return make_error(Errc::unsupported, "more than 4 GiB of indexed rows in a part");
    part->entries_.push_back({order[i].first, static_cast<uint32_t>(i),
                              static_cast<uint32_t>(start)});
    i = j;
  }
  uint64_t end = 0;
  if (part->spill_) {
    SL_TRY(part->spill_->finish());
    end = part->spill_->size();
    if (end > std::numeric_limits<uint32_t>::max())
      return make_error(Errc::unsupported, "more than 4 GiB of indexed rows in a part");
  } else {
    part->in_memory_ = columnar::take_rows(rows, sorted);
  }
  // The end marker: its first_row and start close the last key's range.
  part->entries_.push_back({std::numeric_limits<int64_t>::max(),
                            static_cast<uint32_t>(sorted.size()), static_cast<uint32_t>(end)});
  part->entries_.shrink_to_fit();
  return std::shared_ptr<const KeyIndexPart>(std::move(part));
}

Result<std::shared_ptr<const KeyIndexPart>> KeyIndexPart::merge(
    const std::vector<std::shared_ptr<const KeyIndexPart>>& runs) {
  if (runs.size() == 1) return runs.front();
  auto part = std::shared_ptr<KeyIndexPart>(new KeyIndexPart());
  if (runs.empty() || std::any_of(runs.begin(), runs.end(), [](const auto& r) { return !r->spill_; }))
    return make_error(Errc::invalid_argument, "key index: only spilled runs are merged");
  part->schema_ = runs.front()->schema_;
  for (const auto& run : runs)
    part->file_ids_.insert(part->file_ids_.end(), run->file_ids_.begin(), run->file_ids_.end());
  SL_ASSIGN_OR_RETURN(auto spill, RowSpill::create());
  part->spill_.emplace(std::move(spill));
  // Each run is read forward in blocks: its keys' rows are consumed in key order, so one block
  // serves many small keys and a run's file is read once.
  constexpr size_t k_block = 128 << 10;
  struct Cursor {
    const KeyIndexPart* run;
    size_t entry = 0;  // the next key's entry (the end marker once done)
    std::string block;
    uint64_t block_start = 0;
  };
  std::vector<Cursor> cursors;
  for (const auto& run : runs) cursors.push_back({run.get()});
  // Appends [from, to) of `c`'s file to the part.
  auto copy = [&](Cursor& c, uint64_t from, uint64_t to) -> Status {
    while (from < to) {
      if (from < c.block_start || from >= c.block_start + c.block.size()) {
        const uint64_t file_end = c.run->spill_->size();
        c.block_start = from;
        SL_TRY(c.run->spill_->read_bytes(from, std::min<uint64_t>(k_block, file_end - from),
                                         c.block));
      }
      const uint64_t upto = std::min<uint64_t>(to, c.block_start + c.block.size());
      part->spill_->append_bytes(
          std::string_view(c.block).substr(from - c.block_start, upto - from));
      from = upto;
    }
    return {};
  };
  uint32_t rows = 0;
  for (;;) {
    int64_t key = std::numeric_limits<int64_t>::max();
    for (const auto& c : cursors)
      if (c.entry + 1 < c.run->entries_.size()) key = std::min(key, c.run->entries_[c.entry].key);
    if (key == std::numeric_limits<int64_t>::max()) break;  // every run done
    const uint64_t start = part->spill_->size();
    if (start > std::numeric_limits<uint32_t>::max())
      return make_error(Errc::unsupported, "more than 4 GiB of indexed rows in a part");
    part->entries_.push_back({key, rows, static_cast<uint32_t>(start)});
    for (auto& c : cursors) {
      const auto& entries = c.run->entries_;
      if (c.entry + 1 >= entries.size() || entries[c.entry].key != key) continue;
      const auto& e = entries[c.entry];
      const auto& next = entries[c.entry + 1];
      SL_TRY(copy(c, e.start, next.start));
      rows += next.first_row - e.first_row;
      ++c.entry;
    }
  }
  cursors.clear();
  SL_TRY(part->spill_->finish());
  const uint64_t end = part->spill_->size();
  if (end > std::numeric_limits<uint32_t>::max())
    return make_error(Errc::unsupported, "more than 4 GiB of indexed rows in a part");
  part->rows_ = rows;
  part->entries_.push_back(
      {std::numeric_limits<int64_t>::max(), rows, static_cast<uint32_t>(end)});
  part->entries_.shrink_to_fit();
  return std::shared_ptr<const KeyIndexPart>(std::move(part));
}

Status KeyIndexPart::append_rows_of(int64_t key, columnar::RecordBatch& out) const {
  // Every entry but the end marker.
  const auto last = entries_.end() - 1;
  const auto it = std::lower_bound(entries_.begin(), last, key,
                                   [](const Entry& e, int64_t k) { return e.key < k; });
  if (it == last || it->key != key) return {};
  const auto next = it + 1;
  if (!spill_) {
    for (size_t c = 0; c < out.columns.size(); ++c)
      out.columns[c].append_rows(in_memory_.columns[c], it->first_row, next->first_row);
    out.num_rows += next->first_row - it->first_row;
    return {};
  }
  SL_ASSIGN_OR_RETURN(auto rows, spill_->read(schema_, it->start, next->start,
                                              next->first_row - it->first_row));
  return columnar::append_batch(out, rows);
}

size_t KeyIndexPart::memory_bytes() const {
  size_t bytes = sizeof(*this) + entries_.capacity() * sizeof(Entry);
  for (const auto& c : in_memory_.columns)
    bytes += c.validity.capacity() + c.bools.capacity() + c.i32.capacity() * 4 +
             c.i64.capacity() * 8 + c.i128.capacity() * 16 + c.f32.capacity() * 4 +
             c.f64.capacity() * 8 + c.offsets.capacity() * 4 + c.bytes.capacity();
  return bytes;
}

Result<columnar::RecordBatch> KeyIndex::rows_of(int64_t key) const {
  columnar::RecordBatch out;
  out.schema = schema;
  for (const auto& f : schema) out.columns.push_back(columnar::Column::for_field(f));
  for (const auto& part : parts) {
    SL_TRY(part->append_rows_of(key, out));
  }
  return out;
}

size_t KeyIndex::rows() const {
  size_t n = 0;
  for (const auto& p : parts) n += p->rows();
  return n;
}

size_t KeyIndex::memory_bytes() const {
  size_t n = sizeof(*this) + parts.capacity() * sizeof(parts[0]);
  for (const auto& p : parts) n += p->memory_bytes();
  return n;
}

uint64_t KeyIndex::disk_bytes() const {
  uint64_t n = 0;
  for (const auto& p : parts) n += p->disk_bytes();
  return n;
}

Result<std::shared_ptr<const KeyIndex>> build_key_index(const delta::Storage& storage,
                                                        const delta::Snapshot& snapshot,
                                                        const std::vector<std::string>& columns,
                                                        const std::string& key_column,
                                                        const KeyIndex* reuse) {
  delta::ScanOptions scan;
  scan.columns = columns;
  auto index = std::make_shared<KeyIndex>();
  index->version = snapshot.version;
  SL_ASSIGN_OR_RETURN(index->schema, delta::scan_schema(snapshot, scan));
  if (std::none_of(index->schema.begin(), index->schema.end(),
                   [&](const auto& f) { return f.name == key_column; }))
    return make_error(Errc::invalid_argument,
                      storage.describe("") + " has no column '" + key_column + "'");
  // The previous parts whose files are all still live.
  std::set<std::string> live;
  for (const auto& add : snapshot.files) live.insert(file_id(add));
  std::set<std::string> covered;
  if (reuse)
    for (const auto& p : reuse->parts)
      if (same_fields(p->schema(), index->schema) &&
          std::all_of(p->file_ids().begin(), p->file_ids().end(),
                      [&](const auto& f) { return live.count(f) > 0; })) {
        index->parts.push_back(p);
        covered.insert(p->file_ids().begin(), p->file_ids().end());
      }
  // The other files, read one at a time (a snapshot of that file alone, scanned as the table
  // would be: partition values, missing columns as nulls, deletion vectors applied), gathered
  // into parts of about k_part_rows rows: a page reads one range per part, and a refresh writes
  // many small files (one per partition and writer), so one part per file would mean as many
  // reads per page and an entry per activity. A part is built as runs of ~k_run_bytes of
  // decoded rows, each sorted and spilled, then merged from disk (nested columns, which cannot
  // be spilled, are sorted whole in memory as they are held there anyway).
  const bool spilled = RowSpill::supports(index->schema);
  delta::Snapshot one = snapshot;
  one.files.clear();
  one.tombstones.clear();
  columnar::RecordBatch pending;
  std::vector<std::string> pending_files;
  std::vector<std::shared_ptr<const KeyIndexPart>> runs;
  size_t run_rows = 0;
  const auto close_run = [&]() -> Status {
    if (pending_files.empty()) return {};
    auto built = KeyIndexPart::build(std::move(pending_files), std::move(pending), key_column);
    if (!built) return built.error().with_context(storage.describe(""));
    run_rows += (*built)->rows();
    runs.push_back(std::move(*built));
    pending = {};
    pending_files.clear();
    return {};
  };
  const auto close_part = [&]() -> Status {
    SL_TRY(close_run());
    if (runs.empty()) return {};
    auto merged = KeyIndexPart::merge(runs);
    if (!merged) return merged.error().with_context(storage.describe(""));
    index->parts.push_back(std::move(*merged));
    runs.clear();
    run_rows = 0;
    return {};
  };
  for (const auto& add : snapshot.files) {
    std::string id = file_id(add);
    if (covered.count(id)) continue;
    one.files = {add};
    SL_ASSIGN_OR_RETURN(auto rows, delta::scan_all(storage, one, scan));
    if (pending_files.empty())
      pending = std::move(rows);  // not copied: a file's rows may be a run by themselves
    else
      SL_TRY(columnar::append_batch(pending, rows));
    pending_files.push_back(std::move(id));
    if (!spilled) {
      if (pending.num_rows >= k_part_rows) SL_TRY(close_part());
      continue;
    }
    if (columnar::memory_bytes(pending) >= k_run_bytes) SL_TRY(close_run());
    if (run_rows + pending.num_rows >= k_part_rows) SL_TRY(close_part());
  }
  SL_TRY(close_part());
  return std::shared_ptr<const KeyIndex>(std::move(index));
}

}  // namespace sl::serve
