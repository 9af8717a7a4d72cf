// A large Bronze table's current state, one data file at a time: the full refresh of a history
// too large to hold decoded (10M activities are ~1.7 GB of decoded changes; BronzeState holds
// them all). Two passes over the files:
// 1. only the key and the change order (`_op`, `_commit_lsn`, `_lsn`) of every change are read
//    (the files on every thread), the last change per key found by one sort of compact entries
//    (key and place, 16 B per change, on every thread; the log order beside them, 16 B, read for
//    the keys changed more than once; both freed after), and each file keeps the row numbers of
//    its current rows (4 B per row);
// 2. `for_each_file` decodes the asked columns of a few files at a time (on every core; the next
//    few while the caller works on these) and hands each file's current rows over as a
//    BronzeState, then frees them.
// The key is one integer column (strava_activities' activity_id); the rows come in file order,
// not in the order of their keys' first changes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"
#include "lakehouse/bronze_state.hpp"

namespace sl::lakehouse {

class BronzeStream {
 public:
  // nullopt when the table does not exist yet. `columns`: the source columns pass 2 decodes
  // (plus the key and `_unconverted`). Errc::unsupported when the key is not an integer column.
  static Result<std::optional<BronzeStream>> open(const delta::Storage& table,
                                                  const std::string& key_column,
                                                  std::vector<std::string> columns,
                                                  size_t threads = 0);

  int64_t version() const { return snapshot_.version; }
  size_t changes() const { return changes_; }
  size_t current_rows() const { return current_rows_; }

  // Each data file's current rows, file after file (those without any are skipped).
  Status for_each_file(const delta::Storage& table,
                       const std::function<Status(const BronzeState&)>& on_file) const;

 private:
  delta::Snapshot snapshot_;
  std::vector<std::string> columns_;  // decoded by pass 2
  size_t threads_ = 1;
  size_t changes_ = 0;
  size_t current_rows_ = 0;
  std::vector<std::vector<uint32_t>> current_;  // per file of snapshot_.files, ascending rows
};

}  // namespace sl::lakehouse
