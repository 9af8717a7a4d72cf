#include "common/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
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

}  // namespace
}  // namespace sl
