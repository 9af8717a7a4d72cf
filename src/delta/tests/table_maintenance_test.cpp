// The maintenance pass: the tiered plan, compaction beside concurrent appends, the budget,
// conflicts, checkpoints; rows and old versions never change.
#include <gtest/gtest.h>

#include <set>

#include "delta/maintenance.hpp"
#include "delta/memory_storage.hpp"
#include "delta/scan.hpp"
#include "delta/table_maintenance.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::people;

Add file(std::string path, int64_t size, int64_t time, std::string day = "") {
  Add a;
  a.path = std::move(path);
  a.size = size;
  a.modification_time = time;
  if (!day.empty()) a.partition_values["day"] = day;
  return a;
}

MaintenancePolicy small_policy() {
  MaintenancePolicy p;
  p.target_file_bytes = 1 << 20;
  p.fan_in = 10;
  p.cleanup = false;
  p.write.write_checkpoints = false;
  return p;
}

WriteOptions append_only() {
  WriteOptions o;
  o.write_checkpoints = false;
  o.table_properties = {{"delta.appendOnly", "true"}};
  return o;
}

std::multiset<int64_t> ids(Storage& storage, std::optional<int64_t> version = {}) {
  auto snapshot = load_snapshot(storage, {.version = version});
  EXPECT_TRUE(snapshot.ok()) << snapshot.error().to_string();
  auto rows = scan_all(storage, *snapshot);
  EXPECT_TRUE(rows.ok()) << rows.error().to_string();
  std::multiset<int64_t> out;
  for (size_t i = 0; i < rows->num_rows; ++i) out.insert(rows->columns[0].i64[i]);
  return out;
}

TEST(PlanCompaction, PacksATierOnceItHoldsFanInFilesOldestFirst) {
  auto p = small_policy();
  std::vector<Add> files;
  for (int i = 0; i < 25; ++i) files.push_back(file("s" + std::to_string(i), 1000, 100 - i));
  files.push_back(file("big", 2 << 20, 0));  // at the target already: never rewritten
  for (int i = 0; i < 9; ++i) files.push_back(file("m" + std::to_string(i), 50'000, i));
  auto bins = plan_compaction(files, p);
  // The 25 tiny files make one bin, oldest first; the 9 of the next tier wait for a tenth.
  ASSERT_EQ(bins.size(), 1u);
  ASSERT_EQ(bins[0].size(), 25u);
  EXPECT_EQ(bins[0].front().path, "s24");
  EXPECT_EQ(bins[0].back().path, "s0");
}

TEST(PlanCompaction, BinsStopAtTheTargetAndStayInOnePartition) {
  auto p = small_policy();
  std::vector<Add> files;
  for (int i = 0; i < 12; ++i) files.push_back(file("a" + std::to_string(i), 500'000, i, "1"));
  for (int i = 0; i < 10; ++i) files.push_back(file("b" + std::to_string(i), 3'000, i, "2"));
  for (int i = 0; i < 5; ++i) files.push_back(file("c" + std::to_string(i), 3'000, i, "3"));
  auto bins = plan_compaction(files, p);
  // Smallest first: partition 2's tier, then six pairs of 500 kB (a third would pass 1 MiB);
  // partition 3 has too few files.
  ASSERT_EQ(bins.size(), 7u);
  EXPECT_EQ(bins[0].size(), 10u);
  for (const auto& f : bins[0]) EXPECT_EQ(f.partition_values.at("day"), "2");
  for (size_t i = 1; i < bins.size(); ++i) {
    EXPECT_EQ(bins[i].size(), 2u);
    for (const auto& f : bins[i]) EXPECT_EQ(f.partition_values.at("day"), "1");
  }
}

TEST(MaintainTable, KeepsTheFileCountBoundedOverManySmallCommits) {
  MemoryStorage storage;
  auto p = small_policy();
  p.target_file_bytes = 64 << 10;  // a few tiers of the small test files
  uint64_t unlimited = UINT64_MAX;
  size_t most_files = 0;
  std::multiset<int64_t> at_25;
  for (int round = 0; round < 40; ++round) {
    if (round == 3) at_25 = ids(storage, 25);
    for (int i = 0; i < 10; ++i)
      ASSERT_TRUE(write_table(storage, people((round * 10 + i) * 5, 5), append_only()).ok());
    auto pass = maintain_table(storage, p, unlimited);
    ASSERT_TRUE(pass.ok()) << pass.error().to_string();
    most_files = std::max(most_files, pass->files_after);
  }
  // 400 commits; at most fan_in − 1 small files per tier remain after each pass.
  EXPECT_LE(most_files, 30u);
  auto rows = ids(storage);
  ASSERT_EQ(rows.size(), 2000u);
  EXPECT_EQ(std::set<int64_t>(rows.begin(), rows.end()).size(), 2000u);  // each row once
  // An old version still reads as it was.
  EXPECT_EQ(ids(storage, 25), at_25);
}

TEST(MaintainTable, CompactsWithDataChangeFalseAndTheBudgetDefersTheRest) {
  MemoryStorage storage;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(write_table(storage, people(i * 3, 3), append_only()).ok());
  auto p = small_policy();
  uint64_t none = 0;
  auto deferred = maintain_table(storage, p, none);
  ASSERT_TRUE(deferred.ok());
  EXPECT_EQ(deferred->compactions, 0u);
  EXPECT_EQ(deferred->bins_deferred, 1u);
  EXPECT_EQ(deferred->version, 29);

  uint64_t budget = 10 << 20;
  auto pass = maintain_table(storage, p, budget);
  ASSERT_TRUE(pass.ok()) << pass.error().to_string();
  EXPECT_EQ(pass->compactions, 1u);
  EXPECT_EQ(pass->files_compacted, 30u);
  EXPECT_EQ(pass->files_after, 1u);
  EXPECT_EQ(budget, 10u * (1 << 20) - pass->bytes_rewritten);
  auto snapshot = load_snapshot(storage);
  EXPECT_EQ(snapshot->commit_info->operation, "OPTIMIZE");
  EXPECT_FALSE(snapshot->files[0].data_change);
  for (const auto& t : snapshot->tombstones) EXPECT_FALSE(t.data_change);
  EXPECT_EQ(ids(storage).size(), 90u);
}

TEST(CompactFiles, AConcurrentAppendDoesNotConflictAConcurrentCompactionDoes) {
  MemoryStorage storage;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(write_table(storage, people(i * 10, 10), append_only()).ok());
  auto before = load_snapshot(storage);
  ASSERT_TRUE(before.ok());
  // An append lands after the compaction read the table: the compaction still commits.
  ASSERT_TRUE(write_table(storage, people(100, 10), append_only()).ok());
  auto compacted = compact_files(storage, *before, {before->files}, small_policy().write);
  ASSERT_TRUE(compacted.ok()) << compacted.error().to_string();
  EXPECT_EQ(compacted->version, 5);
  EXPECT_EQ(ids(storage).size(), 50u);

  // A second compaction of the same files from the same snapshot loses, and leaves no file.
  auto files_before = storage.list_recursive("");
  auto again = compact_files(storage, *before, {before->files}, small_policy().write);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(storage.list_recursive("")->size(), files_before->size());
  EXPECT_EQ(ids(storage).size(), 50u);
}

TEST(MaintainTable, CheckpointsWhenTheLogHasGrownPastTheInterval) {
  MemoryStorage storage;
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(write_table(storage, people(i, 1), append_only()).ok());
  auto p = small_policy();
  p.compact = false;
  uint64_t budget = UINT64_MAX;
  auto pass = maintain_table(storage, p, budget);
  ASSERT_TRUE(pass.ok());
  ASSERT_TRUE(pass->checkpoint.has_value());
  EXPECT_EQ(*pass->checkpoint, 11);
  EXPECT_EQ(load_snapshot(storage)->segment.checkpoint_version, 11);
  // Nothing new: no second checkpoint.
  EXPECT_FALSE(maintain_table(storage, p, budget)->checkpoint.has_value());
}

}  // namespace
}  // namespace sl::delta
