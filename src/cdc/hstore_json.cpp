// hstore pairs in a java.util.HashMap's iteration order, as JSON.
#include "cdc/hstore_json.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "common/json_writer.hpp"

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

void append_hstore_json(std::string& out, const HstorePairs& pairs) {
  // HashMap: bucket = spread hash & (capacity - 1); capacity 16, doubled when the size exceeds
  // 3/4 of it, or when a bucket's list reaches 9 nodes while the capacity is below 64 (Java
  // then resizes instead of making a tree). Within a bucket, nodes stay in insertion order
  // (resizes split lists in order), so the iteration order is the insertion order stably sorted
  // by the final bucket.
  struct Entry {
    uint32_t hash;
    const std::string* key;
    const std::optional<std::string>* value;
  };
  std::vector<Entry> entries;
  entries.reserve(pairs.size());
  std::unordered_map<std::string_view, size_t> index;
  uint32_t capacity = 16;
  std::unordered_map<uint32_t, uint32_t> bucket_sizes;
  auto recount = [&] {
    bucket_sizes.clear();
    for (const auto& e : entries) ++bucket_sizes[e.hash & (capacity - 1)];
  };
  for (const auto& [key, value] : pairs) {
    if (auto it = index.find(key); it != index.end()) {
      entries[it->second].value = &value;
      continue;
    }
    const auto h = static_cast<uint32_t>(java_string_hash(key));
    const uint32_t spread = h ^ (h >> 16);
    index.emplace(key, entries.size());
    entries.push_back({spread, &key, &value});
    if (++bucket_sizes[spread & (capacity - 1)] >= 9 && capacity < 64) {
      capacity *= 2;
      recount();
    }
    if (entries.size() > capacity / 4 * 3) {
      capacity *= 2;
      recount();
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [capacity](const Entry& a, const Entry& b) {
    return (a.hash & (capacity - 1)) < (b.hash & (capacity - 1));
  });
  out += '{';
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, *entries[i].key);
    out += ':';
    if (*entries[i].value)
      append_json_string(out, **entries[i].value);
    else
      out += "null";
  }
  out += '}';
}

}  // namespace sl::cdc
