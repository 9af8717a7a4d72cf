// IdSet: a set of integer ids asked once per row of a large table (Silver's employee ids, asked
// for each activity: is its employee known?). A bit per id for the small non-negative ids sources
// use (100,000 employees: 12 KB, which stays in cache), a hash set for any other id. A
// std::unordered_set took a cache miss or two per lookup: 6 % of the full refresh's builder
// thread at 5M activities (src/lakehouse/README.md "Both cores in the full refresh").
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace sl::lakehouse {

class IdSet {
 public:
  IdSet() = default;
  explicit IdSet(const std::unordered_set<int64_t>& ids) {
    for (int64_t id : ids) insert(id);
  }

  void insert(int64_t id) {
    if (!dense(id)) {
      others_.insert(id);
      return;
    }
    const auto i = static_cast<size_t>(id);
    if (i >= bits_.size()) bits_.resize(i + 1);
    bits_[i] = true;
  }

  bool contains(int64_t id) const {
    if (!dense(id)) return others_.contains(id);
    const auto i = static_cast<size_t>(id);
    return i < bits_.size() && bits_[i];
  }

 private:
  // Ids from 0 up to this bound take a bit (2 MiB at most); others, the hash set.
  static constexpr int64_t k_dense_bound = int64_t{1} << 24;
  static bool dense(int64_t id) { return id >= 0 && id < k_dense_bound; }

  std::vector<bool> bits_;
  std::unordered_set<int64_t> others_;
};

}  // namespace sl::lakehouse
