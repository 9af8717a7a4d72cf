// Protocol checks: can we read / write a table with this protocol? Unsupported features are
// refused by name (Errc::unsupported), never read wrongly.
//
// Reads: reader version 1; 2 only without column mapping in use; 3 with reader features from
// the supported list (`timestampNtz`, read as timestamp; `vacuumProtocolCheck`). Writes: writer
// version ≤ 2 (appendOnly, invariants), or 7 with writer features from {appendOnly, invariants}; we
// always write (1,2).
#pragma once

#include "common/result.hpp"
#include "delta/actions.hpp"

namespace sl::delta {

Status check_read_supported(const Protocol& protocol, const Metadata& metadata);
Status check_write_supported(const Protocol& protocol, const Metadata& metadata);

// Table properties we honour, with Spark's defaults.
int64_t checkpoint_interval(const Metadata& metadata);  // delta.checkpointInterval, 10
bool append_only(const Metadata& metadata);             // delta.appendOnly, false
int64_t log_retention_ms(const Metadata& metadata);     // delta.logRetentionDuration, 30 days
int64_t deleted_file_retention_ms(
    const Metadata& metadata);  // delta.deletedFileRetentionDuration, 7 days
// delta.setTransactionRetentionDuration: txn entries not updated for this long are dropped from
// checkpoints (and so forgotten once older commits are cleaned up); none by default.
std::optional<int64_t> set_transaction_retention_ms(const Metadata& metadata);
// "interval 7 days", "interval 1 week", "168 hours" → ms; nullopt when not understood.
std::optional<int64_t> parse_interval_ms(std::string_view text);

}  // namespace sl::delta
