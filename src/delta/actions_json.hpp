// The JSON form of Delta actions: one action per line of a commit file `NNN.json`.
//
// A real commit (Spark 3.5, Delta 3.1), one line each:
//   {"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","operationParameters":
//    {"mode":"Append","partitionBy":"[]"},"readVersion":0,"isolationLevel":"Serializable",
//    "isBlindAppend":true,"operationMetrics":{"numFiles":"1","numOutputRows":"3"},
//    "engineInfo":"Apache-Spark/3.5.0 Delta-Lake/3.1.0","txnId":"..."}}
//   {"add":{"path":"part-00000-....snappy.parquet","partitionValues":{},"size":452,
//    "modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":3,...}"}}
// Unknown action keys are skipped (forward compatibility); unknown fields inside known actions
// are ignored. `checkpointMetadata` and `sidecar` (v2 checkpoints) are refused by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/actions.hpp"

namespace sl::delta {

// Parses a whole commit file. Errors are Errc::parse and name `file_name` and the line number.
Result<std::vector<Action>> parse_commit(std::string_view text, std::string_view file_name);

// One log line (no trailing newline), in the field order Spark writes.
std::string action_to_json(const Action& action);
// A whole commit: one line per action, each ending in '\n'.
std::string commit_to_json(const std::vector<Action>& actions);

}  // namespace sl::delta
