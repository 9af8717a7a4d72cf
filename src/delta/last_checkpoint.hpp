// `_delta_log/_last_checkpoint`: a hint naming the newest checkpoint, so that readers list the log
// from there instead of from version 0 (reference/delta-lake.md §3.2). It is only a hint: it may
// be stale (a newer checkpoint exists), point to a cleaned-up checkpoint, or be corrupt (a crash
// of another engine, a hand edit); readers then fall back to listing the whole log.
//
//   {"version":10,"size":13,"sizeInBytes":16479,"numOfAddFiles":6}
//
// `version` and `size` (rows of the checkpoint) are required (delta-rs rejects a hint without
// them); `parts` only for multi-part checkpoints; unknown members (checkpointSchema, checksum,
// tags, v2Checkpoint) are ignored. We do not write `checksum`: a wrong one makes readers treat the
// hint as corrupt, and the canonicalisation it needs buys nothing here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct LastCheckpoint {
  int64_t version = 0;
  int64_t size = 0;
  std::optional<int64_t> parts;
  std::optional<int64_t> size_in_bytes;
  std::optional<int64_t> num_of_add_files;
  bool operator==(const LastCheckpoint&) const = default;
};

std::string last_checkpoint_to_json(const LastCheckpoint& hint);
// Errc::parse naming `file_name` when the text is not a hint.
Result<LastCheckpoint> parse_last_checkpoint(std::string_view text, std::string_view file_name);
// nullopt when the table has none; errors when it cannot be read or parsed.
Result<std::optional<LastCheckpoint>> read_last_checkpoint(const Storage& storage);

}  // namespace sl::delta
