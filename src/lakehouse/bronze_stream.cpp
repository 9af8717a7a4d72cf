// A Bronze table's current state streamed file by file.
#include "lakehouse/bronze_stream.hpp"

#include <algorithm>
#include <bit>
#include <future>
#include <tuple>

#include "common/parallel.hpp"
#include "delta/scan.hpp"
#include "lakehouse/silver_store.hpp"

namespace sl::lakehouse {

using columnar::TypeId;

namespace {

// One change: its key, its place in the log, and (file << 32 | row), bit 63 set for a delete.
struct Change {
  int64_t key;
  int64_t commit_lsn;
  int64_t lsn;
  uint64_t where;
};
constexpr uint64_t k_delete = uint64_t{1} << 63;
constexpr uint64_t k_row_mask = (uint64_t{1} << 32) - 1;

const columnar::Column* column_named(const columnar::RecordBatch& batch, std::string_view name) {
  for (size_t i = 0; i < batch.schema.size(); ++i)
    if (batch.schema[i].name == name) return &batch.columns[i];
  return nullptr;
}

// The files [first, first + count) of `snapshot`, scanned on `threads` threads: `on_file` gets
// each file's index and batch, in order (a scan hands batches over in plan order; a Bronze
// table has no partitions nor filters, so every file is planned).
Status scan_files(const delta::Storage& storage, const delta::Snapshot& snapshot, size_t first,
                  size_t count, const std::vector<std::string>& columns, size_t threads,
                  const std::function<Status(size_t, columnar::RecordBatch&&)>& on_file) {
  delta::Snapshot part = snapshot;
  part.files.assign(snapshot.files.begin() + static_cast<std::ptrdiff_t>(first),
                    snapshot.files.begin() + static_cast<std::ptrdiff_t>(first + count));
  delta::ScanOptions scan;
  scan.columns = columns;
  scan.threads = threads;
  size_t next = first;
  Status failed;
  auto scanned = delta::scan(storage, part, scan, [&](columnar::RecordBatch&& batch) {
    failed = on_file(next++, std::move(batch));
    return failed.ok();
  });
  if (!failed) return failed;  // the callback's error, before the scan's (stopped) status
  if (!scanned) return scanned;
  if (next != first + count)
    return make_error(Errc::internal, "bronze scan: " + std::to_string(next - first) +
                                          " batches for " + std::to_string(count) + " files");
  return {};
}

}  // namespace

Result<std::optional<BronzeStream>> BronzeStream::open(const delta::Storage& storage,
                                                       const std::string& key_column,
                                                       std::vector<std::string> columns,
                                                       size_t threads) {
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  BronzeStream s;
  s.snapshot_ = std::move(*snapshot);
  s.threads_ = threads > 0 ? threads : hardware_threads();
  // Only the columns the table has (an older Bronze may lack a newer source column).
  columns.push_back(key_column);
  columns.push_back("_unconverted");
  for (const auto& f : s.snapshot_.schema.fields)
    if (std::find(columns.begin(), columns.end(), f.name) != columns.end())
      s.columns_.push_back(f.name);
  if (s.snapshot_.files.size() >> 31)
    return make_error(Errc::unsupported, storage.describe("") + ": too many data files");

  // Pass 1: every change's key and place, nothing else kept.
  std::vector<Change> log;
  size_t expected = 0;  // reserved at once: a doubling vector would hold twice the log
  for (const auto& f : s.snapshot_.files) expected += static_cast<size_t>(file_records(f).value_or(0));
  log.reserve(expected);
  const std::vector<std::string> order = {key_column, "_op", "_commit_lsn", "_lsn"};
  const size_t files = s.snapshot_.files.size();
  std::vector<size_t> rows_in_file(files, 0);
  for (size_t first = 0; first < files; first += s.threads_) {
    const size_t count = std::min(s.threads_, files - first);
    SL_TRY(scan_files(storage, s.snapshot_, first, count, order, s.threads_,
                      [&](size_t file, columnar::RecordBatch&& batch) -> Status {
      const auto* key = column_named(batch, key_column);
      const auto* op = column_named(batch, "_op");
      const auto* commit = column_named(batch, "_commit_lsn");
      const auto* lsn = column_named(batch, "_lsn");
      if (!key || !op || !commit || !lsn)
        return make_error(Errc::invalid_argument,
                          "not a Bronze table keyed by " + key_column + " (no _op, _commit_lsn, _lsn)");
      if (key->type.id != TypeId::int64 && key->type.id != TypeId::int32)
        return make_error(Errc::unsupported, "bronze key " + key_column + " is not an integer");
      if (batch.num_rows >> 32)
        return make_error(Errc::unsupported, "a Bronze data file of more than 2^32 rows");
      s.changes_ += batch.num_rows;
      rows_in_file[file] = batch.num_rows;
      for (size_t r = 0; r < batch.num_rows; ++r) {
        // A null key is a key of its own (the lowest); BronzeState ranks it apart too.
        const int64_t k = !key->is_valid(r)                ? INT64_MIN
                          : key->type.id == TypeId::int64 ? key->i64[r]
                                                          : int64_t{key->i32[r]};
        const uint64_t where = (uint64_t{file} << 32) | r |
                               (op->is_valid(r) && op->string_at(r) == "d" ? k_delete : 0);
        log.push_back({k, commit->i64[r], lsn->i64[r], where});
      }
      return {};
    }));
  }
  // Per key, its changes in log order (_commit_lsn, _lsn; the file and row keep the order of a
  // replayed change): the last one wins, gone when it is a delete.
  parallel_sort(log.begin(), log.end(), [](const Change& a, const Change& b) {
    return std::tie(a.key, a.commit_lsn, a.lsn, a.where) <
           std::tie(b.key, b.commit_lsn, b.lsn, b.where);
  }, s.threads_);
  // The last change of each key marked in a bitmap of (file, row), each thread marking a slice of
  // the log in its own bitmap (no shared word; 1 bit a change, ~1.3 MB per 10M, a few slices at
  // most): a change is the last of its key when the next one's key differs, wherever that one is.
  std::vector<size_t> first_word(files + 1, 0);  // of each file's bits
  for (size_t f = 0; f < files; ++f) first_word[f + 1] = first_word[f] + (rows_in_file[f] + 63) / 64;
  const size_t slices = std::min<size_t>(s.threads_, 8);
  std::vector<std::vector<uint64_t>> current_bits(slices);
  parallel_for(slices, slices, [&](size_t slice) {
    auto& bits = current_bits[slice];
    bits.assign(first_word[files], 0);
    const size_t end = log.size() * (slice + 1) / slices;
    for (size_t i = log.size() * slice / slices; i < end; ++i) {
      const uint64_t where = log[i].where;
      if ((i + 1 < log.size() && log[i + 1].key == log[i].key) || (where & k_delete)) continue;
      const size_t bit = where & k_row_mask;
      bits[first_word[where >> 32] + bit / 64] |= uint64_t{1} << (bit % 64);
    }
  });
  log = {};
  // Each file's current rows read off the bitmaps, so in ascending order.
  s.current_.resize(files);
  parallel_for(files, s.threads_, [&](size_t f) {
    auto& rows = s.current_[f];
    for (size_t w = first_word[f]; w < first_word[f + 1]; ++w) {
      uint64_t word = 0;
      for (const auto& bits : current_bits) word |= bits[w];
      for (; word != 0; word &= word - 1)
        rows.push_back(static_cast<uint32_t>((w - first_word[f]) * 64 + std::countr_zero(word)));
    }
  });
  for (const auto& rows : s.current_) s.current_rows_ += rows.size();
  return std::optional<BronzeStream>(std::move(s));
}

Status BronzeStream::for_each_file(const delta::Storage& storage,
                                   const std::function<Status(const BronzeState&)>& on_file) const {
  // Pass 2: the files holding current rows, a few decoded at once (consecutive files only, so that
  // a scan's batches map to them one to one), the next few decoded on other threads while the
  // caller works on these: both cores busy, two groups of files in memory at most.
  std::vector<std::pair<size_t, size_t>> groups;  // (first file, count)
  for (size_t f = 0; f < current_.size(); ++f) {
    if (current_[f].empty()) continue;
    if (!groups.empty() && groups.back().first + groups.back().second == f &&
        groups.back().second < threads_)
      ++groups.back().second;
    else
      groups.emplace_back(f, 1);
  }
  auto decode = [this, &storage](std::pair<size_t, size_t> group)
      -> Result<std::vector<BronzeState>> {
    std::vector<BronzeState> states;
    SL_TRY(scan_files(storage, snapshot_, group.first, group.second, columns_, threads_,
                      [&](size_t file, columnar::RecordBatch&& batch) -> Status {
      const auto& rows = current_[file];
      states.push_back(BronzeState::rows_of(std::move(batch),
                                            std::vector<size_t>(rows.begin(), rows.end())));
      return {};
    }));
    return states;
  };
  if (groups.empty()) return {};
  auto next = std::async(std::launch::async, decode, groups.front());
  for (size_t g = 0; g < groups.size(); ++g) {
    auto states = next.get();
    if (g + 1 < groups.size()) next = std::async(std::launch::async, decode, groups[g + 1]);
    if (!states) return states.error();  // (the pending decode is joined by its future)
    for (const auto& state : *states) SL_TRY(on_file(state));
  }
  return {};
}

}  // namespace sl::lakehouse
