// Row selection and column shaping on RecordBatches: what splitting a batch into files and
// assembling scan results need.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::columnar {

// The rows of `column` at `rows` (in that order).
Column take_rows(const Column& column, const std::vector<uint32_t>& rows);
RecordBatch take_rows(const RecordBatch& batch, const std::vector<uint32_t>& rows);
// A column of `length` nulls.
Column null_column(const DataType& type, size_t length);
// Appends the rows of `from` to `to` (same schema).
Status append_batch(RecordBatch& to, const RecordBatch& from);

}  // namespace sl::columnar
