// Present values spread over their slots: a primitive leaf's values come dense (only defined
// entries carry one), a column holds one per slot, nulls included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "columnar/column.hpp"

namespace sl::parquet {

// How spread_tail moves the values. The build targets baseline x86-64, so the AVX-512 expand
// instructions (8 to 64 slots a step instead of one) are chosen at run time when the CPU has
// them; `baseline` forces the portable loop (tests compare the two).
enum class SpreadPath { fastest, baseline };

// Whether this CPU runs the AVX-512 spreads (AVX512F, BW and VL; booleans need VBMI2 besides).
bool spread_has_avx512();

// The column's last `present` values, which follow `first` slot-aligned values, spread over the
// slots [first, first + n): slot first + i takes the next of them when valid[i] (0 or 1), else
// a zero (strings: an empty value; their bytes stay as they are, only the offsets move). `length`
// becomes first + n; the validity is left to the caller. In place, from the back.
void spread_tail(columnar::Column& column, size_t first, const uint8_t* valid, size_t n,
                 SpreadPath path = SpreadPath::fastest);

// A PLAIN page's `present` values (`width` bytes each, little-endian, stored by the column as
// they are: plain_decoder.hpp's plain_bulk_width) spread straight from the page into n new slots
// of the column, as spread_tail would after a dense copy, without that copy. Only by the AVX-512
// expands: false (nothing done) without them, for another width, or when the page holds fewer
// bytes than its values (the caller then decodes and spreads, which reports the error).
bool spread_plain(columnar::Column& column, std::string_view page_values, size_t width,
                  size_t present, const uint8_t* valid, size_t n,
                  SpreadPath path = SpreadPath::fastest);

}  // namespace sl::parquet
