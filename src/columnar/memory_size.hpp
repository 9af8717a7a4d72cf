// What a column's values cost in memory: writers that must stay under a memory budget (Bronze's
// pending rows, a data file's row groups) measure their batches with it.
#pragma once

#include <cstddef>

#include "columnar/column.hpp"

namespace sl::columnar {

// The bytes a column's (a batch's) vectors hold, children included (capacities: what it costs).
size_t memory_bytes(const Column& column);
size_t memory_bytes(const RecordBatch& batch);

}  // namespace sl::columnar
