// Helpers for the delta tests: small batches and commits built by hand.
#pragma once

#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "delta/actions_json.hpp"
#include "delta/log_segment.hpp"
#include "delta/storage.hpp"

namespace sl::delta::testing {

// A batch (id long not null, name string, day date) with ids [first, first + n).
inline columnar::RecordBatch people(int64_t first, size_t n, int32_t day = 20000) {
  columnar::RecordBatch b;
  b.schema = {{"id", {columnar::TypeId::int64}, false},
              {"name", {columnar::TypeId::string}, true},
              {"day", {columnar::TypeId::date32}, true}};
  b.columns = {columnar::Column({columnar::TypeId::int64}),
               columnar::Column({columnar::TypeId::string}),
               columnar::Column({columnar::TypeId::date32})};
  for (size_t i = 0; i < n; ++i) {
    int64_t id = first + static_cast<int64_t>(i);
    b.columns[0].append_i64(id);
    if (id % 5 == 0) {
      b.columns[1].append_null();
    } else {
      b.columns[1].append_string("name-" + std::to_string(id));
    }
    b.columns[2].append_i32(day + static_cast<int32_t>(id % 3));
  }
  b.num_rows = n;
  return b;
}

inline void put_commit(Storage& storage, int64_t version, const std::vector<Action>& actions) {
  (void)storage.put(commit_path(version), commit_to_json(actions));
}

inline Metadata simple_metadata() {
  Metadata m;
  m.id = "test-table";
  m.schema_string =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
  return m;
}

inline Add simple_add(std::string path) {
  Add a;
  a.path = std::move(path);
  a.size = 100;
  a.modification_time = 1;
  return a;
}

}  // namespace sl::delta::testing
