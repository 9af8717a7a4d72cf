// Checkpoint rows → actions, for a checkpoint written by anyone: columns and struct fields are
// found by name (Spark, delta-rs/arrow-rs and Databricks order and nest them differently),
// integers may be INT32 or INT64, and a missing column or field reads as null. Columns we do not
// know (partitionValues_parsed, checkpointMetadata, sidecar...) are ignored; `add.stats_parsed`
// stands in for a null or missing `add.stats` (encoded back to stats JSON, delta/stats.hpp).
// The stats may come with the other columns or in a batch of their own (decode_checkpoint_stats).
#pragma once

#include <memory>
#include <span>
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
// one vector that becomes the snapshot's file list as it is (no Add is moved or copied).
struct CheckpointActions {
  std::vector<Add> adds;       // in row order
  std::vector<Action> others;  // protocol, metaData, txn, domainMetadata, then remove rows
};

// How many of rows [begin, end) of `batch` hold an add: the slots decode_checkpoint fills.
size_t count_checkpoint_adds(const columnar::RecordBatch& batch, size_t begin, size_t end);

// Decodes rows [begin, end) of `batch` (rows of one checkpoint file): their adds, in row order,
// into `adds` (default-constructed slots, exactly count_checkpoint_adds of them, filled in place,
// so ranges of one batch decode on several threads into one vector), the other actions appended
// to `others` in row order within each action kind. Errors are Errc::corrupt naming `file_name`,
// the row and the field (a required field that is null, a field of an unexpected type).
Status decode_checkpoint(const columnar::RecordBatch& batch, std::string_view file_name,
                         size_t begin, size_t end, std::span<Add> adds,
                         std::vector<Action>& others);

// Fills the stats of the adds decode_checkpoint built from rows [begin, end) of `batch`, from
// `stats` (the same rows, holding the `add.stats` and/or `add.stats_parsed` fields; a missing
// or null `stats` falls back to `stats_parsed`, encoded back to stats JSON): the stats, most of a
// checkpoint's bytes, are decoded from Parquet while the rest of the adds are being built. The
// JSON `stats` become views into `stats`, which the adds keep alive (SharedText): no copy.
Status decode_checkpoint_stats(const columnar::RecordBatch& batch,
                               std::shared_ptr<const columnar::RecordBatch> stats,
                               std::string_view file_name, size_t begin, size_t end,
                               std::span<Add> adds);

}  // namespace sl::delta
