// optimize keeps rows and versions readable; vacuum deletes only expired, unreferenced files.
#include <gtest/gtest.h>

#include "delta/maintenance.hpp"
#include "delta/memory_storage.hpp"
#include "delta/scan.hpp"
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
