// java.util.HashMap's iteration order, reproduced: Debezium writes some maps (an hstore value read
// by PgJDBC, a transaction's per-table event counts) in the order a HashMap<String, …> iterates,
// which is neither insertion nor sorted order.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sl::cdc {

// java.lang.String.hashCode of UTF-8 text (over its UTF-16 code units).
int32_t java_string_hash(std::string_view utf8);

// The order (indexes into `keys`) in which a HashMap<String, V> filled with the distinct `keys`
// in this order iterates. Bins of more than 8 keys in a table of 64+ buckets are trees in Java,
// iterated in another order: here they stay in insertion order.
std::vector<size_t> java_hash_map_order(const std::vector<std::string_view>& keys);

}  // namespace sl::cdc
