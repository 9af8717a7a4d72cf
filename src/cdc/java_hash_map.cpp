// java.util.HashMap's iteration order (String keys).
#include "cdc/java_hash_map.hpp"

#include <algorithm>
#include <unordered_map>

namespace sl::cdc {

int32_t java_string_hash(std::string_view utf8) {
  uint32_t h = 0;
  auto unit = [&h](uint32_t u) { h = 31 * h + u; };
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const int length = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (length == 1 || i + length > utf8.size()) {  // ASCII (or a stray byte: as itself)
      unit(c);
      ++i;
      continue;
    }
    uint32_t cp = c & (0x7f >> length);
    for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    if (cp >= 0x10000) {  // a surrogate pair
      cp -= 0x10000;
      unit(0xd800 + (cp >> 10));
      unit(0xdc00 + (cp & 0x3ff));
    } else {
      unit(cp);
    }
    i += length;
  }
  return static_cast<int32_t>(h);
}

std::vector<size_t> java_hash_map_order(const std::vector<std::string_view>& keys) {
  // HashMap: bucket = spread hash & (capacity - 1); capacity 16, doubled when the size exceeds
  // 3/4 of it, or when a bucket's list reaches 9 nodes while the capacity is below 64 (Java
  // then resizes instead of making a tree). Within a bucket, nodes stay in insertion order
  // (resizes split lists in order), so the iteration order is the insertion order stably sorted
  // by the final bucket.
  std::vector<uint32_t> spread(keys.size());
  uint32_t capacity = 16;
  std::unordered_map<uint32_t, uint32_t> bucket_sizes;
  auto recount = [&](size_t filled) {
    bucket_sizes.clear();
    for (size_t i = 0; i < filled; ++i) ++bucket_sizes[spread[i] & (capacity - 1)];
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto h = static_cast<uint32_t>(java_string_hash(keys[i]));
    spread[i] = h ^ (h >> 16);
    if (++bucket_sizes[spread[i] & (capacity - 1)] >= 9 && capacity < 64) {
      capacity *= 2;
      recount(i + 1);
    }
    if (i + 1 > capacity / 4 * 3) {
      capacity *= 2;
      recount(i + 1);
    }
  }
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (spread[a] & (capacity - 1)) < (spread[b] & (capacity - 1));
  });
  return order;
}

}  // namespace sl::cdc
