// Dictionary decoding: the dictionary page through the PLAIN decoder, indices gathered from it.
#include "parquet/dictionary_decoder.hpp"

#include <algorithm>
#include <cstring>

#include "common/byte_cursor.hpp"
#include "parquet/plain_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"

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

// out += dictionary[indices[0..n)] (indices checked), one typed loop per kind of value.
void append_dictionary_values(Column& out, const Column& dictionary, const uint32_t* indices,
                              size_t n) {
  auto gather = [&](auto& dst, const auto& src) {
    const size_t old = dst.size();
    dst.resize(old + n);
    for (size_t i = 0; i < n; ++i) dst[old + i] = src[indices[i]];
    out.length += n;
  };
  if (out.validity.empty()) {
    switch (out.type.id) {
      case TypeId::int32:
      case TypeId::date32:
        return gather(out.i32, dictionary.i32);
      case TypeId::int64:
      case TypeId::timestamp_us:
        return gather(out.i64, dictionary.i64);
      case TypeId::float32:
        return gather(out.f32, dictionary.f32);
      case TypeId::float64:
        return gather(out.f64, dictionary.f64);
      case TypeId::string:
      case TypeId::binary: {
        // Offsets first (they give the size), then the bytes copied into place.
        const uint32_t* dict_offsets = dictionary.offsets.data();
        const size_t first = out.offsets.size();
        reserve_more(out.offsets, n);
        out.offsets.resize(first + n);
        uint64_t end = out.offsets[first - 1];
        for (size_t i = 0; i < n; ++i) {
          end += dict_offsets[indices[i] + 1] - dict_offsets[indices[i]];
          out.offsets[first + i] = static_cast<uint32_t>(end);
        }
        const size_t old_size = out.bytes.size();
        reserve_more(out.bytes, end - old_size);
        out.bytes.resize(end);
        char* dst = out.bytes.data() + old_size;
        const char* src = dictionary.bytes.data();
        for (size_t i = 0; i < n; ++i) {
          const uint32_t from = dict_offsets[indices[i]];
          const uint32_t size = dict_offsets[indices[i] + 1] - from;
          std::memcpy(dst, src + from, size);
          dst += size;
        }
        out.length += n;
        return;
      }
      default:
        break;
    }
  }
  for (size_t i = 0; i < n; ++i) append_value(out, dictionary, indices[i]);
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
  if (!decode_rle_bit_packed(values.substr(1), bit_width, present, indices))
    return make_error(Errc::corrupt, "malformed dictionary indices");
  // The largest index first (a loop without exits, which the compiler vectorises).
  uint32_t highest = 0;
  for (size_t i = 0; i < present; ++i) highest = std::max(highest, indices[i]);
  if (highest >= dictionary.length) {
    return make_error(Errc::corrupt,
                      "dictionary index " + std::to_string(highest) + " out of range");
  }
  append_dictionary_values(out, dictionary, indices.data(), present);
  return {};
}

}  // namespace sl::parquet
