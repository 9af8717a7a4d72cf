// Row selection and column shaping on RecordBatches, for every column kind (flat and nested):
// what splitting a batch into files, filtering scan rows and concatenating batches need.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"

namespace sl::columnar {

// An empty column of the same type and shape as `column` (nested children included).
Column empty_like(const Column& column);
// The rows of `column` at `rows` (in that order; a row may repeat), nested children included.
Column take_rows(const Column& column, const std::vector<uint32_t>& rows);
RecordBatch take_rows(const RecordBatch& batch, const std::vector<uint32_t>& rows);
// `batch` replaced by its rows at `rows`, one column at a time: the memory it needs beyond the
// batch is one column, where take_rows needs a second batch (a spill's sort of a large partition).
void take_rows_in_place(RecordBatch& batch, const std::vector<uint32_t>& rows);
// A column of `length` nulls shaped like `field` (a struct gets its children, each all null).
Column null_column(const Field& field, size_t length);
// Appends the rows of `from` to `to` (same schema; nested columns included).
Status append_batch(RecordBatch& to, const RecordBatch& from);
// Appends the rows of `from` at `rows` to `to` (same schema; `to` empty: take_rows): what
// append_batch(to, take_rows(from, rows)) appends, without the copy in between.
Status append_rows(RecordBatch& to, const RecordBatch& from, const std::vector<uint32_t>& rows);

}  // namespace sl::columnar
