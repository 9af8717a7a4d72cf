// Present values spread over their slots: a primitive leaf's values come dense (only defined
// entries carry one), a column holds one per slot, nulls included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "columnar/column.hpp"
#include "parquet/cpu_features.hpp"

namespace sl::parquet {

// A page's slots when its values are to be spread over them (a flat optional column with a
// null): slot i takes the next value when valid[i] (0 or 1), as spread_tail below.
struct PageSlots {
  const uint8_t* valid = nullptr;
  size_t count = 0;
};

// The column's last `present` values, which follow `first` slot-aligned values, spread over the
// slots [first, first + n): slot first + i takes the next of them when valid[i] (0 or 1), else
// a zero (strings: an empty value; their bytes stay as they are, only the offsets move). `length`
// becomes first + n; the validity is left to the caller. In place, from the back; by AVX-512
// expands (8 to 64 slots a step) when the CPU has them (cpu_features.hpp).
void spread_tail(columnar::Column& column, size_t first, const uint8_t* valid, size_t n,
                 SimdPath path = SimdPath::fastest);

// A PLAIN page's `present` values (`width` bytes each, little-endian, stored by the column as
// they are: plain_decoder.hpp's plain_bulk_width) spread straight from the page into n new slots
// of the column, as spread_tail would after a dense copy, without that copy. Only by the AVX-512
// expands: false (nothing done) without them, for another width, or when the page holds fewer
// bytes than its values (the caller then decodes and spreads, which reports the error).
bool spread_plain(columnar::Column& column, std::string_view page_values, size_t width,
                  size_t present, const uint8_t* valid, size_t n,
                  SimdPath path = SimdPath::fastest);

}  // namespace sl::parquet
