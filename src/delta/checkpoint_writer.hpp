// Writing a classic checkpoint of a snapshot: `NNN.checkpoint.parquet` (always a single file)
// holding the reconciled state at version NNN, one action per row, then `_last_checkpoint`.
// Reading one back is checkpoint_reader.hpp (what the snapshot needs; this half needs the
// snapshot).
//
// Order of work (write_checkpoint), after commit NNN.json exists:
// 1. encode protocol, metaData, txns, live adds (dataChange=false) and unexpired tombstones
//    (without stats/tags) into the Spark checkpoint schema (every column optional);
// 2. put the Parquet file (atomic replace: a concurrent writer of the same checkpoint writes the
//    same content);
// 3. then put `_last_checkpoint` {"version","size","sizeInBytes","numOfAddFiles"}.
// A crash between any two steps leaves a readable table: readers choose checkpoints by listing,
// and an incomplete file is never visible (temp + rename).
#pragma once

#include <cstdint>

#include "common/result.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct CheckpointResult {
  int64_t version = 0;
  int64_t actions = 0;
  int64_t add_files = 0;
  uint64_t size_in_bytes = 0;
};
Result<CheckpointResult> write_checkpoint(Storage& storage, const Snapshot& snapshot,
                                          int64_t now_ms);

}  // namespace sl::delta
