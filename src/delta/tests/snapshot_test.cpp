// Snapshot: replay rules, time travel, and clear errors for broken logs.
#include <gtest/gtest.h>

#include "delta/memory_storage.hpp"
#include "delta/snapshot.hpp"
#include "test_tables.hpp"

namespace sl::delta {
namespace {

using testing::put_commit;
using testing::simple_add;
using testing::simple_metadata;

TEST(Snapshot, ReplaysAddsRemovesTxnsNewestFirst) {
  MemoryStorage storage;
  put_commit(storage, 0, {Protocol{}, simple_metadata(), simple_add("a"), simple_add("b")});
  Remove remove_a;
  remove_a.path = "a";
  put_commit(storage, 1, {remove_a, simple_add("c"), Txn{"app", 1, 1}});
  Metadata renamed = simple_metadata();
  renamed.name = "renamed";
  put_commit(storage, 2, {simple_add("a"), Txn{"app", 2, 2}, renamed});

  auto latest = load_snapshot(storage);
  ASSERT_TRUE(latest.ok()) << latest.error().to_string();
  EXPECT_EQ(latest->version, 2);
  std::vector<std::string> paths;
  for (const auto& f : latest->files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"b", "c", "a"}));  // oldest commit first
  EXPECT_TRUE(latest->tombstones.empty());                      // "a" was re-added later
  EXPECT_EQ(latest->app_version("app"), 2);
  EXPECT_EQ(latest->metadata.name, "renamed");

  auto v1 = load_snapshot(storage, {.version = 1});
  ASSERT_TRUE(v1.ok());
  ASSERT_EQ(v1->files.size(), 2u);
  ASSERT_EQ(v1->tombstones.size(), 1u);
  EXPECT_EQ(v1->tombstones[0].path, "a");
  EXPECT_EQ(v1->app_version("app"), 1);
  EXPECT_FALSE(v1->metadata.name.has_value());
}

TEST(Snapshot, TimeTravelsByCommitTimestamp) {
  MemoryStorage storage;
  put_commit(storage, 0, {Protocol{}, simple_metadata(), simple_add("a")});
  put_commit(storage, 1, {simple_add("b")});
  put_commit(storage, 2, {simple_add("c")});
  storage.set_modification_time(commit_path(0), 1000);
  storage.set_modification_time(commit_path(1), 2000);
  storage.set_modification_time(commit_path(2), 3000);
  EXPECT_EQ(load_snapshot(storage, {.timestamp_ms = 2500})->version, 1);
  EXPECT_EQ(load_snapshot(storage, {.timestamp_ms = 3000})->version, 2);
  auto before = load_snapshot(storage, {.timestamp_ms = 999});
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, Errc::not_found);
  auto history = load_history(storage);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[0].timestamp_ms, 3000);
}

TEST(Snapshot, BrokenLogsGiveClearErrors) {
  MemoryStorage empty;
  auto none = load_snapshot(empty);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::not_found);

  MemoryStorage gap;
  put_commit(gap, 0, {Protocol{}, simple_metadata()});
  put_commit(gap, 2, {simple_add("x")});
  auto g = load_snapshot(gap);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, Errc::corrupt);
  EXPECT_NE(g.error().message.find("00000000000000000001.json is missing"), std::string::npos)
      << g.error().message;

  MemoryStorage no_protocol;
  put_commit(no_protocol, 0, {simple_metadata()});
  EXPECT_NE(load_snapshot(no_protocol).error().message.find("no protocol"), std::string::npos);

  MemoryStorage no_metadata;
  put_commit(no_metadata, 0, {Protocol{}});
  EXPECT_NE(load_snapshot(no_metadata).error().message.find("no metaData"), std::string::npos);

  MemoryStorage corrupt;
  put_commit(corrupt, 0, {Protocol{}, simple_metadata()});
  (void)corrupt.put(commit_path(1), "{\"add\":{\"path\":\"x\",\n");
  auto c = load_snapshot(corrupt);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("00000000000000000001.json:1"), std::string::npos)
      << c.error().message;

  MemoryStorage future;
  put_commit(future, 0,
             {Protocol{3, 7, std::vector<std::string>{"deletionVectors"},
                       std::vector<std::string>{"deletionVectors"}},
              simple_metadata()});
  auto f = load_snapshot(future);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, Errc::unsupported);
  EXPECT_NE(f.error().message.find("deletionVectors"), std::string::npos);

  EXPECT_EQ(load_snapshot(gap, {.version = 7}).error().code, Errc::not_found);
}

}  // namespace
}  // namespace sl::delta
