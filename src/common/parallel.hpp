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
#include <iterator>
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

// Partitions [first, last) by `pred` (the elements it holds for first) on two threads; returns
// the first element it does not hold for. Each half is partitioned on its own thread, then the
// first half's `false` block and the second half's `true` block trade places: only the shorter
// block's length is swapped, split between the two threads. Not stable, like std::partition.
template <class It, class Pred>
It parallel_partition(It first, It last, Pred pred) {
  const It middle = first + (last - first) / 2;
  It split[2];
  parallel_for(2, 2, [&](size_t side) {
    split[side] = side == 0 ? std::partition(first, middle, pred) : std::partition(middle, last, pred);
  });
  // [first, split[0]) true, [split[0], middle) false, [middle, split[1]) true, [split[1], last) false.
  const auto trues = split[1] - middle;
  const auto swapped = std::min(middle - split[0], trues);
  const auto half = swapped / 2;
  parallel_for(2, 2, [&](size_t side) {
    const auto from = side == 0 ? 0 : half, to = side == 0 ? half : swapped;
    std::swap_ranges(split[0] + from, split[0] + to, split[1] - swapped + from);
  });
  return split[0] + trues;
}

// Sorts [first, last) by `less`, on up to `threads` threads when the range is large, in place (a
// merge of sorted halves would need half the range again). Split in two around a pivot, the
// median of a sample, by parallel_partition (a serial nth_element left a core idle for ~0.1 s per
// 10M entries), then each side sorted on its own thread(s). Elements equivalent to the pivot are
// set apart when they fill much of the range (they are in place). Not stable, like std::sort:
// with a comparator that orders every pair (as Bronze's change log's does) the result is
// std::sort's.
template <class It, class Less>
void parallel_sort(It first, It last, Less less, size_t threads) {
  constexpr std::ptrdiff_t k_worth_a_thread = 1 << 16;
  const std::ptrdiff_t n = last - first;
  if (threads < 2 || n < k_worth_a_thread) {
    std::sort(first, last, less);
    return;
  }
  constexpr std::ptrdiff_t k_sample = 1023;  // the halves within a few % of each other
  std::vector<typename std::iterator_traits<It>::value_type> sample;
  sample.reserve(k_sample);
  for (std::ptrdiff_t i = 0; i < k_sample; ++i) sample.push_back(first[i * (n / k_sample)]);
  std::nth_element(sample.begin(), sample.begin() + k_sample / 2, sample.end(), less);
  const auto pivot = sample[k_sample / 2];
  const It below_end = parallel_partition(first, last, [&](const auto& v) { return less(v, pivot); });
  It above = below_end;
  if (below_end - first < n / 4)  // many equivalent to the pivot, or an unlucky sample
    above = parallel_partition(below_end, last, [&](const auto& v) { return !less(pivot, v); });
  parallel_for(2, 2, [&](size_t side) {
    if (side == 0)
      parallel_sort(first, below_end, less, threads / 2);
    else
      parallel_sort(above, last, less, threads - threads / 2);
  });
}

// The threads a data-processing step may use: the machine's cores (at least 1).
inline size_t hardware_threads() {
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace sl
