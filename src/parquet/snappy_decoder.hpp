// Snappy block decompression (the raw format Parquet's SNAPPY codec uses), written for our pages.
//
// Why our own: libsnappy (1.1.9, as packaged) copies every literal and back-reference through an
// out-of-line memmove call; Parquet pages are mostly short elements, so those calls were a third
// of a full scan. Here short elements are copied with fixed-size 16-byte moves inlined by the
// compiler, and back-references whose source overlaps their destination double their pattern.
//
// Format (github.com/google/snappy, format_description.txt): a varint of the uncompressed
// length, then elements, each starting with a tag byte whose low two bits give its kind:
//   00 literal: length-1 in the upper 6 bits, or 60..63 = the length-1 follows in 1..4 LE bytes;
//   01 copy: length 4 + bits 2..4, offset = bits 5..7 << 8 | next byte;
//   10 copy: length 1 + bits 2..7, offset = next 2 bytes LE;
//   11 copy: length 1 + bits 2..7, offset = next 4 bytes LE.
// A copy repeats `length` bytes starting `offset` bytes back in the output (offset may be shorter
// than length: the bytes it produces are copied again).
#pragma once

#include <cstddef>
#include <string_view>

namespace sl::parquet {

// Decompresses `input` into out[0..size). False when the block is malformed: a length preamble
// other than `size`, an element past the end of the input or of the output, an offset of 0 or
// before the output's start, or an output shorter than `size`. Never reads or writes outside
// `input` and out[0..size).
bool snappy_decompress(std::string_view input, char* out, size_t size);

}  // namespace sl::parquet
