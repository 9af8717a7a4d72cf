// The DELTA encodings of Parquet's Encodings.md, decoded back to PLAIN bytes, so that the value
// conversions of the PLAIN decoder (logical types, decimals, timestamp units) apply unchanged:
//
//   DELTA_BINARY_PACKED (INT32, INT64):
//     header  := uleb(block size) uleb(miniblocks per block) uleb(total values) zigzag(first)
//     block   := zigzag(min delta) byte(bit width)*miniblocks  miniblock*
//     miniblock: (block size / miniblocks) deltas - min delta, bit-packed LSB first; the last
//     block lists every width but stores only the miniblocks it needs.
//   DELTA_LENGTH_BYTE_ARRAY: the lengths DELTA_BINARY_PACKED, then the bytes concatenated.
//   DELTA_BYTE_ARRAY: prefix lengths DELTA_BINARY_PACKED, then the suffixes as
//     DELTA_LENGTH_BYTE_ARRAY; value i = the first prefix[i] bytes of value i-1 + suffix[i].
//
// Arithmetic wraps (two's complement), as writers compute deltas. Every count, width and
// length is checked against the bytes present: malformed input is Errc::corrupt, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/byte_cursor.hpp"
#include "common/result.hpp"

namespace sl::parquet {

// `count` integers; `in` is left after them (the next section of the page).
Status decode_delta_binary_packed(ByteCursor& in, size_t count, std::vector<uint64_t>& out);

// The PLAIN form of `count` values: 4-byte little-endian length + bytes for BYTE_ARRAY, or the
// bytes alone when `fixed_length` > 0 (FIXED_LEN_BYTE_ARRAY, each value must have that length).
Status delta_length_byte_array_to_plain(ByteCursor& in, size_t count, int32_t fixed_length,
                                        std::string& plain);
Status delta_byte_array_to_plain(ByteCursor& in, size_t count, int32_t fixed_length,
                                 std::string& plain);

}  // namespace sl::parquet
