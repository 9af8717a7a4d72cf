// Checkpoints: not yet (needs nested Parquet columns).
#include "delta/checkpoint.hpp"

#include "delta/snapshot.hpp"

namespace sl::delta {

Result<std::vector<Action>> read_checkpoint(const Storage& storage,
                                            const std::vector<FileInfo>& parts) {
  return make_error(Errc::unsupported, "reading checkpoint " +
                                           storage.describe(parts.front().path) +
                                           " needs nested Parquet columns (not yet)");
}

Result<CheckpointResult> write_checkpoint(Storage& storage, const Snapshot& snapshot, int64_t) {
  return make_error(Errc::unsupported,
                    "checkpoint of " + storage.describe("") + " at version " +
                        std::to_string(snapshot.version) +
                        ": writing checkpoints needs nested Parquet columns (not yet)");
}

}  // namespace sl::delta
