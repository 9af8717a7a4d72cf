// Hybrid RLE / bit-packed encoder.
#include "parquet/rle_bit_packed.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

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

// A run header (ULEB128 varint of at most 5 bytes) at p, which moves past it.
bool read_run_header(const uint8_t*& p, const uint8_t* end, uint64_t& header) {
  header = 0;
  for (int shift = 0;; shift += 7) {
    if (p == end || shift > 35) return false;
    uint8_t b = *p++;
    header |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
}

// out[0..n) = the first n values of `bit_width` bits packed LSB-first from `p` (the caller checked
// that they lie before `end`). Each value is read with one unaligned 8-byte load while 8 bytes
// remain before `end` (a value spans at most 7 + 32 bits); the tail goes byte by byte.
void unpack(const uint8_t* p, const uint8_t* end, int bit_width, uint64_t mask, size_t n,
            uint32_t* out) {
  if (bit_width == 0) {
    std::fill(out, out + n, 0u);
    return;
  }
  const auto width = static_cast<size_t>(bit_width);
  const size_t available = static_cast<size_t>(end - p);
  size_t i = 0;
  for (; i < n; ++i) {
    const size_t bit = i * width;
    if ((bit >> 3) + 8 > available) break;
    uint64_t word = 0;
    std::memcpy(&word, p + (bit >> 3), 8);
    out[i] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
  }
  for (; i < n; ++i) {
    const size_t bit = i * width;
    uint64_t word = 0;
    const size_t first = bit >> 3, last = std::min(available, (bit + width + 7) >> 3);
    for (size_t b = first; b < last; ++b) word |= static_cast<uint64_t>(p[b]) << (8 * (b - first));
    out[i] = static_cast<uint32_t>((word >> (bit & 7)) & mask);
  }
}

}  // namespace

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
  if (bit_width < 0 || bit_width > 32) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  const uint64_t mask = bit_width == 32 ? 0xffffffffull : (1ull << bit_width) - 1;
  const size_t value_bytes = static_cast<size_t>(bit_width + 7) / 8;
  size_t filled = 0;
  while (filled < count) {
    uint64_t header = 0;
    if (!read_run_header(p, end, header)) return false;
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
      unpack(p, end, bit_width, mask, take, out.data() + filled);
      filled += take;
      p += bytes_needed;
    } else {
      uint64_t run = header >> 1;
      if (static_cast<size_t>(end - p) < value_bytes) return false;
      uint32_t value = 0;
      for (size_t b = 0; b < value_bytes; ++b) value |= static_cast<uint32_t>(p[b]) << (8 * b);
      p += value_bytes;
      if (run == 0) return false;  // a zero-length run would never end the loop
      size_t n = static_cast<size_t>(std::min<uint64_t>(run, count - filled));
      std::fill(out.begin() + static_cast<long>(filled),
                out.begin() + static_cast<long>(filled + n), value);
      filled += n;
    }
  }
  return true;
}

std::optional<uint32_t> leading_run_value(std::string_view bytes, int bit_width, size_t count) {
  if (bit_width < 0 || bit_width > 32) return std::nullopt;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  uint64_t header = 0;
  if (!read_run_header(p, end, header)) return std::nullopt;
  const size_t value_bytes = static_cast<size_t>(bit_width + 7) / 8;
  if ((header & 1) || (header >> 1) < count || static_cast<size_t>(end - p) < value_bytes)
    return std::nullopt;
  uint32_t value = 0;
  for (size_t b = 0; b < value_bytes; ++b) value |= static_cast<uint32_t>(p[b]) << (8 * b);
  return value;
}

}  // namespace sl::parquet
