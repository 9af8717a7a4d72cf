// parallel_for: the items 0..n-1 of an independent piece of work spread over a few threads, the
// caller's among them; parallel_sort: a large sort on two.
//
// Why no long-lived pool: the callers (a Parquet row group's columns, a table's data files) hand
// out a few items of milliseconds each, where starting a thread (~20 µs) is noise, and a
// process-wide pool would be global state (STYLE.md: none). Items are taken in order by whichever
// thread is free, so a slow item does not hold the others; `fn` must not throw and must be safe
// to run on several items at once (its results go to per-item slots).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace sl {

// Runs fn(i) for every i in [0, n), on min(threads, n) threads (threads ≤ 1: on this one only).
// Returns once every item is done.
template <class Fn>
void parallel_for(size_t n, size_t threads, Fn&& fn) {
  const size_t helpers = std::min(threads, n) > 1 ? std::min(threads, n) - 1 : 0;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// Sorts [first, last) by `less`, on two threads when `threads` ≥ 2 and the range is large: split
// around its middle element (nth_element: no extra memory, where merging two sorted halves would
// need half the range again), then each side sorted on its own thread.
template <class It, class Less>
void parallel_sort(It first, It last, Less less, size_t threads) {
  constexpr std::ptrdiff_t k_worth_a_thread = 1 << 16;
  if (threads < 2 || last - first < k_worth_a_thread) {
    std::sort(first, last, less);
    return;
  }
  const It middle = first + (last - first) / 2;
  std::nth_element(first, middle, last, less);  // middle in place; ≤ before it, ≥ after it
  parallel_for(2, 2, [&](size_t side) {
    if (side == 0)
      std::sort(first, middle, less);
    else
      std::sort(middle + 1, last, less);
  });
}

// The threads a data-processing step may use: the machine's cores (at least 1).
inline size_t hardware_threads() {
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace sl
