// The RLE / bit-packed hybrid encoding (levels, dictionary indices).
//
// Grammar: stream := run*; run := rle-run | bit-packed-run
//   rle-run        := varint(count << 1)        value in ceil(bit_width / 8) bytes LE
//   bit-packed-run := varint(groups << 1 | 1)   groups * 8 values, bit_width bits each, LSB first
// Only the last bit-packed group of a stream may be padded (the reader knows the value count).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/cpu_features.hpp"

namespace sl::parquet {

// Bits needed to represent `max_value` (0 for 0).
int bit_width_for(uint32_t max_value);

// Appends the hybrid encoding of `values` (each < 2^bit_width) to `out`: runs of 8 or more equal
// values become RLE runs, the rest bit-packed groups.
void encode_rle_bit_packed(const uint32_t* values, size_t count, int bit_width, std::string& out);

// Bit-packed values: out[0..n) = the first n values of `bit_width` bits (0..32) packed LSB-first
// from `p`; they must lie before `end`. Widths up to 25 go 16 values a step through AVX-512 byte
// permutes when the CPU has them (cpu_features.hpp).
void unpack_bits(const uint8_t* p, const uint8_t* end, int bit_width, size_t n, uint32_t* out,
                 SimdPath path = SimdPath::fastest);

// Bit-packed values of width 1 (the definition levels of a flat optional column) as bytes:
// out[0..n) = the first n bits from `p` (ceil(n / 8) bytes), 64 at a time by an AVX-512 masked
// move when the CPU has it (cpu_features.hpp), else 8 at a time through a table. Returns how
// many are 1.
size_t unpack_bits_to_bytes(const uint8_t* p, size_t n, uint8_t* out,
                            SimdPath path = SimdPath::fastest);

// Levels of width 1 (the definition levels of a flat optional column, 0 or 1) decoded as bytes
// straight from a hybrid stream, runs of both kinds in one loop: out[0..n) = the levels. With
// 10 % of nulls the stream alternates short RLE runs and short bit-packed runs (one of each per
// ~20 levels), so a call and a memset per run cost more than the levels themselves. The AVX-512
// loop stores 64 bytes at a time and may write up to k_bit_level_slack - 1 bytes past out[n]:
// the caller leaves that room. `ok` false on malformed input (as visit_rle_bit_packed);
// `highest` is the largest level seen (an RLE run may carry any byte: the caller checks it).
struct BitLevels {
  bool ok = true;
  size_t ones = 0;      // levels equal to 1
  uint32_t highest = 0;
};
constexpr size_t k_bit_level_slack = 64;
BitLevels decode_bit_levels(std::string_view bytes, size_t n, uint8_t* out,
                            SimdPath path = SimdPath::fastest);

// The runs covering the first `count` values of a hybrid stream, in order, without materialising
// them: run(value, n) for an RLE run, packed(p, n) for n bit-packed values starting at p (unpack
// them with unpack_bits(p, end, ...); n is the run's share of `count`, its bytes checked to lie
// before `end`). Either callback returns false to stop (then so does this). Returns false on
// malformed input, as decode_rle_bit_packed.
template <class Run, class Packed>
bool visit_rle_bit_packed(std::string_view bytes, int bit_width, size_t count, Run&& run,
                          Packed&& packed);

// Decodes exactly `count` values into `out` (resized). Returns false on truncated or malformed
// input (a run past the end of `bytes`, a bit width above 32).
bool decode_rle_bit_packed(std::string_view bytes, int bit_width, size_t count,
                           std::vector<uint32_t>& out);
// The same into out[0..count), which the caller sized (a reused scratch is then not zeroed by a
// resize on every page).
bool decode_rle_bit_packed(std::string_view bytes, int bit_width, size_t count, uint32_t* out);

// The value of the RLE run `bytes` begins with when that run covers at least `count` values (a
// page of levels without a null is one such run), else nullopt: the caller then decodes.
std::optional<uint32_t> leading_run_value(std::string_view bytes, int bit_width, size_t count);

namespace rle_detail {
// A run header (ULEB128 varint of at most 5 bytes) at p, which moves past it.
bool read_varint_run_header(const uint8_t*& p, const uint8_t* end, uint64_t& header);
// The same, inline for the common one-byte header (runs of levels with nulls are short and many:
// a call per run was ~1.5 % of a scan with 10 % of nulls).
inline bool read_run_header(const uint8_t*& p, const uint8_t* end, uint64_t& header) {
  if (p != end && *p < 0x80) {
    header = *p++;
    return true;
  }
  return read_varint_run_header(p, end, header);
}
}  // namespace rle_detail

template <class Run, class Packed>
bool visit_rle_bit_packed(std::string_view bytes, int bit_width, size_t count, Run&& run,
                          Packed&& packed) {
  if (bit_width < 0 || bit_width > 32) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  const size_t value_bytes = static_cast<size_t>(bit_width + 7) / 8;
  size_t filled = 0;
  while (filled < count) {
    uint64_t header = 0;
    if (!rle_detail::read_run_header(p, end, header)) return false;
    if (header & 1) {
      uint64_t values = (header >> 1) * 8;
      uint64_t bytes_needed = (header >> 1) * static_cast<uint64_t>(bit_width);
      if (bytes_needed > static_cast<uint64_t>(end - p)) {
        // The last run may be cut short if it carries only padding; accept what covers `count`.
        uint64_t have_values =
            bit_width == 0 ? values
                           : static_cast<uint64_t>(end - p) * 8 / static_cast<uint64_t>(bit_width);
        if (have_values < count - filled) return false;
        values = have_values;
        bytes_needed = static_cast<uint64_t>(end - p);
      }
      const size_t take = static_cast<size_t>(std::min<uint64_t>(values, count - filled));
      if (!packed(p, take)) return false;
      filled += take;
      p += bytes_needed;
    } else {
      uint64_t n = header >> 1;
      if (static_cast<size_t>(end - p) < value_bytes) return false;
      uint32_t value = 0;
      for (size_t b = 0; b < value_bytes; ++b) value |= static_cast<uint32_t>(p[b]) << (8 * b);
      p += value_bytes;
      if (n == 0) return false;  // a zero-length run would never end the loop
      const size_t take = static_cast<size_t>(std::min<uint64_t>(n, count - filled));
      if (!run(value, take)) return false;
      filled += take;
    }
  }
  return true;
}

}  // namespace sl::parquet
