// Snappy block decompression: bounds checked per element, short copies as fixed-size moves.
#include "parquet/snappy_decoder.hpp"

#include <cstdint>
#include <cstring>

namespace sl::parquet {

namespace {

// Fixed sizes: the compiler emits one unaligned load and store instead of a call to memcpy.
inline void copy8(char* dst, const char* src) {
  std::memcpy(dst, src, 8);
}
inline void copy16(char* dst, const char* src) {
  std::memcpy(dst, src, 16);
}

inline uint32_t load_le(const uint8_t* p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

// out[0..n) = the n bytes starting `offset` back (1 <= offset). `room` is the output space left
// from `op`: the wide moves below may write up to 15 bytes past n, so they need that slack, and
// each reads only bytes already produced (a chunk of w bytes needs offset >= w).
inline void copy_back(char* op, size_t offset, size_t n, size_t room) {
  const char* src = op - offset;
  if (offset >= 16 && room >= n + 15) {
    for (size_t i = 0; i < n; i += 16) copy16(op + i, src + i);
  } else if (offset >= 8 && room >= n + 7) {
    for (size_t i = 0; i < n; i += 8) copy8(op + i, src + i);
  } else if (room >= n + 7) {
    // A short period (a repeated byte, pair...): its first `period` bytes one at a time, then
    // 8-byte moves from `period` back, a multiple of the offset of at least 8 bytes.
    const size_t period = offset * ((8 + offset - 1) / offset);
    const size_t head = n < period ? n : period;
    for (size_t i = 0; i < head; ++i) op[i] = src[i];
    for (size_t i = period; i < n; i += 8) copy8(op + i, op + i - period);
  } else {
    // The last bytes of the output: one at a time, forwards, so that bytes produced by this copy
    // are copied again.
    for (size_t i = 0; i < n; ++i) op[i] = src[i];
  }
}

}  // namespace

bool snappy_decompress(std::string_view input, char* out, size_t size) {
  const auto* ip = reinterpret_cast<const uint8_t*>(input.data());
  const uint8_t* const end = ip + input.size();
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (ip == end || shift > 28) return false;
    const uint8_t b = *ip++;
    length |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (length != size) return false;

  char* op = out;
  char* const out_end = out + size;
  while (ip < end) {
    const uint8_t tag = *ip++;
    const size_t room = static_cast<size_t>(out_end - op);
    if ((tag & 3) == 0) {
      size_t n = (tag >> 2) + 1u;
      if (n > 60) {
        const int bytes = static_cast<int>(n - 60);  // the length-1 follows in 1..4 bytes
        if (end - ip < bytes) return false;
        n = static_cast<size_t>(load_le(ip, bytes)) + 1;
        ip += bytes;
      }
      const auto available = static_cast<size_t>(end - ip);
      if (n <= 64 && available >= n + 15 && room >= n + 15) {
        for (size_t i = 0; i < n; i += 16) copy16(op + i, reinterpret_cast<const char*>(ip + i));
      } else {
        if (n > available || n > room) return false;
        std::memcpy(op, ip, n);
      }
      ip += n;
      op += n;
      continue;
    }
    size_t n = 0, offset = 0;
    switch (tag & 3) {
      case 1:
        if (ip == end) return false;
        n = ((tag >> 2) & 7) + 4u;
        offset = (static_cast<size_t>(tag >> 5) << 8) | *ip++;
        break;
      case 2:
        if (end - ip < 2) return false;
        n = (tag >> 2) + 1u;
        offset = load_le(ip, 2);
        ip += 2;
        break;
      default:
        if (end - ip < 4) return false;
        n = (tag >> 2) + 1u;
        offset = load_le(ip, 4);
        ip += 4;
        break;
    }
    if (offset == 0 || offset > static_cast<size_t>(op - out) || n > room) return false;
    copy_back(op, offset, n, room);
    op += n;
  }
  return op == out_end;
}

}  // namespace sl::parquet
