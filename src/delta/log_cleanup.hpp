// Log cleanup (PROTOCOL.md "Metadata Cleanup"): after a checkpoint, delete the commits and
// checkpoints older than the newest checkpoint that is itself older than
// `delta.logRetentionDuration` (cut-off rounded down to midnight UTC). Never deletes the files a
// reader needs: that checkpoint and every commit after it stay. Disabled by
// `delta.enableExpiredLogCleanup=false`.
#pragma once

#include "common/result.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

struct Snapshot;

// Returns the number of log files deleted.
Result<size_t> cleanup_expired_logs(Storage& storage, const Snapshot& snapshot, int64_t now_ms);

}  // namespace sl::delta
