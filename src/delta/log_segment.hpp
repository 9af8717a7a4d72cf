// LogSegment: which log files make up a snapshot — the newest complete checkpoint at or before
// the target version, then every commit after it, contiguous up to the target.
//
// Files of `_delta_log/` we recognise (PROTOCOL.md "Delta Log Entries"):
//   00000000000000000010.json                                  commit 10
//   00000000000000000010.checkpoint.parquet                    classic checkpoint at 10
//   00000000000000000010.checkpoint.0000000001.0000000002.parquet   part 1 of a 2-part checkpoint
//   00000000000000000010.checkpoint.<uuid>.parquet|json        v2 checkpoint (ignored: the
//                                                              v2Checkpoint feature is refused)
//   _last_checkpoint, *.crc, *.compacted.json, temporaries      not needed to read the table
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

constexpr std::string_view k_log_dir = "_delta_log";

// "_delta_log/00000000000000000007.json".
std::string commit_path(int64_t version);
std::string checkpoint_path(int64_t version);
std::string last_checkpoint_path();

struct LogListing {
  std::map<int64_t, FileInfo> commits;
  std::map<int64_t, std::vector<FileInfo>> checkpoints;  // complete ones only, parts in order
  std::optional<int64_t> latest_version() const;
};

// Lists `_delta_log/`, or only its entries from `from_version` on (a checkpoint named by
// `_last_checkpoint`).
Result<LogListing> list_log(const Storage& storage, std::optional<int64_t> from_version = {});

struct LogSegment {
  int64_t version = -1;
  std::optional<int64_t> checkpoint_version;
  std::vector<FileInfo> checkpoint_parts;
  std::vector<std::pair<int64_t, FileInfo>> commits;  // ascending, checkpoint+1..version
};

// The segment for `version` (latest when empty). Errors: Errc::not_found when there is no table
// (no log, or an empty one) or the version does not exist; Errc::corrupt when the commits are not
// contiguous or the table cannot be reconstructed (names the missing file).
Result<LogSegment> build_log_segment(const Storage& storage, const LogListing& listing,
                                     std::optional<int64_t> version);

}  // namespace sl::delta
