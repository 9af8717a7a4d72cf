// The RLE / bit-packed hybrid encoding (levels, dictionary indices).
//
// Grammar: stream := run*; run := rle-run | bit-packed-run
//   rle-run        := varint(count << 1)        value in ceil(bit_width / 8) bytes LE
//   bit-packed-run := varint(groups << 1 | 1)   groups * 8 values, bit_width bits each, LSB first
// Only the last bit-packed group of a stream may be padded (the reader knows the value count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sl::parquet {

// Bits needed to represent `max_value` (0 for 0).
int bit_width_for(uint32_t max_value);

// Appends the hybrid encoding of `values` (each < 2^bit_width) to `out`: runs of 8 or more equal
// values become RLE runs, the rest bit-packed groups.
void encode_rle_bit_packed(const uint32_t* values, size_t count, int bit_width, std::string& out);

// Decodes exactly `count` values into `out` (resized). Returns false on truncated or malformed
// input (a run past the end of `bytes`, a bit width above 32).
bool decode_rle_bit_packed(std::string_view bytes, int bit_width, size_t count,
                           std::vector<uint32_t>& out);

// The value of the RLE run `bytes` begins with when that run covers at least `count` values (a
// page of levels without a null is one such run), else nullopt: the caller then decodes.
std::optional<uint32_t> leading_run_value(std::string_view bytes, int bit_width, size_t count);

}  // namespace sl::parquet
