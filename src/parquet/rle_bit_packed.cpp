// Hybrid RLE / bit-packed encoder and decoders.
#include "parquet/rle_bit_packed.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sl::parquet {

int bit_width_for(uint32_t max_value) {
  return max_value == 0 ? 0 : 32 - std::countl_zero(max_value);
}

namespace {

void put_varint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Packs `count` values (a multiple of 8, zero-padded by the caller) LSB-first.
void pack(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < count; ++i) {
    acc |= static_cast<uint64_t>(values[i]) << bits;
    bits += bit_width;
    while (bits >= 8) {
      out.push_back(static_cast<char>(acc & 0xff));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push_back(static_cast<char>(acc & 0xff));
}

void emit_literals(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  if (count == 0) return;
  size_t groups = (count + 7) / 8;
  put_varint((groups << 1) | 1, out);
  size_t full = count / 8 * 8;
  pack(values, full, bit_width, out);
  if (full < count) {
    uint32_t last[8] = {};
    for (size_t i = full; i < count; ++i) last[i - full] = values[i];
    pack(last, 8, bit_width, out);
  }
}

void emit_run(uint32_t value, size_t count, int bit_width, std::string& out) {
  put_varint(static_cast<uint64_t>(count) << 1, out);
  for (int b = 0; b < (bit_width + 7) / 8; ++b)
    out.push_back(static_cast<char>((value >> (8 * b)) & 0xff));
}

}  // namespace

namespace rle_detail {

bool read_varint_run_header(const uint8_t*& p, const uint8_t* end, uint64_t& header) {
  header = 0;
  for (int shift = 0;; shift += 7) {
    if (p == end || shift > 35) return false;
    uint8_t b = *p++;
    header |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
}

}  // namespace rle_detail

namespace {

// out[i] = the i-th W-bit value from p, one unaligned 8-byte load each (a value spans at most
// 7 + 32 bits); every load must lie before the end (the caller counted). W is a constant so the
// shifts and offsets of each group of 8 values are too.
template <int W>
void unpack_loads(const uint8_t* p, size_t n, uint32_t* out) {
  constexpr uint64_t mask = W == 32 ? 0xffffffffull : (1ull << W) - 1;
  size_t i = 0;
  if constexpr (W <= 8) {
    // Narrow values (levels, small dictionaries): a group of 8 is W bytes, one load for all 8
    // (value 8g's own load, so within the caller's count too).
    for (; i + 8 <= n; i += 8) {
      uint64_t word = 0;
      std::memcpy(&word, p + i / 8 * W, 8);
      for (size_t j = 0; j < 8; ++j) out[i + j] = static_cast<uint32_t>((word >> (j * W)) & mask);
    }
  }
  for (; i < n; ++i) {
    const size_t bit = i * W;
    uint64_t word = 0;
    std::memcpy(&word, p + (bit >> 3), 8);
    out[i] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
  }
}

using UnpackLoads = void (*)(const uint8_t*, size_t, uint32_t*);

template <size_t... W>
constexpr std::array<UnpackLoads, sizeof...(W)> unpackers(std::index_sequence<W...>) {
  return {&unpack_loads<static_cast<int>(W)>...};
}

// Index = bit width (0 unused).
constexpr auto k_unpackers = unpackers(std::make_index_sequence<33>());

}  // namespace

namespace {

// Byte b → 8 bytes, byte k = bit k of b (little-endian: byte k is bits 8k..8k+7 of the word).
constexpr std::array<uint64_t, 256> bits_as_bytes() {
  std::array<uint64_t, 256> table{};
  for (uint64_t b = 0; b < 256; ++b) {
    for (uint64_t k = 0; k < 8; ++k) table[b] |= ((b >> k) & 1) << (8 * k);
  }
  return table;
}

constexpr auto k_bits_as_bytes = bits_as_bytes();

#if defined(__x86_64__)
// 64 bits a step: the bits as a byte mask selecting ones (a masked move), counted by popcnt.
// Returns the bits done (a multiple of 64), `ones` added to.
__attribute__((target("avx512f,avx512bw,popcnt"))) size_t unpack_bits_to_bytes_avx512(
    const uint8_t* p, size_t n, uint8_t* out, size_t& ones) {
  const __m512i one = _mm512_set1_epi8(1);
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    uint64_t bits;
    std::memcpy(&bits, p + i / 8, 8);
    _mm512_storeu_si512(out + i, _mm512_maskz_mov_epi8(bits, one));
    ones += static_cast<size_t>(_mm_popcnt_u64(bits));
  }
  return i;
}
#endif

}  // namespace

size_t unpack_bits_to_bytes(const uint8_t* p, size_t n, uint8_t* out, SimdPath path) {
  size_t ones = 0;
#if defined(__x86_64__)
  if (path == SimdPath::fastest && cpu_has_avx512()) {
    const size_t done = unpack_bits_to_bytes_avx512(p, n, out, ones);
    p += done / 8;
    out += done;
    n -= done;
  }
#else
  (void)path;
#endif
  const size_t whole = n / 8;
  for (size_t i = 0; i < whole; ++i) {
    const uint64_t bytes = k_bits_as_bytes[p[i]];
    std::memcpy(out + 8 * i, &bytes, 8);
    // The ones counted as the sum of the 8 bytes (each 0 or 1) in the top byte of a product:
    // without -mpopcnt, std::popcount is a call into libgcc (1-2 % of a scan).
    ones += static_cast<size_t>((bytes * 0x0101010101010101ull) >> 56);
  }
  for (size_t k = 0; k < n % 8; ++k) {
    out[8 * whole + k] = (p[whole] >> k) & 1;
    ones += out[8 * whole + k];
  }
  return ones;
}

namespace {

#if defined(__x86_64__)
// decode_bit_levels' AVX-512 loop: a bit-packed run's bits 64 at a time as a byte mask (the last
// step's bits loaded by a masked load, never past the run), an RLE run's value as 64-byte stores.
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) BitLevels
decode_bit_levels_avx512(std::string_view bytes, size_t n, uint8_t* out) {
  BitLevels result;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  const __m512i one = _mm512_set1_epi8(1);
  size_t filled = 0;
  while (filled < n) {
    uint64_t header = 0;
    if (!rle_detail::read_run_header(p, end, header)) return {false, 0, 0};
    if (header & 1) {
      uint64_t available = static_cast<uint64_t>(end - p);
      uint64_t run_bytes = header >> 1;  // groups of 8 one-bit values: a byte each
      if (run_bytes > available) {
        // The last run may be cut short if it carries only padding (visit_rle_bit_packed).
        if (available * 8 < n - filled) return {false, 0, 0};
        run_bytes = available;
      }
      const size_t take = static_cast<size_t>(std::min<uint64_t>(run_bytes * 8, n - filled));
      uint8_t* to = out + filled;
      size_t i = 0;
      for (; i + 64 <= take; i += 64) {
        uint64_t bits;
        std::memcpy(&bits, p + i / 8, 8);
        _mm512_storeu_si512(to + i, _mm512_maskz_mov_epi8(bits, one));
        result.ones += static_cast<size_t>(_mm_popcnt_u64(bits));
      }
      if (i < take) {
        const size_t rest = take - i;  // 1..63 bits in (rest + 7) / 8 bytes of the run
        const auto load = static_cast<__mmask16>((1u << ((rest + 7) / 8)) - 1);
        const uint64_t bits =
            static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_maskz_loadu_epi8(load, p + i / 8))) &
            ((uint64_t{1} << rest) - 1);
        _mm512_storeu_si512(to + i, _mm512_maskz_mov_epi8(bits, one));
        result.ones += static_cast<size_t>(_mm_popcnt_u64(bits));
      }
      filled += take;
      p += run_bytes;
    } else {
      const uint64_t count = header >> 1;
      if (p == end || count == 0) return {false, 0, 0};  // no value; a run that never ends
      const uint8_t value = *p++;
      const size_t take = static_cast<size_t>(std::min<uint64_t>(count, n - filled));
      const __m512i fill = _mm512_set1_epi8(static_cast<char>(value));
      for (size_t i = 0; i < take; i += 64) _mm512_storeu_si512(out + filled + i, fill);
      result.highest = std::max<uint32_t>(result.highest, value);
      result.ones += value == 1 ? take : 0;
      filled += take;
    }
  }
  return result;
}
#endif

}  // namespace

BitLevels decode_bit_levels(std::string_view bytes, size_t n, uint8_t* out, SimdPath path) {
#if defined(__x86_64__)
  if (path == SimdPath::fastest && cpu_has_avx512()) return decode_bit_levels_avx512(bytes, n, out);
#endif
  BitLevels result;
  uint8_t* next = out;
  result.ok = visit_rle_bit_packed(
      bytes, 1, n,
      [&](uint32_t level, size_t count) {
        result.highest = std::max(result.highest, level);
        std::memset(next, static_cast<uint8_t>(level), count);
        next += count;
        result.ones += level == 1 ? count : 0;
        return true;
      },
      [&](const uint8_t* p, size_t count) {
        result.ones += unpack_bits_to_bytes(p, count, next, path);
        next += count;
        return true;
      });
  return result;
}

namespace {

#if defined(__x86_64__)
// Widths the permute loop takes: value j of a group starts at bit j * width, so at bit s < 8 of
// byte j * width / 8, and s + width bits must fit the 32-bit lane its 4 bytes are moved into.
constexpr int k_max_permute_width = 25;

// 16 values a step: a group of 16 is 2 * width bytes (so starts on a byte), loaded by a masked
// load (never past them); each lane gets its value's 4 bytes by a byte permute, then a shift by
// its bit offset and a mask. Returns the values done (a multiple of 16).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi"))) size_t unpack_permute_avx512(
    const uint8_t* p, size_t available, int bit_width, size_t n, uint32_t* out) {
  const auto width = static_cast<size_t>(bit_width);
  const size_t group_bytes = 2 * width;
  alignas(64) uint8_t bytes[64];
  alignas(64) uint32_t shifts[16];
  for (size_t j = 0; j < 16; ++j) {
    const size_t bit = j * width;
    for (size_t k = 0; k < 4; ++k) bytes[4 * j + k] = static_cast<uint8_t>(bit / 8 + k);
    shifts[j] = static_cast<uint32_t>(bit % 8);
  }
  const __m512i permute = _mm512_load_si512(bytes);
  const __m512i shift = _mm512_load_si512(shifts);
  const __m512i mask = _mm512_set1_epi32(static_cast<int>((1u << width) - 1));
  const __mmask64 load = group_bytes == 64 ? ~__mmask64{0} : (__mmask64{1} << group_bytes) - 1;
  const size_t groups = std::min(n / 16, available / group_bytes);
  // The maskz forms, all lanes set: GCC 12 warns that the unmasked ones read an uninitialised
  // register.
  constexpr __mmask64 all_bytes = ~__mmask64{0};
  constexpr __mmask16 all_lanes = 0xffff;
  for (size_t g = 0; g < groups; ++g) {
    const __m512i packed = _mm512_maskz_loadu_epi8(load, p + g * group_bytes);
    const __m512i lanes = _mm512_maskz_permutexvar_epi8(all_bytes, permute, packed);
    const __m512i values = _mm512_maskz_srlv_epi32(all_lanes, lanes, shift);
    _mm512_storeu_si512(out + 16 * g, _mm512_and_si512(values, mask));
  }
  return 16 * groups;
}
#endif

}  // namespace

// 16 at a time by byte permutes when the CPU has them; then while 8 bytes remain before `end`,
// values go through unpack_loads; the tail byte by byte.
void unpack_bits(const uint8_t* p, const uint8_t* end, int bit_width, size_t n, uint32_t* out,
                 SimdPath path) {
  const uint64_t mask = bit_width == 32 ? 0xffffffffull : (1ull << bit_width) - 1;
  if (bit_width == 0) {
    std::fill(out, out + n, 0u);
    return;
  }
#if defined(__x86_64__)
  if (path == SimdPath::fastest && bit_width <= k_max_permute_width && cpu_has_avx512_vbmi()) {
    const size_t done =
        unpack_permute_avx512(p, static_cast<size_t>(end - p), bit_width, n, out);
    p += done / 8 * static_cast<size_t>(bit_width);
    out += done;
    n -= done;
  }
#else
  (void)path;
#endif
  const auto width = static_cast<size_t>(bit_width);
  const size_t available = static_cast<size_t>(end - p);
  // Value i's load [i * width / 8, + 8) fits while i * width <= 8 * (available - 8) + 7.
  const size_t fast = available < 8 ? 0 : std::min(n, (8 * (available - 8) + 7) / width + 1);
  k_unpackers[width](p, fast, out);
  for (size_t i = fast; i < n; ++i) {
    const size_t bit = i * width;
    uint64_t word = 0;
    const size_t first = bit >> 3, last = std::min(available, (bit + width + 7) >> 3);
    for (size_t b = first; b < last; ++b) word |= static_cast<uint64_t>(p[b]) << (8 * (b - first));
    out[i] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
  }
}

void encode_rle_bit_packed(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  if (bit_width == 0) {
    // Every value is 0: one RLE run with no value bytes.
    if (count > 0) put_varint(static_cast<uint64_t>(count) << 1, out);
    return;
  }
  size_t literal_start = 0;
  size_t i = 0;
  while (i < count) {
    size_t run_end = i + 1;
    while (run_end < count && values[run_end] == values[i]) ++run_end;
    size_t run = run_end - i;
    if (run >= 8) {
      // Literals before a run must fill whole groups of 8: lend them the run's first values.
      size_t literal = i - literal_start;
      size_t lend = literal % 8 == 0 ? 0 : 8 - literal % 8;
      if (run - lend >= 8) {
        emit_literals(values + literal_start, literal + lend, bit_width, out);
        emit_run(values[i], run - lend, bit_width, out);
        literal_start = run_end;
      }
    }
    i = run_end;
  }
  emit_literals(values + literal_start, count - literal_start, bit_width, out);
}

bool decode_rle_bit_packed(std::string_view bytes, int bit_width, size_t count,
                           std::vector<uint32_t>& out) {
  out.resize(count);
  return decode_rle_bit_packed(bytes, bit_width, count, out.data());
}

bool decode_rle_bit_packed(std::string_view bytes, int bit_width, size_t count, uint32_t* out) {
  const uint8_t* end = reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size();
  uint32_t* next = out;
  return visit_rle_bit_packed(
      bytes, bit_width, count,
      [&](uint32_t value, size_t n) {
        std::fill(next, next + n, value);
        next += n;
        return true;
      },
      [&](const uint8_t* p, size_t n) {
        unpack_bits(p, end, bit_width, n, next);
        next += n;
        return true;
      });
}

std::optional<uint32_t> leading_run_value(std::string_view bytes, int bit_width, size_t count) {
  if (bit_width < 0 || bit_width > 32) return std::nullopt;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  uint64_t header = 0;
  if (!rle_detail::read_run_header(p, end, header)) return std::nullopt;
  const size_t value_bytes = static_cast<size_t>(bit_width + 7) / 8;
  if ((header & 1) || (header >> 1) < count || static_cast<size_t>(end - p) < value_bytes)
    return std::nullopt;
  uint32_t value = 0;
  for (size_t b = 0; b < value_bytes; ++b) value |= static_cast<uint32_t>(p[b]) << (8 * b);
  return value;
}

}  // namespace sl::parquet
