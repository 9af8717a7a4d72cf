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

// One change as sorted: its key and (file << 32 | row), bit 63 set for a delete. 16 bytes: the
// sort moves half what it would with the change's place in the log beside them.
struct Change {
  int64_t key;
  uint64_t where;
};
// A change's place in the log, kept apart (by the change's index in file order): read only for
// the keys changed more than once.
struct LogPlace {
  int64_t commit_lsn;
  int64_t lsn;
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
  delta::Snapshot part;  // what a scan reads (not every file's tombstones and stats, once per call)
  part.version = snapshot.version;
  part.protocol = snapshot.protocol;
  part.metadata = snapshot.metadata;
  part.schema = snapshot.schema;
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

// Leaves a new element uninitialised (`resize` does not zero what is about to be written).
template <class T>
struct UninitialisedAllocator : std::allocator<T> {
  UninitialisedAllocator() = default;
  template <class U>
  UninitialisedAllocator(const UninitialisedAllocator<U>&) {}
  template <class U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// A Bronze file's changes, `batch.num_rows` of them written from `changes` and `places` on.
Status read_changes(const columnar::RecordBatch& batch, size_t file, const std::string& key_column,
                    Change* changes, LogPlace* places) {
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
  for (size_t r = 0; r < batch.num_rows; ++r) {
    // A null key is a key of its own (the lowest); BronzeState ranks it apart too.
    const int64_t k = !key->is_valid(r)                ? INT64_MIN
                      : key->type.id == TypeId::int64 ? key->i64[r]
                                                      : int64_t{key->i32[r]};
    const uint64_t where = (uint64_t{file} << 32) | r |
                           (op->is_valid(r) && op->string_at(r) == "d" ? k_delete : 0);
    changes[r] = {k, where};
    places[r] = {commit->i64[r], lsn->i64[r]};
  }
  return {};
}

// first_change[f + 1] - first_change[f]: file f's changes, from its stats (numRecords), or from a
// read of its `_lsn` column when it has none (a table written without stats).
Status count_changes(const delta::Storage& storage, const delta::Snapshot& snapshot,
                     size_t threads, std::vector<size_t>& first_change) {
  std::vector<size_t> unknown;
  for (size_t f = 0; f < snapshot.files.size(); ++f) {
    const auto records = file_records(snapshot.files[f]);
    if (records && *records >= 0)
      first_change[f + 1] = static_cast<size_t>(*records);
    else
      unknown.push_back(f);
  }
  std::vector<Status> failed(unknown.size());
  parallel_for(unknown.size(), threads, [&](size_t i) {
    failed[i] = scan_files(storage, snapshot, unknown[i], 1, {"_lsn"}, 1,
                           [&](size_t file, columnar::RecordBatch&& batch) -> Status {
      first_change[file + 1] = batch.num_rows;
      return {};
    });
  });
  for (const auto& st : failed) SL_TRY(st);
  for (size_t f = 0; f < snapshot.files.size(); ++f) first_change[f + 1] += first_change[f];
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

  // Pass 1: every change's key and place, nothing else kept. Each file's changes go to their own
  // place in the log (its first entry: the rows of the files before it), so the files are read
  // and their changes written on every thread, one file a thread, without a copy: the log is
  // allocated once (a doubling vector would hold twice it) and not zeroed first.
  const size_t files = s.snapshot_.files.size();
  std::vector<size_t> first_change(files + 1, 0);
  SL_TRY(count_changes(storage, s.snapshot_, s.threads_, first_change));
  std::vector<Change, UninitialisedAllocator<Change>> log(first_change[files]);
  std::vector<LogPlace, UninitialisedAllocator<LogPlace>> places(first_change[files]);
  const std::vector<std::string> order = {key_column, "_op", "_commit_lsn", "_lsn"};
  std::vector<Status> failed(files);
  parallel_for(files, s.threads_, [&](size_t f) {
    failed[f] = scan_files(storage, s.snapshot_, f, 1, order, 1,
                           [&](size_t file, columnar::RecordBatch&& batch) -> Status {
      if (batch.num_rows != first_change[file + 1] - first_change[file])
        return make_error(Errc::corrupt, storage.describe(s.snapshot_.files[file].path) + ": " +
                                             std::to_string(batch.num_rows) + " rows, its stats say " +
                                             std::to_string(first_change[file + 1] - first_change[file]));
      return read_changes(batch, file, key_column, log.data() + first_change[file],
                          places.data() + first_change[file]);
    });
  });
  for (const auto& st : failed) SL_TRY(st);  // the first file's error
  s.changes_ = log.size();
  // Each key's changes side by side.
  parallel_sort(log.begin(), log.end(), [](const Change& a, const Change& b) {
    return std::tie(a.key, a.where) < std::tie(b.key, b.where);
  }, s.threads_);
  // Per key, its last change in log order (_commit_lsn, _lsn; the file and row keep the order of a
  // replayed change) wins, gone when it is a delete. The winners marked in a bitmap of (file, row), each thread marking the keys starting in its slice
  // of the log in its own bitmap (no shared word; 1 bit a change, ~1.3 MB per 10M, a few slices).
  auto later = [&](const Change& a, const Change& b) {
    auto place = [&](const Change& c) {
      const uint64_t where = c.where & ~k_delete;
      return places[first_change[where >> 32] + (where & k_row_mask)];
    };
    const LogPlace pa = place(a), pb = place(b);
    return std::tie(pa.commit_lsn, pa.lsn, a.where) > std::tie(pb.commit_lsn, pb.lsn, b.where);
  };
  std::vector<size_t> first_word(files + 1, 0);  // of each file's bits
  for (size_t f = 0; f < files; ++f)
    first_word[f + 1] = first_word[f] + (first_change[f + 1] - first_change[f] + 63) / 64;
  const size_t slices = std::min<size_t>(s.threads_, 8);
  std::vector<std::vector<uint64_t>> current_bits(slices);
  auto key_start = [&](size_t i) {  // the first key starting at or after i
    while (i > 0 && i < log.size() && log[i].key == log[i - 1].key) ++i;
    return i;
  };
  parallel_for(slices, slices, [&](size_t slice) {
    auto& bits = current_bits[slice];
    bits.assign(first_word[files], 0);
    const size_t end = key_start(log.size() * (slice + 1) / slices);
    for (size_t i = key_start(log.size() * slice / slices), next; i < end; i = next) {
      size_t last = i;
      for (next = i + 1; next < log.size() && log[next].key == log[i].key; ++next)
        if (later(log[next], log[last])) last = next;
      const uint64_t where = log[last].where;
      if (where & k_delete) continue;
      const size_t bit = where & k_row_mask;
      bits[first_word[where >> 32] + bit / 64] |= uint64_t{1} << (bit % 64);
    }
  });
  log = {};
  places = {};
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
