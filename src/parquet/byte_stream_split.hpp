// BYTE_STREAM_SPLIT decoding (Encodings.md §"Byte Stream Split": FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY), back to PLAIN bytes so that the PLAIN decoder's conversions apply:
//
//   values := stream(0) stream(1) ... stream(K-1)      K = the value width in bytes
//   stream(k) := byte k of value 0, byte k of value 1, ..., byte k of value N-1
//
// N is the section size / K (what Arrow and parquet-java use as the stride); the section must be a
// whole number of values and hold at least the `count` values the levels ask for.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sl::parquet {

// Appends `count` values of `width` bytes each, interleaved back, to `plain` (replaced).
Status byte_stream_split_to_plain(std::string_view section, size_t count, size_t width,
                                  std::string& plain);

}  // namespace sl::parquet
