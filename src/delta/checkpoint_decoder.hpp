// Checkpoint rows → actions, for a checkpoint written by anyone: columns and struct fields are
// found by name (Spark, delta-rs/arrow-rs and Databricks order and nest them differently),
// integers may be INT32 or INT64, and a missing column or field reads as null. Columns we do not
// know (partitionValues_parsed, checkpointMetadata, sidecar...) are ignored; `add.stats_parsed`
// stands in for a null or missing `add.stats` (encoded back to stats JSON, delta/stats.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/actions.hpp"

namespace sl::delta {

// The top-level columns a decoder reads (to project the Parquet read on them).
const std::vector<std::string>& checkpoint_action_columns();

// A checkpoint's actions as decoded: the adds (nearly all of its rows) apart, built in place in
// their vector, so that a snapshot moves each one once, into its file list.
struct CheckpointActions {
  std::vector<Add> adds;       // in row order
  std::vector<Action> others;  // protocol, metaData, txn, domainMetadata, then remove rows
};

// Appends the actions of rows [begin, end) of `batch` (rows of one checkpoint file) to `out`, in
// row order within each action kind (ranges of one batch may be decoded on several threads). Errors are Errc::corrupt naming `file_name`, the row and the field (a required
// field that is null, a field of an unexpected type).
Status decode_checkpoint(const columnar::RecordBatch& batch, std::string_view file_name,
                         size_t begin, size_t end, CheckpointActions& out);

}  // namespace sl::delta
