// Transactions: create, append, overwrite, idempotent txn, conflicts and retries.
#include <gtest/gtest.h>

#include <thread>

#include "delta/memory_storage.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_writer.hpp"
#include "delta/transaction.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::people;
using testing::simple_add;

WriteOptions no_checkpoints() {
  WriteOptions o;
  o.write_checkpoints = false;
  return o;
}

TEST(Transaction, CreatesAppendsAndOverwrites) {
  MemoryStorage storage;
  auto created = write_table(storage, people(0, 10), no_checkpoints());
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->version, 0);
  EXPECT_EQ(created->files_added, 1u);
  auto appended = write_table(storage, people(10, 5), no_checkpoints());
  ASSERT_TRUE(appended.ok()) << appended.error().to_string();
  EXPECT_EQ(appended->version, 1);

  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->files.size(), 2u);
  EXPECT_EQ(snapshot->commit_info->is_blind_append, true);
  EXPECT_EQ(snapshot->commit_info->read_version, 0);
  EXPECT_EQ(snapshot->schema.fields.size(), 3u);
  EXPECT_FALSE(snapshot->schema.fields[0].nullable);
  // Stats are exact and name every column.
  EXPECT_EQ(
      *snapshot->files[1].stats,
      R"json({"numRecords":5,"minValues":{"id":10,"name":"name-11","day":"2024-10-04"},)json"
      R"json("maxValues":{"id":14,"name":"name-14","day":"2024-10-06"},"nullCount":{"id":0,"name":1,"day":0}})json");

  WriteOptions overwrite = no_checkpoints();
  overwrite.mode = WriteMode::overwrite;
  auto replaced = write_table(storage, people(100, 3), overwrite);
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->files_removed, 2u);
  auto after = load_snapshot(storage);
  ASSERT_EQ(after->files.size(), 1u);
  EXPECT_EQ(after->tombstones.size(), 2u);
  EXPECT_EQ(after->commit_info->is_blind_append, false);
  EXPECT_EQ(after->commit_info->operation_parameters.at("mode"), "Overwrite");
}

TEST(Transaction, PartitionedWritesSplitFilesAndOverwritePartitions) {
  MemoryStorage storage;
  WriteOptions options = no_checkpoints();
  options.partition_columns = {"day"};
  auto created = write_table(storage, people(0, 9), options);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->files_added, 3u);
  auto snapshot = load_snapshot(storage);
  for (const auto& f : snapshot->files) {
    ASSERT_TRUE(f.partition_values.at("day").has_value());
    EXPECT_EQ(f.path.rfind("day=" + *f.partition_values.at("day") + "/part-", 0), 0u) << f.path;
    EXPECT_EQ(f.stats->view().find("\"day\""), std::string::npos);  // partition columns have no stats
  }
  options.mode = WriteMode::overwrite_partitions;
  auto batch = people(0, 1);  // only day 20000
  ASSERT_TRUE(write_table(storage, batch, options).ok());
  auto after = load_snapshot(storage);
  EXPECT_EQ(after->files.size(), 3u);
  EXPECT_EQ(after->tombstones.size(), 1u);
}

TEST(Transaction, AppTransactionsMakeWritesIdempotent) {
  MemoryStorage storage;
  WriteOptions options = no_checkpoints();
  options.app_transaction = {{"bronze", 5}};
  ASSERT_TRUE(write_table(storage, people(0, 3), options).ok());
  auto again = write_table(storage, people(0, 3), options);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->skipped);
  options.app_transaction = {{"bronze", 6}};
  EXPECT_FALSE(write_table(storage, people(3, 3), options)->skipped);
  auto snapshot = load_snapshot(storage);
  EXPECT_EQ(snapshot->files.size(), 2u);
  EXPECT_EQ(snapshot->app_version("bronze"), 6);
}

TEST(Transaction, BlindAppendsRetryPastConcurrentCommits) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 1), no_checkpoints()).ok());
  auto snapshot = load_snapshot(storage);
  // Two other writers commit versions 1 and 2 after our read.
  ASSERT_TRUE(write_table(storage, people(1, 1), no_checkpoints()).ok());
  ASSERT_TRUE(write_table(storage, people(2, 1), no_checkpoints()).ok());
  auto txn = Transaction::for_snapshot(storage, *snapshot);
  txn.add_files({simple_add("late.parquet")});
  auto committed = txn.commit();
  ASSERT_TRUE(committed.ok()) << committed.error().to_string();
  EXPECT_EQ(committed->version, 3);
  EXPECT_EQ(committed->attempts, 3);
}

TEST(Transaction, ConflictsAbortWhatCannotBeRetried) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 1), no_checkpoints()).ok());
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(write_table(storage, people(1, 1), no_checkpoints()).ok());  // a concurrent append

  auto overwrite = Transaction::for_snapshot(storage, *snapshot);
  Remove r;
  r.path = snapshot->files[0].path;
  overwrite.remove_files({r});
  overwrite.set_read_whole_table(true);
  auto lost = overwrite.commit();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, Errc::conflict);
  EXPECT_NE(lost.error().message.find("version 1"), std::string::npos) << lost.error().message;

  // The same application committed concurrently: the caller must re-read its position.
  auto base = load_snapshot(storage);
  auto first = Transaction::for_snapshot(storage, *base);
  first.set_app_transaction("app", 1);
  first.add_files({simple_add("one")});
  auto second = Transaction::for_snapshot(storage, *base);
  second.set_app_transaction("app", 1);
  second.add_files({simple_add("two")});
  ASSERT_TRUE(first.commit().ok());
  auto duplicate = second.commit();
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().message.find("application 'app'"), std::string::npos);

  // Creating a table that exists.
  auto create = create_table(storage, {StructField{"id", DataType::of(PrimitiveType::long_)}}, {});
  ASSERT_FALSE(create.ok());
  EXPECT_EQ(create.error().code, Errc::already_exists);
}

TEST(Transaction, ManyThreadsAppendingConcurrentlyAllLandOnce) {
  MemoryStorage storage;
  ASSERT_TRUE(write_table(storage, people(0, 1), no_checkpoints()).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = write_table(storage, people(1000 * (t + 1) + i, 1), no_checkpoints());
        ASSERT_TRUE(r.ok()) << r.error().to_string();
      }
    });
  }
  for (auto& t : threads) t.join();
  auto snapshot = load_snapshot(storage);
  EXPECT_EQ(snapshot->version, 100);
  EXPECT_EQ(snapshot->files.size(), 101u);
}

}  // namespace
}  // namespace sl::delta
