// Dictionary decoding: the dictionary page through the PLAIN decoder, indices gathered from it.
#include "parquet/dictionary_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "common/byte_cursor.hpp"
#include "parquet/plain_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"
#include "parquet/slot_spread.hpp"
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

// A page's values spread over its slots a slice at a time, while the slice is in cache: values
// are appended for one slice of slots at a time (feed), and a slice that has all its values is
// spread over its slots (spread_tail). Gathered whole and spread afterwards, a page went through
// memory twice: a page of 15-bit indices is ~560,000 values, 4.5 MB of doubles.
class SliceSpread {
 public:
  SliceSpread(Column& column, const PageSlots& slots)
      : column_(column), first_(column.length), slots_(slots) {
    start_slice();
    spread_full_slices();
  }

  // Offers the next `count` values: append(k, m) appends the offer's values [k, k + m).
  template <class Append>
  void feed(size_t count, Append&& append) {
    for (size_t done = 0; done < count;) {
      const size_t m = std::min(count - done, wanted_);
      append(done, m);
      done += m;
      wanted_ -= m;
      spread_full_slices();
    }
  }

 private:
  static constexpr size_t k_slice = 4096;  // slots: 32 KB of 8-byte values

  void start_slice() {
    length_ = std::min(k_slice, slots_.count - offset_);
    const uint8_t* valid = slots_.valid + offset_;
    size_t present = 0;
    for (size_t i = 0; i < length_; ++i) present += valid[i];  // vectorised: 0 or 1 each
    wanted_ = present;
  }

  // The current slice, and those after it without a value, once they have their values.
  void spread_full_slices() {
    while (wanted_ == 0 && offset_ < slots_.count) {
      spread_tail(column_, first_ + offset_, slots_.valid + offset_, length_);
      offset_ += length_;
      if (offset_ < slots_.count) start_slice();
    }
  }

  Column& column_;
  const size_t first_;  // the page's first slot
  const PageSlots slots_;
  size_t offset_ = 0;  // the current slice's first slot in the page
  size_t length_ = 0;  // its slots
  size_t wanted_ = 0;  // the values it still waits for
};

// The types gather_numbers handles.
bool gathers_numbers(TypeId id) {
  switch (id) {
    case TypeId::int32:
    case TypeId::date32:
    case TypeId::int64:
    case TypeId::timestamp_us:
    case TypeId::float32:
    case TypeId::float64:
      return true;
    default:
      return false;
  }
}

// Numbers: the indices' runs straight into `dst` (grown by `present`), never stored: an RLE
// run fills its value, bit-packed values are unpacked a block at a time into a small buffer,
// checked by their maximum and gathered. Appended from a range (values_at.hpp), so without
// zeroing the room first, as a resize did: ~2 % of a scan of nullable columns. False
// on malformed indices; `bad_index` set (and false) for an index outside the dictionary.
// With `spread`, the values go over the page's slots as they come (dst grows by the slots).
template <class T>
bool gather_numbers(std::string_view runs, int bit_width, size_t present, const std::vector<T>& dict,
                    std::vector<T>& dst, std::optional<uint32_t>& bad_index,
                    SliceSpread* spread) {
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
        if (spread == nullptr) {
          dst.insert(dst.end(), n, values[index]);
        } else {
          spread->feed(n, [&](size_t, size_t m) { dst.insert(dst.end(), m, values[index]); });
        }
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
          if (spread == nullptr) {
            append_values_at(dst, GatheredValueAt<T>{values, block}, m);
          } else {
            spread->feed(m, [&](size_t k, size_t c) {
              append_values_at(dst, GatheredValueAt<T>{values, block + k}, c);
            });
          }
        }
        return true;
      });
  // Runs that end early leave the rest zero, as before (the caller reports them).
  if (spread == nullptr && dst.size() != old + present) dst.resize(old + present);
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
                                 std::vector<uint32_t>& indices, Column& out,
                                 const PageSlots* slots) {
  if (present == 0) return {};
  if (values.empty()) return make_error(Errc::corrupt, "missing dictionary indices");
  int bit_width = static_cast<uint8_t>(values[0]);
  const std::string_view runs = values.substr(1);
  auto out_of_range = [](uint32_t index) {
    return make_error(Errc::corrupt, "dictionary index " + std::to_string(index) + " out of range");
  };
  if (out.validity.empty() && gathers_numbers(out.type.id)) {
    std::optional<uint32_t> bad;
    bool ok = true;
    std::optional<SliceSpread> spread;
    if (slots != nullptr) spread.emplace(out, *slots);
    SliceSpread* spreading = spread ? &*spread : nullptr;
    switch (out.type.id) {
      case TypeId::int32:
      case TypeId::date32:
        ok = gather_numbers(runs, bit_width, present, dictionary.i32, out.i32, bad, spreading);
        break;
      case TypeId::int64:
      case TypeId::timestamp_us:
        ok = gather_numbers(runs, bit_width, present, dictionary.i64, out.i64, bad, spreading);
        break;
      case TypeId::float32:
        ok = gather_numbers(runs, bit_width, present, dictionary.f32, out.f32, bad, spreading);
        break;
      case TypeId::float64:
        ok = gather_numbers(runs, bit_width, present, dictionary.f64, out.f64, bad, spreading);
        break;
      default:
        break;  // not a gathered type (gathers_numbers)
    }
    if (bad) return out_of_range(*bad);
    if (!ok) return make_error(Errc::corrupt, "malformed dictionary indices");
    if (!spread) out.length += present;  // spread_tail set the length of what it spread
    return {};
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
