// Dictionary decoding: the dictionary page through the PLAIN decoder, indices gathered from it.
#include "parquet/dictionary_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "common/byte_cursor.hpp"
#include "parquet/plain_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"
#include "parquet/values_at.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::DataType;
using columnar::is_wide_decimal;
using columnar::TypeId;

namespace {

// Appends src[i] (same logical type, primitive) to dst.
void append_value(Column& dst, const Column& src, size_t i) {
  switch (dst.type.id) {
    case TypeId::boolean:
      dst.append_bool(src.bools[i] != 0);
      break;
    case TypeId::int32:
    case TypeId::date32:
      dst.append_i32(src.i32[i]);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      dst.append_i64(src.i64[i]);
      break;
    case TypeId::decimal:
      if (is_wide_decimal(dst.type)) {
        dst.append_i128(src.i128[i]);
      } else {
        dst.append_i64(src.i64[i]);
      }
      break;
    case TypeId::float32:
      dst.append_f32(src.f32[i]);
      break;
    case TypeId::float64:
      dst.append_f64(src.f64[i]);
      break;
    case TypeId::string:
    case TypeId::binary:
      dst.append_string(src.string_at(i));
      break;
    case TypeId::struct_:
    case TypeId::list:
    case TypeId::map:
      break;  // leaves are never nested
  }
}

// out += dictionary[indices[0..n)] for the values without a fixed-width gather (booleans,
// decimals): value by value.
void append_dictionary_values(Column& out, const Column& dictionary, const uint32_t* indices,
                              size_t n) {
  for (size_t i = 0; i < n; ++i) append_value(out, dictionary, indices[i]);
}

// Numbers: the indices' runs straight into `dst` (grown by `present`), never stored: an RLE
// run fills its value, bit-packed values are unpacked a block at a time into a small buffer,
// checked by their maximum and gathered. Appended from a range (values_at.hpp), so without
// zeroing the room first, as a resize did: ~2 % of a scan of nullable columns. False
// on malformed indices; `bad_index` set (and false) for an index outside the dictionary.
template <class T>
bool gather_numbers(std::string_view runs, int bit_width, size_t present, const std::vector<T>& dict,
                    std::vector<T>& dst, std::optional<uint32_t>& bad_index) {
  const size_t old = dst.size();
  reserve_more(dst, present);
  const T* values = dict.data();
  const size_t size = dict.size();
  const uint8_t* end = reinterpret_cast<const uint8_t*>(runs.data()) + runs.size();
  // A multiple of 8 values: each block after the first starts on a byte.
  constexpr size_t k_block = 1024;
  uint32_t block[k_block];
  const bool ok = visit_rle_bit_packed(
      runs, bit_width, present,
      [&](uint32_t index, size_t n) {
        if (index >= size) {
          bad_index = index;
          return false;
        }
        dst.insert(dst.end(), n, values[index]);
        return true;
      },
      [&](const uint8_t* p, size_t n) {
        for (size_t done = 0; done < n; done += k_block) {
          const size_t m = std::min(k_block, n - done);
          unpack_bits(p + done / 8 * static_cast<size_t>(bit_width), end, bit_width, m, block);
          // The largest index first (a loop without exits, which the compiler vectorises).
          uint32_t highest = 0;
          for (size_t i = 0; i < m; ++i) highest = std::max(highest, block[i]);
          if (highest >= size) {
            bad_index = highest;
            return false;
          }
          append_values_at(dst, GatheredValueAt<T>{values, block}, m);
        }
        return true;
      });
  // Runs that end early leave the rest zero, as before (the caller reports them).
  if (dst.size() != old + present) dst.resize(old + present);
  return ok;
}

// Strings: offsets first (they give the size), then the bytes copied into place; values of at
// most 16 bytes as one fixed 16-byte move (most strings are short: a call to memcpy per value
// cost more than the copy), which needs 16 bytes readable from the source and writable at the
// destination.
void gather_strings(Column& out, const Column& dictionary, const uint32_t* indices, size_t n) {
  const uint32_t* dict_offsets = dictionary.offsets.data();
  const size_t first = out.offsets.size();
  reserve_more(out.offsets, n);
  out.offsets.resize(first + n);
  uint64_t end = out.offsets[first - 1];
  for (size_t i = 0; i < n; ++i) {
    end += dict_offsets[indices[i] + 1] - dict_offsets[indices[i]];
    out.offsets[first + i] = static_cast<uint32_t>(end);
  }
  constexpr size_t k_short = 16;
  const size_t old_size = out.bytes.size();
  reserve_more(out.bytes, end + k_short - old_size);
  out.bytes.resize(end + k_short);
  char* dst = out.bytes.data() + old_size;
  const char* src = dictionary.bytes.data();
  const size_t src_size = dictionary.bytes.size();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t from = dict_offsets[indices[i]];
    const uint32_t size = dict_offsets[indices[i] + 1] - from;
    if (size <= k_short && from + k_short <= src_size) {
      std::memcpy(dst, src + from, k_short);
    } else {
      std::memcpy(dst, src + from, size);
    }
    dst += size;
  }
  out.bytes.resize(end);
  out.length += n;
}

}  // namespace

Result<Column> decode_dictionary_page(std::string_view bytes, size_t count, const DataType& type,
                                      const Conversion& conv) {
  Column dictionary(type);
  ByteCursor in(bytes);
  if (auto st = decode_plain(in, count, conv, dictionary); !st) {
    return make_error(Errc::corrupt, "dictionary: " + st.error().message);
  }
  return dictionary;
}

Status decode_dictionary_indices(std::string_view values, size_t present, const Column& dictionary,
                                 std::vector<uint32_t>& indices, Column& out) {
  if (present == 0) return {};
  if (values.empty()) return make_error(Errc::corrupt, "missing dictionary indices");
  int bit_width = static_cast<uint8_t>(values[0]);
  const std::string_view runs = values.substr(1);
  auto out_of_range = [](uint32_t index) {
    return make_error(Errc::corrupt, "dictionary index " + std::to_string(index) + " out of range");
  };
  if (out.validity.empty()) {
    std::optional<uint32_t> bad;
    bool ok = true, gathered = true;
    switch (out.type.id) {
      case TypeId::int32:
      case TypeId::date32:
        ok = gather_numbers(runs, bit_width, present, dictionary.i32, out.i32, bad);
        break;
      case TypeId::int64:
      case TypeId::timestamp_us:
        ok = gather_numbers(runs, bit_width, present, dictionary.i64, out.i64, bad);
        break;
      case TypeId::float32:
        ok = gather_numbers(runs, bit_width, present, dictionary.f32, out.f32, bad);
        break;
      case TypeId::float64:
        ok = gather_numbers(runs, bit_width, present, dictionary.f64, out.f64, bad);
        break;
      default:
        gathered = false;
    }
    if (gathered) {
      if (bad) return out_of_range(*bad);
      if (!ok) return make_error(Errc::corrupt, "malformed dictionary indices");
      out.length += present;
      return {};
    }
  }
  // The scratch only grows: resized to each page's count, it zeroed every page's growth.
  if (indices.size() < present) indices.resize(present);
  if (!decode_rle_bit_packed(runs, bit_width, present, indices.data()))
    return make_error(Errc::corrupt, "malformed dictionary indices");
  // The largest index first (a loop without exits, which the compiler vectorises).
  uint32_t highest = 0;
  for (size_t i = 0; i < present; ++i) highest = std::max(highest, indices[i]);
  if (highest >= dictionary.length) return out_of_range(highest);
  if (out.validity.empty() && (out.type.id == TypeId::string || out.type.id == TypeId::binary)) {
    gather_strings(out, dictionary, indices.data(), present);
  } else {
    append_dictionary_values(out, dictionary, indices.data(), present);
  }
  return {};
}

}  // namespace sl::parquet
