// Storage contract: put-if-absent exclusivity (also across threads), listings, atomic replace.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/fs.hpp"
#include "delta/local_storage.hpp"
#include "delta/memory_storage.hpp"

namespace sl::delta {
namespace {

void check_contract(Storage& storage) {
  auto first = storage.put_if_absent("_delta_log/00000000000000000000.json", "a\n");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(*first, PutOutcome::created);
  auto second = storage.put_if_absent("_delta_log/00000000000000000000.json", "b\n");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, PutOutcome::already_exists);
  EXPECT_EQ(*storage.read("_delta_log/00000000000000000000.json"), "a\n");

  ASSERT_TRUE(storage.put("_delta_log/_last_checkpoint", "1").ok());
  ASSERT_TRUE(storage.put("_delta_log/_last_checkpoint", "22").ok());
  EXPECT_EQ(*storage.read("_delta_log/_last_checkpoint"), "22");
  ASSERT_TRUE(storage.put("x=1/part-0.parquet", "data").ok());

  auto listed = storage.list("_delta_log");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].path, "_delta_log/00000000000000000000.json");
  EXPECT_EQ((*listed)[1].path, "_delta_log/_last_checkpoint");
  EXPECT_EQ((*listed)[1].size, 2u);
  EXPECT_TRUE(storage.list("missing")->empty());
  auto all = storage.list_recursive("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);

  auto missing = storage.read("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_TRUE(storage.remove("nope").ok());
  EXPECT_TRUE(storage.remove("x=1/part-0.parquet").ok());
  EXPECT_EQ(storage.read("x=1/part-0.parquet").error().code, Errc::not_found);
}

void check_exclusive_under_contention(Storage& storage) {
  // 8 threads race for each of 50 names: exactly one winner per name.
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int v = 0; v < 50; ++v) {
        auto r = storage.put_if_absent("_delta_log/" + std::to_string(1000 + v) + ".json",
                                       "writer " + std::to_string(t));
        if (r.ok() && *r == PutOutcome::created) ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 50);
}

TEST(LocalStorage, FollowsTheContract) {
  fs::TempDir dir("sl-delta-storage");
  LocalStorage storage(dir.path() / "table");
  check_contract(storage);
  check_exclusive_under_contention(storage);
}

TEST(LocalStorage, ListingHidesTemporariesLeftByACrash) {
  fs::TempDir dir("sl-delta-storage");
  LocalStorage storage(dir.path());
  ASSERT_TRUE(fs::ensure_directory(dir.path() / "_delta_log").ok());
  ASSERT_TRUE(
      fs::write_file_atomic(dir.path() / "_delta_log/.00000000000000000001.json.x.tmp", "{").ok());
  ASSERT_TRUE(storage.put_if_absent("_delta_log/00000000000000000000.json", "{}").ok());
  auto listed = storage.list("_delta_log");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].path, "_delta_log/00000000000000000000.json");
}

TEST(MemoryStorage, FollowsTheContract) {
  MemoryStorage storage;
  check_contract(storage);
  check_exclusive_under_contention(storage);
}

}  // namespace
}  // namespace sl::delta
