// FooterCache: the Parquet footers of data files already read, so that a process scanning the
// same object-store tables again (the dashboard, refresh reading Silver after writing it) pays
// one ranged GET per file once, not at every scan.
//
// Keyed by the file's location (`Storage::describe`) and size: Delta data files are immutable
// under unique names, so a name and a size identify the bytes (a file rewritten in place with
// another size is a new key; a same-size rewrite is not something a Delta writer does).
// Bounded by total bytes (least recently used entries go first); thread-safe.
// Owned by the composition root and shared by the storages it makes (no global state).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sl::delta {

class FooterCache {
 public:
  explicit FooterCache(uint64_t max_bytes = 64ull << 20) : max_bytes_(max_bytes) {}

  // The file's tail (footer + length + magic) when cached.
  std::optional<std::shared_ptr<const std::string>> find(std::string_view location,
                                                         uint64_t size);
  // Remembers a file's tail; a tail larger than a quarter of the budget is not kept.
  void insert(std::string_view location, uint64_t size, std::string tail);

  size_t entries() const;
  uint64_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> tail;
  };
  static std::string key(std::string_view location, uint64_t size);

  const uint64_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  uint64_t bytes_ = 0;
};

}  // namespace sl::delta
