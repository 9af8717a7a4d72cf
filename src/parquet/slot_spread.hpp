// Present values spread over their slots: a primitive leaf's values come dense (only defined
// entries carry one), a column holds one per slot, nulls included.
#pragma once

#include <cstddef>
#include <cstdint>

#include "columnar/column.hpp"

namespace sl::parquet {

// The column's last `present` values, which follow `first` slot-aligned values, spread over the
// slots [first, first + n): slot first + i takes the next of them when valid[i] (0 or 1), else
// a zero (strings: an empty value; their bytes stay as they are, only the offsets move). `length`
// becomes first + n; the validity is left to the caller. In place, from the back.
void spread_tail(columnar::Column& column, size_t first, const uint8_t* valid, size_t n);

}  // namespace sl::parquet
