// PLAIN decoding: bulk copies of numbers, then value by value with the logical conversions.
#include "parquet/plain_decoder.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>

#include "parquet/rle_bit_packed.hpp"
#include "parquet/values_at.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::is_wide_decimal;
using columnar::TypeId;

namespace {

// A big-endian two's-complement integer (a DECIMAL stored in a byte array) of at most 16 bytes;
// longer inputs keep their low 16 bytes (the schema's precision bounds the value).
__int128 big_endian_signed(std::string_view bytes) {
  using U = unsigned __int128;
  U v = (!bytes.empty() && (static_cast<uint8_t>(bytes[0]) & 0x80)) ? ~U{0} : U{0};
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return static_cast<__int128>(v);
}

// An IEEE 754 binary16 value widened to binary32 (exact: every half is a float).
float half_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  uint32_t mantissa = half & 0x3ffu;
  uint32_t bits = 0;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // infinity, NaN (payload kept)
  } else if (exponent != 0) {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;  // ±0
  } else {
    // Subnormal half: normalise the mantissa; each shift lowers the float exponent by one.
    int32_t e = 127 - 15 + 1;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (static_cast<uint32_t>(e) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float out = 0;
  std::memcpy(&out, &bits, 4);
  return out;
}

// Appends an unscaled decimal value read from bytes or an integer, in the column's storage.
void append_unscaled(Column& out, __int128 v) {
  if (is_wide_decimal(out.type)) {
    out.append_i128(v);
  } else {
    out.append_i64(static_cast<int64_t>(v));
  }
}

// Appends `count` little-endian values of T from the cursor to `dst` (PLAIN of a number is its
// bytes back to back). Only for the present-values column, which has no validity.
template <class T>
void append_bulk(ByteCursor& in, size_t count, std::vector<T>& dst, Column& out) {
  auto bytes = in.bytes(count * sizeof(T), "PLAIN values");
  if (!in.ok()) return;
  const auto* first = reinterpret_cast<const char*>(bytes.data());
  append_values_at(dst, PlainValueAt<T>{first}, count);
  out.length += count;
}

// PLAIN strings ([u32 length][bytes]...) appended to the column's bytes and offsets in one
// bounds-checked pass. The bytes go as fixed 16-byte moves into room made by resize (zeroed) a
// slice at a time: most strings are short, and appending them one by one (a capacity check, a
// memcpy call and a terminator each) cost ~5 % of a scan; room for the whole page at once was
// zeroed by `rep stosb`, which left it out of cache for the moves. A 16-byte move reads and
// writes up to 15 bytes past the value: it is used only while that many page bytes follow it,
// and the room keeps 16 bytes of slack. False (with the cursor failed) on a truncated value.
bool append_plain_strings(ByteCursor& in, size_t count, Column& out) {
  constexpr size_t k_move = 16;
  constexpr size_t k_slice = 16 << 10;  // zeroed while in L1/L2, below a page
  auto rest = in.rest();
  const char* p = reinterpret_cast<const char*>(rest.data());
  size_t left = rest.size();
  // Offsets and bytes written through local pointers: a byte store may alias anything, so
  // through push_back and the vector's members each value reloaded them.
  const size_t old_offsets = out.offsets.size();
  reserve_more(out.offsets, count);
  out.offsets.resize(old_offsets + count);
  uint32_t* const offsets = out.offsets.data() + old_offsets;
  size_t end = out.bytes.size();
  // At most the rest of the page: one allocation, not a doubling series; the resizes below stay
  // within it, so `base` holds.
  reserve_more(out.bytes, left + k_move + k_slice);
  char* const base = out.bytes.data();
  size_t room = end;  // out.bytes.size()
  for (size_t i = 0; i < count; ++i) {
    uint32_t n = 0;
    if (left < 4 || (std::memcpy(&n, p, 4), n > left - 4)) {
      out.offsets.resize(old_offsets + i);
      out.bytes.resize(end);
      in.skip(rest.size() - left);
      in.fail(left < 4 ? "truncated BYTE_ARRAY length" : "truncated BYTE_ARRAY value");
      return false;
    }
    if (end + n + k_move > room) {
      room = std::min(end + n + k_move + k_slice, out.bytes.capacity());
      out.bytes.resize(room);
    }
    const char* src = p + 4;
    char* dst = base + end;
    if (left - 4 - n >= k_move) {
      for (size_t k = 0; k < n; k += k_move) std::memcpy(dst + k, src + k, k_move);
    } else {
      std::memcpy(dst, src, n);
    }
    end += n;
    offsets[i] = static_cast<uint32_t>(end);
    p += 4 + n;
    left -= 4 + size_t{n};
  }
  out.bytes.resize(end);
  in.skip(rest.size() - left);
  return true;
}

// decode_plain, value by value (conversions, byte arrays, booleans).
Status decode_plain_values(ByteCursor& in, size_t count, const Conversion& conv, Column& out) {
  switch (conv.physical) {
    case Type::boolean: {
      auto bytes = in.bytes((count + 7) / 8, "PLAIN booleans");
      if (!in.ok()) break;
      if (out.validity.empty()) {
        const size_t old = out.bools.size();
        out.bools.resize(old + count);
        // The bits as bytes 64 at a time (rle_bit_packed.hpp; a bit per step cost ~2 % of a scan).
        unpack_bits_to_bytes(reinterpret_cast<const uint8_t*>(bytes.data()), count,
                             out.bools.data() + old);
        out.length += count;
      } else {
        for (size_t i = 0; i < count; ++i)
          out.append_bool(((static_cast<uint8_t>(bytes[i / 8]) >> (i % 8)) & 1) != 0);
      }
      break;
    }
    case Type::int32:
      if (!in.has(count * 4, "PLAIN INT32 values")) break;
      for (size_t i = 0; i < count; ++i) {
        int32_t v = in.fixed_le<int32_t>("INT32");
        if (out.type.id == TypeId::decimal)
          append_unscaled(out, v);
        else if (out.type.id == TypeId::int64)  // UINT32: the 32 bits are unsigned
          out.append_i64(static_cast<int64_t>(static_cast<uint32_t>(v)));
        else
          out.append_i32(v);
      }
      break;
    case Type::int64:
      if (!in.has(count * 8, "PLAIN INT64 values")) break;
      for (size_t i = 0; i < count; ++i) {
        int64_t v = in.fixed_le<int64_t>("INT64");
        if (out.type.id == TypeId::timestamp_us) {
          if (__builtin_mul_overflow(v, conv.timestamp_factor, &v)) {
            return make_error(Errc::corrupt, "timestamp out of the representable range");
          }
          v /= conv.timestamp_divisor;
        }
        if (out.type.id == TypeId::decimal) {
          append_unscaled(out, v);
        } else {
          out.append_i64(v);
        }
      }
      break;
    case Type::int96:
      if (!in.has(count * 12, "PLAIN INT96 values")) break;
      for (size_t i = 0; i < count; ++i) {
        // 8 bytes nanoseconds of the day, then 4 bytes Julian day (epoch = JD 2440588).
        int64_t nanos = in.fixed_le<int64_t>("INT96 nanos");
        int64_t julian = in.fixed_le<int32_t>("INT96 day");
        int64_t day_us = 0, us = 0;
        if (__builtin_mul_overflow(julian - 2440588, 86400000000LL, &day_us) ||
            __builtin_add_overflow(day_us, nanos / 1000, &us)) {
          return make_error(Errc::corrupt, "INT96 timestamp out of the representable range");
        }
        out.append_i64(us);
      }
      break;
    case Type::float_:
      if (!in.has(count * 4, "PLAIN FLOAT values")) break;
      for (size_t i = 0; i < count; ++i) out.append_f32(in.fixed_le<float>("FLOAT"));
      break;
    case Type::double_:
      if (!in.has(count * 8, "PLAIN DOUBLE values")) break;
      for (size_t i = 0; i < count; ++i) out.append_f64(in.fixed_le<double>("DOUBLE"));
      break;
    case Type::byte_array:
      if (out.type.id != TypeId::decimal && out.validity.empty()) {
        if (append_plain_strings(in, count, out)) out.length += count;
        break;
      }
      for (size_t i = 0; i < count && in.ok(); ++i) {
        uint32_t n = in.fixed_le<uint32_t>("BYTE_ARRAY length");
        auto v = in.string_view(n, "BYTE_ARRAY value");
        if (!in.ok()) break;
        if (out.type.id == TypeId::decimal)
          append_unscaled(out, big_endian_signed(v));
        else
          out.append_string(v);
      }
      break;
    case Type::fixed_len_byte_array: {
      size_t width = static_cast<size_t>(conv.type_length);
      if (!in.has(count * width, "PLAIN FIXED_LEN_BYTE_ARRAY values")) break;
      for (size_t i = 0; i < count; ++i) {
        auto v = in.string_view(width, "FIXED_LEN_BYTE_ARRAY");
        if (conv.float16)
          out.append_f32(half_to_float(static_cast<uint16_t>(static_cast<uint8_t>(v[0]) |
                                                             (static_cast<uint8_t>(v[1]) << 8))));
        else if (out.type.id == TypeId::decimal)
          append_unscaled(out, big_endian_signed(v));
        else
          out.append_string(v);
      }
      break;
    }
  }
  if (!in.ok()) return make_error(Errc::corrupt, in.error());
  return {};
}

}  // namespace

size_t plain_bulk_width(const Conversion& conv, const Column& out) {
  static_assert(std::endian::native == std::endian::little, "PLAIN bulk copies assume it");
  if (!out.validity.empty()) return 0;
  switch (conv.physical) {
    case Type::int32:
      return out.type.id != TypeId::decimal && out.type.id != TypeId::int64 ? 4 : 0;
    case Type::int64:
      return out.type.id == TypeId::int64 ||
                     (out.type.id == TypeId::timestamp_us && conv.timestamp_factor == 1 &&
                      conv.timestamp_divisor == 1)
                 ? 8
                 : 0;
    case Type::float_:
      return 4;
    case Type::double_:
      return 8;
    default:
      return 0;
  }
}

Status decode_plain(ByteCursor& in, size_t count, const Conversion& conv, Column& out) {
  if (plain_bulk_width(conv, out) == 0) return decode_plain_values(in, count, conv, out);
  switch (conv.physical) {
    case Type::int32:
      append_bulk(in, count, out.i32, out);
      break;
    case Type::int64:
      append_bulk(in, count, out.i64, out);
      break;
    case Type::float_:
      append_bulk(in, count, out.f32, out);
      break;
    default:
      append_bulk(in, count, out.f64, out);
  }
  if (!in.ok()) return make_error(Errc::corrupt, in.error());
  return {};
}

Result<Column> decode_statistic(std::string_view bytes, const LeafInfo& leaf) {
  Column out(leaf.field.type);
  std::string prefixed;
  if (leaf.conversion.physical == Type::byte_array) {
    auto n = static_cast<uint32_t>(bytes.size());
    prefixed.append(reinterpret_cast<const char*>(&n), 4);
    prefixed.append(bytes);
    bytes = prefixed;
  } else if (leaf.conversion.physical == Type::fixed_len_byte_array &&
             bytes.size() != static_cast<size_t>(leaf.conversion.type_length)) {
    return make_error(Errc::corrupt, "statistic of " + std::to_string(bytes.size()) +
                                         " bytes for a FIXED_LEN_BYTE_ARRAY(" +
                                         std::to_string(leaf.conversion.type_length) + ")");
  }
  ByteCursor in(bytes);
  SL_TRY(decode_plain(in, 1, leaf.conversion, out));
  return out;
}

}  // namespace sl::parquet
