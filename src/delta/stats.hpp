// Per-file statistics, the `add.stats` JSON string, as Spark writes and reads it:
//   {"numRecords":3,"minValues":{"id":1,"ts":"2025-01-01T08:00:00.000Z"},
//    "maxValues":{"id":3,"ts":"2025-01-01T09:30:00.000Z"},"nullCount":{"id":0,"ts":0}}
// Rules (reference/delta-lake.md §1.4): only the first `num_indexed_cols` leaf columns; min/max
// for numbers, decimals, dates, timestamps (ms, truncated down, UTC 'Z') and strings (min: the
// first 32 characters; max only when the value is at most 32 characters long, so it stays
// exact); none for booleans and binaries, none when a float column holds NaN; a column that is
// all null has no min/max. A struct column's stats are nested objects of its fields' (its leaves
// count towards num_indexed_cols); a list or map column has a null count only. Stats are exact:
// Spark answers COUNT/MIN/MAX from them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::delta {

struct StatsOptions {
  int num_indexed_cols = 32;
  size_t string_prefix_chars = 32;
};

// Stats of rows [begin, end) of `batch` (the data columns of one file, partition columns left out).
std::string collect_stats(const columnar::RecordBatch& batch, size_t begin, size_t end,
                          const StatsOptions& options = {});

// The stats of a file written batch by batch (streaming compaction), the same JSON as
// collect_stats over all its rows at once: per leaf column only the running smallest and largest
// value (as a 2-row column) and the null count are kept, whatever the number of rows.
// 1. construct with the file's data columns (partition columns left out);
// 2. add(batch) for each batch written, in any order;
// 3. json().
class StatsCollector {
 public:
  explicit StatsCollector(std::vector<columnar::Field> schema, StatsOptions options = {});
  void add(const columnar::RecordBatch& batch);
  std::string json() const;

 private:
  StatsOptions options_;
  columnar::RecordBatch extremes_;   // per column: row 0 holds the minima, row 1 the maxima
  std::vector<int64_t> null_counts_;  // per indexed leaf, in collect_stats' order
  size_t rows_ = 0;
};

// The stats JSON of row `row` of a checkpoint's `add.stats_parsed` struct column (numRecords,
// minValues, maxValues, nullCount as typed structs: Spark and delta-rs with
// delta.checkpoint.writeStatsAsStruct), in the form of collect_stats, for checkpoints that keep
// no JSON `add.stats`. Null values and fields of other types are left out; nullopt when the row
// is null or `stats_parsed` is not a struct.
std::optional<std::string> stats_json_from_parsed(const columnar::Field& stats_parsed,
                                                  const columnar::Column& column, size_t row);

}  // namespace sl::delta
