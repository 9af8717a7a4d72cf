// hstore → the JSON text Debezium writes for it (hstore.handling.mode=json, its default):
// PgJDBC's HStoreConverter reads the value into a java.util.HashMap, and Debezium writes that
// map with Jackson, so the members come in the HashMap's iteration order (not PostgreSQL's), and
// a NULL value is null: "a=>1, b=>NULL" → {"a":"1","b":null}.
#pragma once

#include <string>

#include "cdc/pg_text.hpp"

namespace sl::cdc {

// Appends the JSON object text (not yet quoted as a JSON string) of `pairs`, in the order a
// HashMap<String,String> filled with them in text order iterates; a key given twice keeps its
// first place and its last value (HashMap.put). Bins of more than 8 keys in a table of 64+
// buckets are trees in Java, iterated in another order: here they stay in insertion order (only
// the members' order can differ, never the content).
void append_hstore_json(std::string& out, const HstorePairs& pairs);

}  // namespace sl::cdc
