// Scan: rows back as written, projection, partition and stats pruning, missing columns as null.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "delta/footer_cache.hpp"
#include "delta/memory_storage.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "delta/table_writer.hpp"
#include "parquet/file_reader.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::people;

// The rows of a data file, from its footer.
int64_t rows_of(const MemoryStorage& storage, const Add& f) {
  auto path = decode_uri_path(f.path);
  auto bytes = storage.read(*path);
  if (!bytes) return -1;
  auto reader = parquet::ParquetReader::open_bytes(std::move(*bytes), *path);
  return reader ? (*reader)->metadata().num_rows : -1;
}

WriteOptions options_for(std::vector<std::string> partitions = {}) {
  WriteOptions o;
  o.write_checkpoints = false;
  o.partition_columns = std::move(partitions);
  return o;
}

TEST(Scan, ReturnsTheRowsWrittenWithPartitionColumns) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 30), options_for({"day"})).ok());
  auto snapshot = load_snapshot(storage);
  auto all = scan_all(storage, *snapshot);
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  EXPECT_EQ(all->num_rows, 30u);
  ASSERT_EQ(all->schema.size(), 3u);
  EXPECT_EQ(all->schema[2].name, "day");
  int64_t id_sum = 0;
  for (size_t r = 0; r < all->num_rows; ++r) {
    int64_t id = all->columns[0].i64[r];
    id_sum += id;
    EXPECT_EQ(all->columns[2].i32[r], 20000 + id % 3);
    EXPECT_EQ(all->columns[1].is_valid(r), id % 5 != 0);
  }
  EXPECT_EQ(id_sum, 435);
}

// write_data_files taking its batch over (the Silver spill's form) writes what the copying form
// writes: the same partitions, rows and stats; one partition's rows are written without a copy.
TEST(Scan, WriteDataFilesTakingTheBatchOverWritesTheSameFiles) {
  for (int32_t one_day : {0, 1}) {
    auto batch = people(0, 30);
    if (one_day)
      for (auto& d : batch.columns[2].i32) d = 20000;  // a batch of one partition
    MemoryStorage copied, taken;
    auto a = write_data_files(copied, batch, {"day"}, options_for({"day"}), true);
    auto moved = batch;
    auto b = write_data_files(taken, std::move(moved), {"day"}, options_for({"day"}), true);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(moved.columns.empty());
    ASSERT_EQ(a->size(), one_day ? 1u : 3u);
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].partition_values, (*b)[i].partition_values);
      EXPECT_EQ((*a)[i].stats, (*b)[i].stats);
      EXPECT_EQ(copied.read((*a)[i].path)->size(), taken.read((*b)[i].path)->size());
    }
  }
  auto no_day = people(0, 3);
  no_day.schema.pop_back();
  no_day.columns.pop_back();
  MemoryStorage storage;
  EXPECT_FALSE(write_data_files(storage, std::move(no_day), {"day"}, options_for({"day"}), true).ok());
}

// Rows grouped by two partition columns (a text with a null, a date) that come in runs and come
// back (a, a, b, a, null...), each partition's rows in their order; a partition longer than
// max_rows_per_file written as ranges of the batch; the stats of each range its own.
TEST(Scan, PartitionRunsGroupedAndLongPartitionsSplitIntoRanges) {
  auto batch = people(0, 60);
  columnar::Column team({columnar::TypeId::string});
  for (size_t r = 0; r < batch.num_rows; ++r) {
    if (r % 20 >= 15)
      team.append_null();
    else
      team.append_string(r % 20 < 10 ? "a b" : "c");  // runs of 10, 5 and 5 rows
  }
  for (auto& d : batch.columns[2].i32) d = 20000;  // one day: the team alone splits the rows
  batch.schema.push_back({"team", {columnar::TypeId::string}, true});
  batch.columns.push_back(std::move(team));
  auto options = options_for({"day", "team"});
  options.max_rows_per_file = 12;
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, batch, options).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  // "a b": 30 rows → 12 + 12 + 6; "c": 15 → 12 + 3; null: 15 → 12 + 3.
  std::map<std::optional<std::string>, std::vector<int64_t>> files_per_team;
  for (const auto& f : snapshot->files) {
    EXPECT_EQ(f.partition_values.at("day"), "2024-10-04");
    const auto& team_value = f.partition_values.at("team");
    EXPECT_NE(f.path.find(team_value ? (*team_value == "a b" ? "team=a%2520b/" : "team=c/")
                                     : "team=__HIVE_DEFAULT_PARTITION__/"),
              std::string::npos)
        << f.path;
    files_per_team[team_value].push_back(rows_of(storage, f));
  }
  using Counts = std::vector<int64_t>;
  auto sorted = [](Counts c) {
    std::sort(c.begin(), c.end());
    return c;
  };
  EXPECT_EQ(sorted(files_per_team[std::string("a b")]), (Counts{6, 12, 12}));
  EXPECT_EQ(sorted(files_per_team[std::string("c")]), (Counts{3, 12}));
  EXPECT_EQ(sorted(files_per_team[std::nullopt]), (Counts{3, 12}));
  auto all = scan_all(storage, *snapshot);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->num_rows, 60u);
  std::map<std::optional<std::string>, std::vector<int64_t>> ids_per_team;
  size_t team_column = 0;
  for (size_t c = 0; c < all->schema.size(); ++c)
    if (all->schema[c].name == "team") team_column = c;
  for (size_t r = 0; r < all->num_rows; ++r) {
    const auto& t = all->columns[team_column];
    ids_per_team[t.is_valid(r) ? std::optional<std::string>(std::string(t.string_at(r)))
                               : std::nullopt]
        .push_back(all->columns[0].i64[r]);
  }
  for (auto& [team_value, ids] : ids_per_team) {
    std::sort(ids.begin(), ids.end());
    for (int64_t id : ids) {
      const int64_t in_cycle = id % 20;
      EXPECT_EQ(team_value, in_cycle >= 15  ? std::nullopt
                            : in_cycle < 10 ? std::optional<std::string>("a b")
                                            : std::optional<std::string>("c"))
          << id;
    }
  }
}

TEST(Scan, PrunesFilesByPartitionAndStats) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 10), options_for({"day"})).ok());
  ASSERT_TRUE(write_table(storage, people(100, 10), options_for()).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_EQ(snapshot->files.size(), 6u);

  ScanOptions by_day;
  by_day.filters = {*parse_predicate("day = 2024-10-04")};
  auto plan = plan_scan(*snapshot, by_day);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->files.size(), 2u);
  EXPECT_EQ(plan->skipped_by_partition, 4u);
  auto rows = scan_all(storage, *snapshot, by_day);
  for (size_t r = 0; r < rows->num_rows; ++r) EXPECT_EQ(rows->columns[2].i32[r], 20000);

  ScanOptions by_id;
  by_id.columns = {"name"};
  by_id.filters = {*parse_predicate("id >= 105")};
  plan = plan_scan(*snapshot, by_id);
  EXPECT_EQ(plan->skipped_by_stats, 3u);  // the files of ids 0..9; the others straddle 105
  auto selected = scan_all(storage, *snapshot, by_id);
  ASSERT_TRUE(selected.ok());
  EXPECT_EQ(selected->num_rows, 5u);
  ASSERT_EQ(selected->schema.size(), 1u);
  std::set<std::string> names;
  for (size_t r = 0; r < selected->num_rows; ++r) {
    names.insert(selected->columns[0].is_valid(r) ? std::string(selected->columns[0].string_at(r))
                                                  : "null");
  }
  EXPECT_EQ(names, (std::set<std::string>{"null", "name-106", "name-107", "name-108", "name-109"}));

  ScanOptions nulls;
  nulls.filters = {*parse_predicate("name is null")};
  EXPECT_EQ(scan_all(storage, *snapshot, nulls)->num_rows, 4u);  // ids 0, 5, 100, 105
  EXPECT_FALSE(parse_predicate("id ~ 3").ok());
}

TEST(Scan, SchemaEvolutionReadsOldFilesWithNulls) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 2), options_for()).ok());
  auto wider = people(2, 2);
  wider.schema.push_back({"score", {columnar::TypeId::float64}, true});
  wider.columns.emplace_back(columnar::DataType{columnar::TypeId::float64});
  wider.columns.back().append_f64(1.5);
  wider.columns.back().append_f64(2.5);
  auto refused = write_table(storage, wider, options_for());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("'score'"), std::string::npos);
  WriteOptions merge = options_for();
  merge.merge_schema = true;
  ASSERT_TRUE(write_table(storage, wider, merge).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_EQ(snapshot->schema.fields.size(), 4u);
  auto all = scan_all(storage, *snapshot);
  ASSERT_EQ(all->num_rows, 4u);
  EXPECT_FALSE(all->columns[3].is_valid(0));
  EXPECT_EQ(all->columns[3].f64[3], 2.5);
}

TEST(Scan, AMissingDataFileIsNamed) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 2), options_for()).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(storage.remove(snapshot->files[0].path).ok());
  auto all = scan_all(storage, *snapshot);
  ASSERT_FALSE(all.ok());
  EXPECT_NE(all.error().message.find(snapshot->files[0].path), std::string::npos)
      << all.error().message;
}

}  // namespace
}  // namespace sl::delta

namespace sl::delta {
namespace {

// A storage that wants ranged reads (as S3 does), counts the requests and bytes it hands out and
// the most reads it ever had in flight at once; `parallel` and `cache` stand for S3's settings.
class RangedCounting final : public Storage {
 public:
  explicit RangedCounting(Storage& inner, int parallel = 1, FooterCache* cache = nullptr)
      : inner_(inner), parallel_(parallel), cache_(cache) {}
  mutable std::atomic<uint64_t> bytes = 0;
  mutable std::atomic<size_t> requests = 0;
  mutable std::atomic<int> in_flight = 0, most_in_flight = 0;
  Result<std::string> read(std::string_view path) const override {
    if (!path.ends_with(".parquet")) return inner_.read(path);
    auto r = request([&] { return inner_.read(path); });
    if (r.ok()) ++requests, bytes += r->size();
    return r;
  }
  Result<std::string> read_range(std::string_view path, uint64_t offset,
                                 uint64_t length) const override {
    auto r = request([&] { return inner_.read_range(path, offset, length); });
    if (r.ok()) ++requests, bytes += r->size();
    return r;
  }
  // One data file request, counted while in flight.
  template <typename Read>
  Result<std::string> request(Read read) const {
    const int now = ++in_flight;
    for (int seen = most_in_flight; now > seen && !most_in_flight.compare_exchange_weak(seen, now);) {
    }
    // Long enough for the other readers to start theirs (a network round trip).
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto r = read();
    --in_flight;
    return r;
  }
  bool prefers_ranged_reads() const override { return true; }
  int max_parallel_reads() const override { return parallel_; }
  FooterCache* footer_cache() const override { return cache_; }
  Result<FileInfo> stat(std::string_view path) const override { return inner_.stat(path); }
  Result<std::vector<FileInfo>> list_from(std::string_view dir,
                                          std::string_view first) const override {
    return inner_.list_from(dir, first);
  }
  Result<std::vector<FileInfo>> list_recursive(std::string_view dir) const override {
    return inner_.list_recursive(dir);
  }
  Result<PutOutcome> put_if_absent(std::string_view path, std::string_view b) override {
    return inner_.put_if_absent(path, b);
  }
  Status put(std::string_view path, std::string_view b) override { return inner_.put(path, b); }
  Status remove(std::string_view path) override { return inner_.remove(path); }
  std::string describe(std::string_view path) const override { return inner_.describe(path); }

 private:
  Storage& inner_;
  int parallel_;
  FooterCache* cache_;
};

TEST(Scan, RangedStoragesFetchTheFooterAndProjectedChunksOnly) {
  MemoryStorage memory;
  ASSERT_TRUE(write_table(memory, people(0, 400'000), options_for()).ok());
  auto snapshot = load_snapshot(memory);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->files.size(), 1u);
  const int64_t size = snapshot->files[0].size;
  ASSERT_GT(size, int64_t{1} << 20);  // large enough to be read by ranges
  auto ids = [&](const Storage& storage, std::vector<std::string> columns) {
    ScanOptions options;
    options.columns = std::move(columns);
    std::vector<int64_t> out;
    auto status = scan(storage, *snapshot, options, [&](columnar::RecordBatch&& batch) {
      for (size_t i = 0; i < batch.num_rows; ++i) out.push_back(batch.columns[0].i64[i]);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.error().to_string();
    return out;
  };
  RangedCounting ranged(memory);
  const auto expected = ids(memory, {"id"});
  EXPECT_EQ(ids(ranged, {"id"}), expected);
  EXPECT_GE(ranged.requests, 2u);  // the tail, then the id chunks
  EXPECT_LT(ranged.bytes, static_cast<uint64_t>(size));  // not the name and day chunks
  // Every column projected: the same rows through ranges.
  EXPECT_EQ(ids(ranged, {"id", "name", "day"}), expected);
}

// The ids of a one-column scan, in the order the batches come.
std::vector<int64_t> scanned_ids(const Storage& storage, const Snapshot& snapshot) {
  ScanOptions options;
  options.columns = {"id"};
  std::vector<int64_t> out;
  auto status = scan(storage, snapshot, options, [&](columnar::RecordBatch&& batch) {
    for (size_t i = 0; i < batch.num_rows; ++i) out.push_back(batch.columns[0].i64[i]);
    return true;
  });
  EXPECT_TRUE(status.ok()) << status.error().to_string();
  return out;
}

TEST(Scan, AFooterCacheSavesTheTailRequestOfTheNextScans) {
  MemoryStorage memory;
  ASSERT_TRUE(write_table(memory, people(0, 400'000), options_for()).ok());
  auto snapshot = load_snapshot(memory);
  ASSERT_TRUE(snapshot.ok());
  FooterCache cache;
  RangedCounting ranged(memory, 1, &cache);
  const auto first = scanned_ids(ranged, *snapshot);
  const size_t first_requests = ranged.requests;
  EXPECT_EQ(cache.entries(), 1u);
  ranged.requests = 0;
  EXPECT_EQ(scanned_ids(ranged, *snapshot), first);
  EXPECT_EQ(ranged.requests, first_requests - 1);  // the chunks only
  // A cache holds what its budget allows: a footer larger than a quarter of it is not kept.
  FooterCache tiny(64);
  RangedCounting small(memory, 1, &tiny);
  EXPECT_EQ(scanned_ids(small, *snapshot), first);
  EXPECT_EQ(tiny.entries(), 0u);
}

TEST(Scan, FilesAreReadInParallelWithinTheBoundAndHandedOverInOrder) {
  MemoryStorage memory;
  WriteOptions options = options_for();
  options.max_rows_per_file = 100'000;  // 12 files above the 1 MiB ranged-read threshold
  ASSERT_TRUE(write_table(memory, people(0, 1'200'000), options).ok());
  auto snapshot = load_snapshot(memory);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->files.size(), 12u);
  const auto expected = scanned_ids(memory, *snapshot);
  RangedCounting serial(memory, 1);
  EXPECT_EQ(scanned_ids(serial, *snapshot), expected);
  EXPECT_EQ(serial.most_in_flight, 1);
  RangedCounting parallel(memory, 4);
  EXPECT_EQ(scanned_ids(parallel, *snapshot), expected);  // same rows, same order
  EXPECT_GT(parallel.most_in_flight, 1);
  EXPECT_LE(parallel.most_in_flight, 4);
  // Stopping early leaves no reader behind (the scan returns, joined).
  size_t batches = 0;
  ScanOptions one;
  one.columns = {"id"};
  ASSERT_TRUE(scan(parallel, *snapshot, one, [&](columnar::RecordBatch&&) {
                return ++batches < 2;
              }).ok());
  EXPECT_EQ(batches, 2u);
}

}  // namespace
}  // namespace sl::delta
