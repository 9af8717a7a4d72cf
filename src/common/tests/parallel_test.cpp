#include "common/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

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

TEST(ParallelPartition, SplitsLikeStdPartition) {
  std::mt19937_64 random(7);
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{10}, size_t{1001}, size_t{100'000}}) {
    for (int share : {0, 1, 50, 99, 100}) {  // percent of the values below the threshold
      std::vector<int> values(n);
      for (auto& v : values) v = static_cast<int>(random() % 100);
      const auto below = [share](int v) { return v < share; };
      auto expected = values;
      const auto expected_split = std::partition(expected.begin(), expected.end(), below) - expected.begin();
      const auto split = parallel_partition(values.begin(), values.end(), below);
      ASSERT_EQ(split - values.begin(), expected_split) << n << " " << share;
      ASSERT_TRUE(std::all_of(values.begin(), split, below)) << n << " " << share;
      ASSERT_TRUE(std::none_of(split, values.end(), below)) << n << " " << share;
      std::sort(values.begin(), values.end());
      std::sort(expected.begin(), expected.end());
      ASSERT_EQ(values, expected) << n << " " << share;  // the same values, none lost nor doubled
    }
  }
}

// The Bronze change log's case: distinct entries (a total order), so the result is std::sort's
// whatever the threads, on random, sorted and reversed input, around the size worth a thread.
TEST(ParallelSort, SortsDistinctEntriesLikeStdSort) {
  std::mt19937_64 random(3);
  for (size_t n : {size_t{65'535}, size_t{65'536}, size_t{65'537}, size_t{500'000}}) {
    std::vector<std::tuple<int64_t, int64_t, uint64_t>> values(n);
    for (size_t i = 0; i < n; ++i)
      values[i] = {static_cast<int64_t>(random() % (n / 3 + 1)), static_cast<int64_t>(random() % 5), i};
    auto expected = values;
    std::sort(expected.begin(), expected.end());
    for (size_t threads : {1u, 2u, 3u, 4u}) {
      for (int layout = 0; layout < 3; ++layout) {
        auto sorted = values;
        if (layout == 1) sorted = expected;
        if (layout == 2) sorted.assign(expected.rbegin(), expected.rend());
        parallel_sort(sorted.begin(), sorted.end(), std::less<>{}, threads);
        ASSERT_EQ(sorted, expected) << n << " threads " << threads << " layout " << layout;
      }
    }
  }
}

// A comparator that ties distinct elements (only the key counts): sorted by key, every element
// kept, also when one key fills most of the range (the pivot's equivalents set apart).
TEST(ParallelSort, ComparatorTiesKeepEveryElement) {
  std::mt19937_64 random(11);
  for (int equal_share : {0, 60, 100}) {
    std::vector<std::pair<int, int>> values(200'000);
    for (size_t i = 0; i < values.size(); ++i) {
      const bool common = static_cast<int>(random() % 100) < equal_share;
      values[i] = {common ? 500 : static_cast<int>(random() % 1000), static_cast<int>(i)};
    }
    auto sorted = values;
    const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    parallel_sort(sorted.begin(), sorted.end(), by_key, 2);
    ASSERT_TRUE(std::is_sorted(sorted.begin(), sorted.end(), by_key)) << equal_share;
    std::sort(sorted.begin(), sorted.end());
    std::sort(values.begin(), values.end());
    ASSERT_EQ(sorted, values) << equal_share;
  }
}

}  // namespace
}  // namespace sl
