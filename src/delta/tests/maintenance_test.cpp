// optimize keeps rows and versions readable (streamed: bounded row groups, stats as if written
// at once); vacuum deletes only expired, unreferenced files.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "columnar/batch_ops.hpp"
#include "delta/data_file_writer.hpp"
#include "delta/maintenance.hpp"
#include "delta/memory_storage.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "delta/stats.hpp"
#include "parquet/file_reader.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::people;

WriteOptions quiet() {
  WriteOptions o;
  o.write_checkpoints = false;
  return o;
}

TEST(Optimize, CompactsSmallFilesWithoutChangingRows) {
  MemoryStorage storage;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(write_table(storage, people(i * 10, 10), quiet()).ok());
  OptimizeOptions options;
  options.write = quiet();
  auto result = optimize(storage, options);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result->version, 5);
  EXPECT_EQ(result->files_removed, 5u);
  EXPECT_EQ(result->files_added, 1u);
  auto snapshot = load_snapshot(storage);
  ASSERT_EQ(snapshot->files.size(), 1u);
  EXPECT_FALSE(snapshot->files[0].data_change);
  EXPECT_EQ(snapshot->commit_info->operation, "OPTIMIZE");
  EXPECT_EQ(scan_all(storage, *snapshot)->num_rows, 50u);
  // Time travel still reads the old files.
  EXPECT_EQ(scan_all(storage, *load_snapshot(storage, {.version = 4}))->num_rows, 50u);
  // Nothing left to compact: no commit.
  EXPECT_EQ(optimize(storage, options)->version, -1);
}

// people() with a double (NaN in one batch when asked), a struct {n long, s string} and long names.
columnar::RecordBatch varied(int64_t first, size_t n, bool with_nan) {
  using columnar::Column;
  using columnar::TypeId;
  auto b = people(first, n);
  columnar::Field inner{"inner", {TypeId::struct_}, true,
                        {{"n", {TypeId::int64}, true}, {"s", {TypeId::string}, true}}};
  b.schema.push_back({"score", {TypeId::float64}, true});
  b.schema.push_back(inner);
  b.schema.push_back({"note", {TypeId::string}, true});
  Column score({TypeId::float64});
  Column s = Column::for_field(inner);
  Column note({TypeId::string});
  for (size_t i = 0; i < n; ++i) {
    const int64_t id = first + static_cast<int64_t>(i);
    if (with_nan && i == 1) {
      score.append_f64(std::nan(""));
    } else {
      score.append_f64(static_cast<double>(id % 7) - 3.5);
    }
    if (id % 4 == 0) {
      s.append_null();  // its fields too
    } else {
      s.children[0].append_i64(-id);
      s.children[1].append_string(id % 3 ? "z" + std::to_string(id) : "a");
      s.append_struct();
    }
    note.append_string(std::string(id % 2 ? 40 : 5, static_cast<char>('a' + id % 20)));
  }
  b.columns.push_back(std::move(score));
  b.columns.push_back(std::move(s));
  b.columns.push_back(std::move(note));
  return b;
}

TEST(StatsCollector, GivesTheStatsOfAllTheRowsAtOnce) {
  for (const bool nan : {false, true}) {
    auto first = varied(3, 10, false);
    auto second = varied(40, 25, nan);
    auto third = varied(-20, 5, false);
    StatsCollector collector(first.schema);
    columnar::RecordBatch all;
    for (const auto* b : {&first, &second, &third}) {
      collector.add(*b);
      ASSERT_TRUE(columnar::append_batch(all, *b).ok());
    }
    EXPECT_EQ(collector.json(), collect_stats(all, 0, all.num_rows)) << "NaN: " << nan;
  }
  // Fewer indexed columns: the same leaves as collect_stats.
  StatsOptions three{.num_indexed_cols = 3};
  auto b = varied(0, 9, false);
  StatsCollector collector(b.schema, three);
  collector.add(b);
  EXPECT_EQ(collector.json(), collect_stats(b, 0, b.num_rows, three));
  EXPECT_EQ(StatsCollector(b.schema).json(), collect_stats(b, 0, 0));
}

TEST(DataFileWriter, EncodesBoundedRowGroups) {
  MemoryStorage storage;
  WriteOptions options = quiet();
  auto rows = people(0, 1000);
  DataFileWriter writer(storage, rows.schema, new_data_file_path("", 0, options.parquet.codec),
                        {}, options, 0, /*row_group_bytes=*/1);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer.write(people(i * 1000, 1000)).ok());
  auto add = writer.finish(false);
  ASSERT_TRUE(add.ok()) << add.error().to_string();
  auto bytes = storage.read(*decode_uri_path(add->path));
  ASSERT_TRUE(bytes.ok());
  auto reader = parquet::ParquetReader::open_bytes(*bytes, "file");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->num_row_groups(), 5u);  // 1,024 rows each (the floor), the rest last
  EXPECT_EQ((*reader)->metadata().num_rows, 5000);
  EXPECT_EQ(add->stats, collect_stats(people(0, 5000), 0, 5000));
  EXPECT_FALSE(add->data_change);
}

TEST(Optimize, StreamsPartitionsIntoFilesOfAtMostMaxRows) {
  MemoryStorage storage;
  WriteOptions o = quiet();
  o.partition_columns = {"day"};
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(write_table(storage, varied(i * 10, 10, false), o).ok());
  auto before = scan_all(storage, *load_snapshot(storage));
  ASSERT_TRUE(before.ok());
  OptimizeOptions options;
  options.write = quiet();
  options.write.max_rows_per_file = 7;
  auto result = optimize(storage, options);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result->rows, 60u);
  EXPECT_EQ(result->files_removed, 18u);  // 6 commits × 3 days
  EXPECT_EQ(result->files_added, 9u);     // 20 rows a day: 7 + 7 + 6
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  for (const auto& f : snapshot->files) {
    const auto& day = f.partition_values.at("day");
    ASSERT_TRUE(day);
    EXPECT_TRUE(f.path.starts_with("day=" + *day + "/")) << f.path;
    // Each file's stats are those of its rows, as a one-shot write computes them.
    Snapshot one = *snapshot;
    one.files = {f};
    ScanOptions data;
    data.columns = {"id", "name", "score", "inner", "note"};
    auto rows = scan_all(storage, one, data);
    ASSERT_TRUE(rows.ok());
    EXPECT_LE(rows->num_rows, 7u);
    EXPECT_EQ(f.stats, collect_stats(*rows, 0, rows->num_rows));
  }
  auto after = scan_all(storage, *snapshot);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->num_rows, 60u);
  // The same rows: ids with their day, in any order.
  std::multiset<std::pair<int64_t, int32_t>> a, b;
  for (size_t r = 0; r < 60; ++r) {
    a.insert({before->columns[0].i64[r], before->columns[2].i32[r]});
    b.insert({after->columns[0].i64[r], after->columns[2].i32[r]});
  }
  EXPECT_EQ(a, b);
}

TEST(Vacuum, DeletesOnlyExpiredUnreferencedFiles) {
  MemoryStorage storage;
  storage.set_clock_ms(1'000'000);
  WriteOptions o = quiet();
  o.transaction.now_ms = [] { return int64_t{1'000'000}; };
  ASSERT_TRUE(write_table(storage, people(0, 3), o).ok());
  o.mode = WriteMode::overwrite;
  ASSERT_TRUE(write_table(storage, people(3, 3), o).ok());
  ASSERT_TRUE(storage.put("orphan.parquet", "x").ok());
  ASSERT_TRUE(storage.put("_hidden/keep.me", "x").ok());

  VacuumOptions v;
  v.now_ms = [] { return int64_t{1'000'000 + 3'600'000}; };
  auto refused =
      vacuum(storage, v = VacuumOptions{std::optional<int64_t>(0), false, false, v.now_ms});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("deletedFileRetentionDuration"), std::string::npos);

  v.force_short_retention = true;
  v.dry_run = true;
  auto dry = vacuum(storage, v);
  ASSERT_TRUE(dry.ok()) << dry.error().to_string();
  EXPECT_EQ(dry->deleted.size(), 2u);  // the overwritten file and the orphan
  EXPECT_TRUE(storage.read("orphan.parquet").ok());
  v.dry_run = false;
  ASSERT_EQ(vacuum(storage, v)->deleted.size(), 2u);
  EXPECT_FALSE(storage.read("orphan.parquet").ok());
  EXPECT_TRUE(storage.read("_hidden/keep.me").ok());
  auto snapshot = load_snapshot(storage);
  EXPECT_EQ(scan_all(storage, *snapshot)->num_rows, 3u);
}

}  // namespace
}  // namespace sl::delta
