// Row selection and column shaping on RecordBatches: what splitting a batch into files and
// assembling scan results need.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "parquet/column.hpp"

namespace sl::delta {

// The rows of `column` at `rows` (in that order).
parquet::Column take_rows(const parquet::Column& column, const std::vector<uint32_t>& rows);
parquet::RecordBatch take_rows(const parquet::RecordBatch& batch,
                               const std::vector<uint32_t>& rows);
// A column of `length` nulls.
parquet::Column null_column(const parquet::DataType& type, size_t length);
// Appends the rows of `from` to `to` (same schema).
Status append_batch(parquet::RecordBatch& to, const parquet::RecordBatch& from);

}  // namespace sl::delta
