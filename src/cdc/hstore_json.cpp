// hstore pairs in a java.util.HashMap's iteration order, as JSON.
#include "cdc/hstore_json.hpp"

#include <unordered_map>
#include <vector>

#include "cdc/java_hash_map.hpp"
#include "common/json_writer.hpp"

namespace sl::cdc {

void append_hstore_json(std::string& out, const HstorePairs& pairs) {
  // HashMap.put: a key given twice keeps its first place and takes its last value.
  std::vector<std::string_view> keys;
  std::vector<const std::optional<std::string>*> values;
  std::unordered_map<std::string_view, size_t> index;
  for (const auto& [key, value] : pairs) {
    if (auto it = index.find(key); it != index.end()) {
      values[it->second] = &value;
      continue;
    }
    index.emplace(key, keys.size());
    keys.push_back(key);
    values.push_back(&value);
  }
  out += '{';
  bool first = true;
  for (size_t i : java_hash_map_order(keys)) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, keys[i]);
    out += ':';
    if (*values[i])
      append_json_string(out, **values[i]);
    else
      out += "null";
  }
  out += '}';
}

}  // namespace sl::cdc
