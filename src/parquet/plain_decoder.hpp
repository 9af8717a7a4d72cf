// PLAIN values (Encodings.md "Plain") → a column of the leaf's logical type. The grammar, per
// physical type, values back to back:
//   BOOLEAN               1 bit each, LSB first, the last byte padded
//   INT32, FLOAT          4 bytes little-endian        INT64, DOUBLE  8 bytes little-endian
//   INT96                 8 bytes nanoseconds of the day, then 4 bytes Julian day
//   BYTE_ARRAY            u32 little-endian length, then that many bytes
//   FIXED_LEN_BYTE_ARRAY  type_length bytes
// Conversions to the logical type (Conversion): decimals to their unscaled value (INT32, INT64,
// big-endian two's-complement byte arrays), timestamps to microseconds, INT96 to microseconds,
// FLOAT16 to float32. Dictionary pages, statistics and the DELTA / BYTE_STREAM_SPLIT encodings
// (decoded back to PLAIN bytes first) all end here. A value past the end is Errc::corrupt.
#pragma once

#include <algorithm>
#include <string_view>

#include "columnar/column.hpp"
#include "common/byte_cursor.hpp"
#include "common/result.hpp"
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

// Appends `count` PLAIN values of the physical type to `out` (logical type).
Status decode_plain(ByteCursor& in, size_t count, const Conversion& conv, columnar::Column& out);

// The size of one PLAIN value when `out` stores the values as they are in the page (numbers
// needing no conversion, a column without validity), else 0. Such pages are copied in bulk (or
// spread over their slots straight from the page: slot_spread.hpp).
size_t plain_bulk_width(const Conversion& conv, const columnar::Column& out);

// One min/max statistic of the leaf's chunks as a 1-value column of its logical type (PLAIN
// bytes, without the length prefix for BYTE_ARRAY), converted like the values.
Result<columnar::Column> decode_statistic(std::string_view bytes, const LeafInfo& leaf);

// Room for `extra` more elements, growing geometrically: an exact reserve per page would
// reallocate (and copy) the whole column on every page.
template <class Container>
void reserve_more(Container& c, size_t extra) {
  if (c.capacity() - c.size() < extra) c.reserve(std::max(c.size() + extra, 2 * c.capacity()));
}

}  // namespace sl::parquet
