#include "common/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace sl {
namespace {

TEST(ParallelFor, RunsEveryItemExactlyOnce) {
  for (size_t threads : {0u, 1u, 2u, 7u}) {
    std::vector<int> runs(1000, 0);
    parallel_for(runs.size(), threads, [&](size_t i) { ++runs[i]; });  // one slot per item
    for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i], 1) << i << " threads " << threads;
  }
}

TEST(ParallelFor, UsesSeveralThreadsAndNoMoreThanItems) {
  std::mutex mutex;
  std::set<std::thread::id> seen;
  std::atomic<int> started{0};
  parallel_for(2, 8, [&](size_t) {
    // Each item waits for the other to start: only two threads can finish both.
    ++started;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    std::lock_guard lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(seen.size(), 2u);
  seen.clear();
  parallel_for(5, 1, [&](size_t) { seen.insert(std::this_thread::get_id()); });
  EXPECT_EQ(seen, std::set{std::this_thread::get_id()});
}

TEST(ParallelFor, NoItems) {
  bool ran = false;
  parallel_for(0, 4, [&](size_t) { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(ParallelSort, SortsLikeStdSortWithManyEqualKeys) {
  std::mt19937_64 random(42);
  for (size_t n : {size_t{0}, size_t{10}, size_t{70'000}, size_t{300'001}}) {
    std::vector<std::pair<int, int>> values(n);
    for (size_t i = 0; i < n; ++i)
      values[i] = {static_cast<int>(random() % 1000), static_cast<int>(random() % 7)};
    auto expected = values;
    std::sort(expected.begin(), expected.end());
    parallel_sort(values.begin(), values.end(), std::less<>{}, 2);
    ASSERT_EQ(values, expected) << n;
  }
}

}  // namespace
}  // namespace sl
