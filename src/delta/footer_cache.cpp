// A bounded, thread-safe LRU of Parquet file tails (see footer_cache.hpp).
#include "delta/footer_cache.hpp"

namespace sl::delta {

std::string FooterCache::key(std::string_view location, uint64_t size) {
  return std::string(location) + '\n' + std::to_string(size);
}

std::optional<std::shared_ptr<const std::string>> FooterCache::find(std::string_view location,
                                                                    uint64_t size) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key(location, size));
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->tail;
}

void FooterCache::insert(std::string_view location, uint64_t size, std::string tail) {
  if (tail.size() > max_bytes_ / 4) return;
  std::string k = key(location, size);
  std::lock_guard lock(mutex_);
  if (index_.contains(k)) return;
  bytes_ += tail.size();
  lru_.push_front({k, std::make_shared<const std::string>(std::move(tail))});
  index_.emplace(std::move(k), lru_.begin());
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().tail->size();
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

size_t FooterCache::entries() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

uint64_t FooterCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace sl::delta
