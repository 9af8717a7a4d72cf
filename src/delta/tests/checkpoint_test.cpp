// Checkpoints: every action kind survives a write + read, what is left out (expired tombstones
// and txns, commitInfo), the _last_checkpoint hint, and clear errors for broken checkpoints.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "delta/checkpoint_writer.hpp"
#include "delta/last_checkpoint.hpp"
#include "delta/log_segment.hpp"
#include "delta/memory_storage.hpp"
#include "delta/snapshot.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::put_commit;
using testing::simple_add;
using testing::simple_metadata;

constexpr int64_t k_day_ms = 24LL * 3600 * 1000;
constexpr int64_t k_now = 1'750'000'000'000;

Remove tombstone(std::string path, int64_t deleted_at) {
  Remove r;
  r.path = std::move(path);
  r.deletion_timestamp = deleted_at;
  r.extended_file_metadata = true;
  r.partition_values = PartitionValues{{"day", "2025-01-01"}, {"team", std::nullopt}};
  r.size = 42;
  r.stats = R"({"numRecords":1})";
  return r;
}

// A table whose log uses every action and field kind a checkpoint stores.
void write_rich_log(MemoryStorage& storage) {
  Protocol protocol;
  protocol.min_reader_version = 1;
  protocol.min_writer_version = 2;
  Metadata metadata = simple_metadata();
  metadata.name = "rich";
  metadata.description = "every field";
  metadata.partition_columns = {"day", "team"};
  metadata.configuration = {{"delta.setTransactionRetentionDuration", "interval 2 days"}};
  metadata.format.options = {{"k", "v"}};
  metadata.created_time = 7;
  Add a = simple_add("day=2025-01-01/a.parquet");
  a.partition_values = {{"day", "2025-01-01"}, {"team", std::nullopt}};
  a.stats = R"({"numRecords":3,"minValues":{"id":1},"maxValues":{"id":3},"nullCount":{"id":0}})";
  a.tags = {{"INSERTION_TIME", "1"}};
  a.base_row_id = 5;
  a.default_row_commit_version = 0;
  Add b = simple_add("day=2025-01-02/b%20c.parquet");
  b.partition_values = {{"day", "2025-01-02"}, {"team", "bleu"}};
  CommitInfo info;
  info.operation = "WRITE";
  put_commit(storage, 0, {info, protocol, metadata, a, b, Txn{"fresh", 3, k_now - 1000}});
  put_commit(storage, 1,
             {tombstone("old.parquet", k_now - 8 * k_day_ms),
              tombstone("recent.parquet", k_now - k_day_ms), Txn{"stale", 9, k_now - 3 * k_day_ms},
              DomainMetadata{"delta.rowTracking", R"({"rowIdHighWaterMark":7})", false},
              DomainMetadata{"gone", "{}", true}});
}

TEST(Checkpoint, RoundTripsTheSnapshot) {
  MemoryStorage storage;
  write_rich_log(storage);
  auto from_log = load_snapshot(storage);
  ASSERT_TRUE(from_log.ok()) << from_log.error().to_string();
  auto written = write_checkpoint(storage, *from_log, k_now);
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  EXPECT_EQ(written->version, 1);
  // protocol, metaData, 1 live txn, 1 live domain, 2 adds, 1 unexpired tombstone
  EXPECT_EQ(written->actions, 7);
  EXPECT_EQ(written->add_files, 2);

  // Without the commits, the checkpoint alone gives the same state.
  ASSERT_TRUE(storage.remove(commit_path(0)).ok());
  auto from_checkpoint = load_snapshot(storage);
  ASSERT_TRUE(from_checkpoint.ok()) << from_checkpoint.error().to_string();
  EXPECT_EQ(from_checkpoint->segment.checkpoint_version, 1);
  EXPECT_EQ(from_checkpoint->protocol, from_log->protocol);
  EXPECT_EQ(from_checkpoint->metadata, from_log->metadata);
  ASSERT_EQ(from_checkpoint->files.size(), 2u);
  auto by_path = [](const Add& x, const Add& y) { return x.path < y.path; };
  std::sort(from_log->files.begin(), from_log->files.end(), by_path);
  std::sort(from_checkpoint->files.begin(), from_checkpoint->files.end(), by_path);
  for (size_t i = 0; i < 2; ++i) {
    Add expected = from_log->files[i];
    expected.data_change = false;  // checkpoints hold the state, not changes
    EXPECT_EQ(from_checkpoint->files[i], expected) << expected.path;
  }
  ASSERT_EQ(from_checkpoint->tombstones.size(), 1u);
  const Remove& kept = from_checkpoint->tombstones[0];
  EXPECT_EQ(kept.path, "recent.parquet");
  EXPECT_FALSE(kept.stats);  // stats and tags are not kept for tombstones
  EXPECT_EQ(kept.size, 42);
  EXPECT_EQ(kept.partition_values, tombstone("x", 0).partition_values);
  EXPECT_EQ(from_checkpoint->app_version("fresh"), 3);
  EXPECT_FALSE(from_checkpoint->app_version("stale"));  // older than the 2-day retention
  ASSERT_EQ(from_checkpoint->domains.size(), 1u);
  EXPECT_EQ(from_checkpoint->domains.begin()->second.configuration, R"({"rowIdHighWaterMark":7})");
  EXPECT_FALSE(from_checkpoint->commit_info);

  auto hint = read_last_checkpoint(storage);
  ASSERT_TRUE(hint.ok() && *hint);
  EXPECT_EQ(**hint,
            (LastCheckpoint{1, 7, std::nullopt, static_cast<int64_t>(written->size_in_bytes), 2}));
}

// A table of `count` files f<i>.parquet (stats `{"numRecords":<i>` + `stats_tail`) in one
// commit, checkpointed, the commit then removed: loads read the checkpoint. `from_log` is the
// snapshot the checkpoint was written from.
void checkpointed_files(MemoryStorage& storage, int count, std::string_view stats_tail,
                        std::optional<Snapshot>& from_log) {
  std::vector<Action> first{Protocol{}, simple_metadata()};
  for (int i = 0; i < count; ++i) {
    Add a = simple_add("f" + std::to_string(i) + ".parquet");
    a.stats = R"({"numRecords":)" + std::to_string(i) + std::string(stats_tail);
    first.push_back(a);
  }
  put_commit(storage, 0, first);
  auto loaded = load_snapshot(storage);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  from_log = std::move(loaded).value();
  ASSERT_TRUE(write_checkpoint(storage, *from_log, k_now).ok());
  ASSERT_TRUE(storage.remove(commit_path(0)).ok());
}

// The checkpoint's rows are decoded in two halves on two threads; the files come back whole, in
// the checkpoint's order (the log's), with the commits after it applied: a removal of a
// checkpointed file and a new file after it.
TEST(Checkpoint, ManyFilesComeBackInTheCheckpointsOrder) {
  MemoryStorage storage;
  std::optional<Snapshot> from_log;
  ASSERT_NO_FATAL_FAILURE(checkpointed_files(storage, 1001, "}", from_log));
  Remove gone = tombstone("f500.parquet", k_now);
  gone.partition_values.reset();
  put_commit(storage, 1, {gone, simple_add("new.parquet")});

  auto loaded = load_snapshot(storage);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  ASSERT_EQ(loaded->files.size(), 1001u);
  size_t at = 0;
  for (const Add& expected : from_log->files) {
    if (expected.path == "f500.parquet") continue;
    const Add& file = loaded->files[at++];
    EXPECT_EQ(file.path, expected.path);
    EXPECT_EQ(file.stats, expected.stats);
    EXPECT_FALSE(file.data_change);
  }
  EXPECT_EQ(loaded->files.back().path, "new.parquet");
  ASSERT_EQ(loaded->tombstones.size(), 1u);
  EXPECT_EQ(loaded->tombstones[0].path, "f500.parquet");
}

// A checkpoint's stats are views into its decoded stats column, shared by the adds: an Add (or
// a snapshot) copied out keeps them readable after the snapshot it came from is gone.
TEST(Checkpoint, StatsOutliveTheSnapshotTheyCameFrom) {
  MemoryStorage storage;
  std::optional<Snapshot> from_log;
  ASSERT_NO_FATAL_FAILURE(
      checkpointed_files(storage, 100, R"(,"minValues":{"id":"a long value"}})", from_log));

  std::optional<Add> kept;
  std::optional<Snapshot> copy;
  {
    auto loaded = load_snapshot(storage);
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    ASSERT_EQ(loaded->files.size(), 100u);
    kept = loaded->files[42];
    copy = *loaded;
  }
  const std::string number = kept->path.substr(1, kept->path.find('.') - 1);  // "f<i>.parquet"
  EXPECT_EQ(kept->stats, R"({"numRecords":)" + number + R"(,"minValues":{"id":"a long value"}})");
  for (size_t i = 0; i < copy->files.size(); ++i) {
    EXPECT_EQ(copy->files[i].stats, from_log->files[i].stats);
  }
}

TEST(Checkpoint, CheckpointingAnOlderVersionKeepsTheNewerHint) {
  MemoryStorage storage;
  write_rich_log(storage);
  put_commit(storage, 2, {simple_add("late.parquet")});
  auto latest = load_snapshot(storage);
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(write_checkpoint(storage, *latest, k_now).ok());
  auto older = load_snapshot(storage, {.version = 1});
  ASSERT_TRUE(older.ok());
  ASSERT_TRUE(write_checkpoint(storage, *older, k_now).ok());
  auto hint = read_last_checkpoint(storage);
  ASSERT_TRUE(hint.ok() && *hint);
  EXPECT_EQ((*hint)->version, 2);
  // Time travel to 1 uses checkpoint 1; the latest uses checkpoint 2.
  auto at1 = load_snapshot(storage, {.version = 1});
  ASSERT_TRUE(at1.ok());
  EXPECT_EQ(at1->segment.checkpoint_version, 1);
  EXPECT_EQ(at1->files.size(), 2u);
}

TEST(Checkpoint, BrokenCheckpointsAreClearErrorsNamingTheFile) {
  MemoryStorage storage;
  write_rich_log(storage);
  auto snapshot = load_snapshot(storage);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(write_checkpoint(storage, *snapshot, k_now).ok());
  auto bytes = storage.read(checkpoint_path(1));
  ASSERT_TRUE(bytes.ok());

  ASSERT_TRUE(storage.put(checkpoint_path(1), bytes->substr(0, bytes->size() / 2)).ok());
  auto truncated = load_snapshot(storage);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().to_string().find("00000000000000000001.checkpoint.parquet"),
            std::string::npos)
      << truncated.error().to_string();

  ASSERT_TRUE(storage.put(checkpoint_path(1), "PAR1garbagePAR1").ok());
  auto garbage = load_snapshot(storage);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().to_string().find("checkpoint.parquet"), std::string::npos);
}

TEST(LastCheckpoint, MisleadingHintsFallBackToTheWholeListing) {
  MemoryStorage storage;
  write_rich_log(storage);
  put_commit(storage, 2, {simple_add("late.parquet")});
  auto at1 = load_snapshot(storage, {.version = 1});
  ASSERT_TRUE(at1.ok());
  ASSERT_TRUE(write_checkpoint(storage, *at1, k_now).ok());

  auto hinted = load_snapshot(storage);  // listed from checkpoint 1 on
  ASSERT_TRUE(hinted.ok());
  EXPECT_EQ(hinted->version, 2);
  EXPECT_EQ(hinted->segment.checkpoint_version, 1);

  for (std::string hint : {std::string("not json"), last_checkpoint_to_json({7, 3}),
                           last_checkpoint_to_json({0, 3})}) {
    ASSERT_TRUE(storage.put(last_checkpoint_path(), hint).ok());
    auto loaded = load_snapshot(storage);
    ASSERT_TRUE(loaded.ok()) << hint << ": " << loaded.error().to_string();
    EXPECT_EQ(loaded->version, 2) << hint;
    EXPECT_EQ(loaded->files.size(), 3u) << hint;
  }
  // The hinted checkpoint was lost: the commits still make the table.
  ASSERT_TRUE(storage.put(last_checkpoint_path(), last_checkpoint_to_json({1, 7})).ok());
  ASSERT_TRUE(storage.remove(checkpoint_path(1)).ok());
  auto without = load_snapshot(storage);
  ASSERT_TRUE(without.ok()) << without.error().to_string();
  EXPECT_FALSE(without->segment.checkpoint_version);
  EXPECT_EQ(without->files.size(), 3u);
}

TEST(LastCheckpoint, ParsesWhatEnginesWriteAndRejectsTheRest) {
  auto spark = parse_last_checkpoint(
      R"({"version":10,"size":13,"sizeInBytes":16479,"numOfAddFiles":6,"checkpointSchema":{"type":"struct","fields":[]},"checksum":"6872b369"})",
      "_last_checkpoint");
  ASSERT_TRUE(spark.ok()) << spark.error().to_string();
  EXPECT_EQ(*spark, (LastCheckpoint{10, 13, std::nullopt, 16479, 6}));
  auto parts = parse_last_checkpoint(R"({"version":3,"size":5,"parts":2})", "x");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->parts, 2);
  EXPECT_EQ(parse_last_checkpoint(last_checkpoint_to_json(*spark), "x").value(), *spark);
  for (const char* bad : {"", "{", "[]", R"({"size":1})", R"({"version":"1","size":1})",
                          R"({"version":-1,"size":1})"}) {
    auto r = parse_last_checkpoint(bad, "_delta_log/_last_checkpoint");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().to_string().find("_last_checkpoint"), std::string::npos);
  }
}

}  // namespace
}  // namespace sl::delta
