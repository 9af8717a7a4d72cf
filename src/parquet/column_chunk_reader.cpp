// Column chunk reading: page walking, level decoding and checks, value decoding.
#include "parquet/column_chunk_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "common/byte_cursor.hpp"
#include "parquet/byte_stream_split.hpp"
#include "parquet/compression.hpp"
#include "parquet/delta_encodings.hpp"
#include "parquet/rle_bit_packed.hpp"

namespace sl::parquet {

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

Status decode_plain_values(ByteCursor& in, size_t count, const Conversion& conv, Column& out);

// Room for `extra` more elements, growing geometrically: an exact reserve per page would
// reallocate (and copy) the whole column on every page.
template <class Container>
void reserve_more(Container& c, size_t extra) {
  if (c.capacity() - c.size() < extra) c.reserve(std::max(c.size() + extra, 2 * c.capacity()));
}

// Appends `count` little-endian values of T from the cursor to `dst` with one copy (PLAIN of a
// number is its bytes back to back). Only for the present-values column, which has no validity.
template <class T>
void append_bulk(ByteCursor& in, size_t count, std::vector<T>& dst, Column& out) {
  if (count == 0) return;  // dst may be empty: memcpy to its null data() is undefined even for 0
  auto bytes = in.bytes(count * sizeof(T), "PLAIN values");
  if (!in.ok()) return;
  const size_t old = dst.size();
  dst.resize(old + count);
  std::memcpy(dst.data() + old, bytes.data(), count * sizeof(T));
  out.length += count;
}

// Decodes `count` PLAIN values of the physical type into `out` (logical type).
Status decode_plain(ByteCursor& in, size_t count, const Conversion& conv, Column& out) {
  static_assert(std::endian::native == std::endian::little, "PLAIN bulk copies assume it");
  const bool bulk = out.validity.empty();
  if (bulk && conv.physical == Type::int32 && out.type.id != TypeId::decimal &&
      out.type.id != TypeId::int64) {
    append_bulk(in, count, out.i32, out);
  } else if (bulk && conv.physical == Type::int64 &&
             (out.type.id == TypeId::int64 ||
              (out.type.id == TypeId::timestamp_us && conv.timestamp_factor == 1 &&
               conv.timestamp_divisor == 1))) {
    append_bulk(in, count, out.i64, out);
  } else if (bulk && conv.physical == Type::float_) {
    append_bulk(in, count, out.f32, out);
  } else if (bulk && conv.physical == Type::double_) {
    append_bulk(in, count, out.f64, out);
  } else {
    return decode_plain_values(in, count, conv, out);
  }
  if (!in.ok()) return make_error(Errc::corrupt, in.error());
  return {};
}

// decode_plain, value by value (conversions, byte arrays, booleans).
Status decode_plain_values(ByteCursor& in, size_t count, const Conversion& conv, Column& out) {
  switch (conv.physical) {
    case Type::boolean: {
      auto bytes = in.bytes((count + 7) / 8, "PLAIN booleans");
      if (!in.ok()) break;
      auto bit = [&](size_t i) { return (static_cast<uint8_t>(bytes[i / 8]) >> (i % 8)) & 1; };
      if (out.validity.empty()) {
        const size_t old = out.bools.size();
        out.bools.resize(old + count);
        for (size_t i = 0; i < count; ++i) out.bools[old + i] = static_cast<uint8_t>(bit(i));
        out.length += count;
      } else {
        for (size_t i = 0; i < count; ++i) out.append_bool(bit(i) != 0);
      }
      break;
    }
    case Type::int32:
      if (!in.has(count * 4, "PLAIN INT32 values")) break;
      for (size_t i = 0; i < count; ++i) {
        int32_t v = in.fixed_le<int32_t>("INT32");
        if (out.type.id == TypeId::decimal)
          append_unscaled(out, v);
        else if (out.type.id == TypeId::int64)
          out.append_i64(v);
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
      // The values take at most the rest of the page: one allocation, not a doubling series.
      if (out.type.id != TypeId::decimal && out.validity.empty()) {
        // Strings: one pass over [u32 length][bytes]..., bounds-checked, straight into the
        // column's bytes and offsets.
        reserve_more(out.bytes, in.remaining());
        reserve_more(out.offsets, count);
        auto rest = in.rest();
        const char* p = reinterpret_cast<const char*>(rest.data());
        size_t left = rest.size();
        for (size_t i = 0; i < count; ++i) {
          uint32_t n = 0;
          if (left < 4 || (std::memcpy(&n, p, 4), n > left - 4)) {
            in.skip(rest.size() - left);
            in.fail(left < 4 ? "truncated BYTE_ARRAY length" : "truncated BYTE_ARRAY value");
            break;
          }
          out.bytes.append(p + 4, n);
          out.offsets.push_back(static_cast<uint32_t>(out.bytes.size()));
          p += 4 + n;
          left -= 4 + size_t{n};
        }
        if (!in.ok()) break;
        in.skip(rest.size() - left);
        out.length += count;
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

namespace {

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::plain:
      return "PLAIN";
    case Encoding::plain_dictionary:
      return "PLAIN_DICTIONARY";
    case Encoding::rle:
      return "RLE";
    case Encoding::bit_packed:
      return "BIT_PACKED";
    case Encoding::delta_binary_packed:
      return "DELTA_BINARY_PACKED";
    case Encoding::delta_length_byte_array:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::delta_byte_array:
      return "DELTA_BYTE_ARRAY";
    case Encoding::rle_dictionary:
      return "RLE_DICTIONARY";
    case Encoding::byte_stream_split:
      return "BYTE_STREAM_SPLIT";
  }
  return "unknown encoding";
}

// Where one page's level sections and values lie.
struct PageSections {
  size_t num_values = 0;
  Encoding encoding = Encoding::plain;
  std::string_view repetition;
  std::string_view definition;
  std::string_view values;
};

// A v1 level section: u32 length, then that many bytes of RLE hybrid runs.
Status take_prefixed_levels(std::string_view& rest, Encoding encoding, const char* what,
                            std::string_view& out) {
  if (encoding != Encoding::rle) {
    return make_error(Errc::unsupported,
                      std::string(what) + " levels in " + std::string(encoding_name(encoding)));
  }
  if (rest.size() < 4)
    return make_error(Errc::corrupt, std::string("truncated ") + what + " levels");
  uint32_t n = 0;
  std::memcpy(&n, rest.data(), 4);
  if (n > rest.size() - 4)
    return make_error(Errc::corrupt, std::string(what) + " levels longer than the page");
  out = rest.substr(4, n);
  rest.remove_prefix(4 + n);
  return {};
}

// Decodes `n` levels of one section into `decoded` (resized to n), checks them, and counts those
// at the maximum (for definition levels: the present values) in the same pass.
Result<size_t> decode_levels(std::string_view bytes, int max_level, size_t n, const char* what,
                             std::vector<uint32_t>& decoded) {
  if (!decode_rle_bit_packed(bytes, bit_width_for(static_cast<uint32_t>(max_level)), n, decoded))
    return make_error(Errc::corrupt, std::string("malformed ") + what + " levels");
  const auto max = static_cast<uint32_t>(max_level);
  uint32_t highest = 0;
  size_t at_max = 0;
  for (size_t i = 0; i < n; ++i) {
    highest = std::max(highest, decoded[i]);
    at_max += decoded[i] == max;
  }
  if (highest > max) {
    return make_error(Errc::corrupt, std::string(what) + " level " + std::to_string(highest) +
                                         " above the maximum " + std::to_string(max_level));
  }
  return at_max;
}

// Decodes `present` values of the section into `out`.
// The DELTA encodings: back to PLAIN bytes (delta_encodings.hpp), then the PLAIN decoder, which
// applies the logical conversions.
Status decode_delta(ByteCursor& in, Encoding encoding, size_t present, const Conversion& conv,
                    Column& out) {
  const bool integers = conv.physical == Type::int32 || conv.physical == Type::int64;
  const bool byte_arrays =
      conv.physical == Type::byte_array || conv.physical == Type::fixed_len_byte_array;
  const int32_t width = conv.physical == Type::fixed_len_byte_array ? conv.type_length : 0;
  std::string plain;
  if (encoding == Encoding::delta_binary_packed && integers) {
    std::vector<uint64_t> values;
    SL_TRY(decode_delta_binary_packed(in, present, values));
    plain.reserve(values.size() * 8);
    for (uint64_t v : values) {
      if (conv.physical == Type::int32) {
        auto v32 = static_cast<uint32_t>(v);  // INT32 deltas wrap in 32 bits
        plain.append(reinterpret_cast<const char*>(&v32), 4);
      } else {
        plain.append(reinterpret_cast<const char*>(&v), 8);
      }
    }
  } else if (encoding == Encoding::delta_length_byte_array && byte_arrays) {
    SL_TRY(delta_length_byte_array_to_plain(in, present, width, plain));
  } else if (encoding == Encoding::delta_byte_array && byte_arrays) {
    SL_TRY(delta_byte_array_to_plain(in, present, width, plain));
  } else {
    return make_error(Errc::corrupt, "encoding " + std::to_string(static_cast<int>(encoding)) +
                                         " does not apply to this physical type");
  }
  ByteCursor plain_in(plain);
  return decode_plain(plain_in, present, conv, out);
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

Status decode_values(const PageSections& page, size_t present, const Conversion& conv,
                     const Column* dictionary, std::vector<uint32_t>& indices, Column& out) {
  ByteCursor in(page.values);
  const Encoding encoding = page.encoding;
  if (encoding == Encoding::plain) return decode_plain(in, present, conv, out);
  if (encoding == Encoding::plain_dictionary || encoding == Encoding::rle_dictionary) {
    if (dictionary == nullptr)
      return make_error(Errc::corrupt, "dictionary-encoded page without a dictionary page");
    if (present == 0) return {};
    if (page.values.empty()) return make_error(Errc::corrupt, "missing dictionary indices");
    int bit_width = static_cast<uint8_t>(page.values[0]);
    if (!decode_rle_bit_packed(page.values.substr(1), bit_width, present, indices))
      return make_error(Errc::corrupt, "malformed dictionary indices");
    // The largest index first (a loop without exits, which the compiler vectorises).
    uint32_t highest = 0;
    for (size_t i = 0; i < present; ++i) highest = std::max(highest, indices[i]);
    if (highest >= dictionary->length) {
      return make_error(Errc::corrupt,
                        "dictionary index " + std::to_string(highest) + " out of range");
    }
    append_dictionary_values(out, *dictionary, indices.data(), present);
    return {};
  }
  if (encoding == Encoding::delta_binary_packed || encoding == Encoding::delta_length_byte_array ||
      encoding == Encoding::delta_byte_array) {
    return decode_delta(in, encoding, present, conv, out);
  }
  if (encoding == Encoding::byte_stream_split) {
    size_t width = 0;
    switch (conv.physical) {
      case Type::int32:
      case Type::float_:
        width = 4;
        break;
      case Type::int64:
      case Type::double_:
        width = 8;
        break;
      case Type::fixed_len_byte_array:
        width = static_cast<size_t>(conv.type_length);
        break;
      default:
        return make_error(Errc::corrupt, "BYTE_STREAM_SPLIT does not apply to this physical type");
    }
    std::string plain;
    SL_TRY(byte_stream_split_to_plain(page.values, present, width, plain));
    ByteCursor plain_in(plain);
    return decode_plain(plain_in, present, conv, out);
  }
  if (encoding == Encoding::rle && conv.physical == Type::boolean) {
    // RLE booleans: u32 length prefix, then the hybrid runs at bit width 1.
    if (page.values.size() < 4) return make_error(Errc::corrupt, "truncated RLE booleans");
    if (!decode_rle_bit_packed(page.values.substr(4), 1, present, indices))
      return make_error(Errc::corrupt, "malformed RLE booleans");
    for (size_t i = 0; i < present; ++i) out.append_bool(indices[i] != 0);
    return {};
  }
  return make_error(
      Errc::unsupported,
      "values encoded with " + std::string(encoding_name(encoding)) + " are not supported yet");
}

// A page's bytes once decompressed: the body itself when the chunk is not compressed (no copy),
// else `buffer`, filled by the codec.
Result<std::string_view> page_bytes(Codec codec, std::string_view body, size_t size,
                                    std::string& buffer) {
  if (codec != Codec::uncompressed) {
    SL_TRY(decompress(codec, body, size, buffer));
    return std::string_view(buffer);
  }
  if (body.size() != size)
    return make_error(Errc::corrupt, "parquet: page size differs from its header");
  return body;
}

// Growing a string column's bytes geometrically copies them again and again (a 20 MB column
// chunk of names: ~20 MB of copies). Once some values are read, their mean size gives the whole
// chunk's: reserve that once. Bounded, as the declared value count may be forged.
constexpr int64_t k_max_bytes_reservation = int64_t{256} << 20;

void reserve_projected_bytes(Column& values, int64_t values_read, int64_t num_values) {
  if ((values.type.id != TypeId::string && values.type.id != TypeId::binary) || values_read <= 0 ||
      values_read >= num_values || values.bytes.empty()) {
    return;
  }
  const double per_value =
      static_cast<double>(values.bytes.size()) / static_cast<double>(values_read);
  const auto projected = static_cast<size_t>(
      std::min<double>(per_value * static_cast<double>(num_values) * 1.05,
                       static_cast<double>(values.bytes.size() + k_max_bytes_reservation)));
  if (projected > values.bytes.capacity()) values.bytes.reserve(projected);
}

}  // namespace

Result<LeafData> read_column_chunk(std::string_view file, const ColumnMetaData& meta,
                                   const LeafInfo& leaf, int64_t rows) {
  const Conversion& conv = leaf.conversion;
  const int max_def = leaf.max_definition_level, max_rep = leaf.max_repetition_level;
  LeafData out;
  out.values = Column(leaf.field.type);
  // At most num_values present values: one allocation instead of a doubling series of copies.
  const auto reserve =
      static_cast<size_t>(std::clamp<int64_t>(meta.num_values, 0, int64_t{1} << 26));
  switch (leaf.field.type.id) {
    case TypeId::int32:
    case TypeId::date32:
      out.values.i32.reserve(reserve);
      break;
    case TypeId::int64:
    case TypeId::timestamp_us:
      out.values.i64.reserve(reserve);
      break;
    case TypeId::float32:
      out.values.f32.reserve(reserve);
      break;
    case TypeId::float64:
      out.values.f64.reserve(reserve);
      break;
    case TypeId::string:
    case TypeId::binary:
      out.values.offsets.reserve(reserve + 1);
      // PLAIN byte arrays are at most the chunk's uncompressed size; a dictionary-encoded chunk
      // is reserved from its first pages instead (reserve_projected_bytes).
      if (!meta.dictionary_page_offset) {
        out.values.bytes.reserve(static_cast<size_t>(
            std::clamp<int64_t>(meta.total_uncompressed_size, 0, k_max_bytes_reservation)));
      }
      break;
    default:
      break;
  }
  if (meta.type != conv.physical)
    return make_error(Errc::corrupt, "chunk type differs from the schema's");
  if (rows == 0) return out;  // nothing to read; some writers leave offsets at 0
  if (max_rep == 0 && meta.num_values != rows) {
    return make_error(Errc::corrupt, "chunk declares " + std::to_string(meta.num_values) +
                                         " values for " + std::to_string(rows) +
                                         " rows of a flat column");
  }
  if (meta.num_values < rows) {
    return make_error(Errc::corrupt, "chunk declares " + std::to_string(meta.num_values) +
                                         " values for " + std::to_string(rows) + " rows");
  }
  // List offsets are 32-bit.
  if (meta.num_values >= int64_t{UINT32_MAX}) {
    return make_error(Errc::unsupported, "chunk of " + std::to_string(meta.num_values) +
                                             " values (this reader takes fewer than 2^32)");
  }

  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 4 || meta.total_compressed_size < 0 ||
      static_cast<uint64_t>(start) + static_cast<uint64_t>(meta.total_compressed_size) >
          file.size() - 8) {
    return make_error(Errc::corrupt, "column chunk at offset " + std::to_string(start) + " with " +
                                         std::to_string(meta.total_compressed_size) +
                                         " bytes lies outside the file");
  }
  ByteCursor chunk(
      file.substr(static_cast<size_t>(start), static_cast<size_t>(meta.total_compressed_size)));

  Column dictionary(leaf.field.type);
  bool has_dictionary = false;
  std::string decompressed;
  std::vector<uint32_t> scratch, indices;
  int64_t values_read = 0;
  size_t page_index = 0;
  while (values_read < meta.num_values && !chunk.at_end()) {
    auto where = [&](const std::string& what) {
      return "page " + std::to_string(page_index) + ": " + what;
    };
    auto page_error = [&](const Error& e) { return make_error(e.code, where(e.message)); };
    SL_ASSIGN_OR_RETURN(PageHeader header, decode_page_header(chunk));
    auto body = chunk.string_view(static_cast<size_t>(header.compressed_page_size), "page body");
    if (!chunk.ok()) return make_error(Errc::corrupt, where(chunk.error()));

    if (header.type == PageType::dictionary_page) {
      if (!header.dictionary_page_header)
        return make_error(Errc::corrupt, where("dictionary page without its header"));
      SL_ASSIGN_OR_RETURN(
          std::string_view bytes,
          page_bytes(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size),
                     decompressed));
      int32_t n = header.dictionary_page_header->num_values;
      if (n < 0) return make_error(Errc::corrupt, where("negative dictionary size"));
      dictionary = Column(leaf.field.type);
      ByteCursor in(bytes);
      if (auto st = decode_plain(in, static_cast<size_t>(n), conv, dictionary); !st) {
        return make_error(Errc::corrupt, where("dictionary: " + st.error().message));
      }
      has_dictionary = true;
      ++page_index;
      continue;
    }
    if (header.type != PageType::data_page && header.type != PageType::data_page_v2) {
      ++page_index;  // index pages and unknown pages carry no values
      continue;
    }

    // Split the page into its level sections and values.
    PageSections page;
    if (header.type == PageType::data_page) {
      if (!header.data_page_header)
        return make_error(Errc::corrupt, where("data page without its header"));
      const auto& d = *header.data_page_header;
      if (d.num_values < 0) return make_error(Errc::corrupt, where("negative value count"));
      page.num_values = static_cast<size_t>(d.num_values);
      page.encoding = d.encoding;
      SL_ASSIGN_OR_RETURN(
          std::string_view rest,
          page_bytes(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size),
                     decompressed));
      if (max_rep > 0) {
        if (auto st = take_prefixed_levels(rest, d.repetition_level_encoding, "repetition",
                                           page.repetition);
            !st)
          return page_error(st.error());
      }
      if (max_def > 0) {
        if (auto st = take_prefixed_levels(rest, d.definition_level_encoding, "definition",
                                           page.definition);
            !st)
          return page_error(st.error());
      }
      page.values = rest;
    } else {
      if (!header.data_page_header_v2)
        return make_error(Errc::corrupt, where("data page v2 without its header"));
      const auto& d = *header.data_page_header_v2;
      if (d.num_values < 0 || d.definition_levels_byte_length < 0 ||
          d.repetition_levels_byte_length < 0) {
        return make_error(Errc::corrupt, where("negative sizes in the v2 header"));
      }
      page.num_values = static_cast<size_t>(d.num_values);
      page.encoding = d.encoding;
      const auto rep_size = static_cast<size_t>(d.repetition_levels_byte_length);
      const auto def_size = static_cast<size_t>(d.definition_levels_byte_length);
      if (rep_size + def_size > body.size())
        return make_error(Errc::corrupt, where("levels longer than the page"));
      page.repetition = body.substr(0, rep_size);
      page.definition = body.substr(rep_size, def_size);
      std::string_view compressed_values = body.substr(rep_size + def_size);
      size_t values_size =
          static_cast<size_t>(header.uncompressed_page_size) -
          std::min<size_t>(rep_size + def_size, static_cast<size_t>(header.uncompressed_page_size));
      if (d.is_compressed) {
        SL_ASSIGN_OR_RETURN(page.values,
                            page_bytes(meta.codec, compressed_values, values_size, decompressed));
      } else {
        page.values = compressed_values;
      }
    }
    // Writers cap pages far below this (parquet-java 20,000 rows, Arrow 1M); a larger count is a
    // forged header that would make a few RLE bytes expand into gigabytes.
    constexpr size_t k_max_page_values = size_t{1} << 24;
    const size_t n = page.num_values;
    if (n > k_max_page_values) {
      return make_error(Errc::unsupported,
                        where("page declares " + std::to_string(n) +
                              " values, more than this reader accepts (16,777,216)"));
    }
    if (n > static_cast<size_t>(meta.num_values - values_read)) {
      return make_error(Errc::corrupt, where("more values than the chunk declares"));
    }

    const size_t first = out.num_levels;
    if (max_rep > 0) {
      if (auto levels = decode_levels(page.repetition, max_rep, n, "repetition", scratch); !levels)
        return page_error(levels.error());
      out.repetition_levels.insert(out.repetition_levels.end(), scratch.begin(),
                                   scratch.begin() + static_cast<long>(n));
    }
    size_t present = n;
    const auto all_defined = static_cast<uint32_t>(max_def);
    if (max_def > 0 && max_rep == 0 &&
        leading_run_value(page.definition, bit_width_for(all_defined), n) == all_defined) {
      // A flat page without a null (one RLE run of max_def): nothing to decode or count.
      if (out.definition_levels.empty())
        out.implied_definition = all_defined;
      else
        out.definition_levels.insert(out.definition_levels.end(), n, all_defined);
    } else if (max_def > 0) {
      auto defined = decode_levels(page.definition, max_def, n, "definition", scratch);
      if (!defined) return page_error(defined.error());
      present = *defined;
      // A flat leaf whose entries are all defined so far keeps no levels (LeafData's
      // implied_definition); the first null makes them explicit.
      if (max_rep == 0 && present == n && out.definition_levels.empty()) {
        out.implied_definition = static_cast<uint32_t>(max_def);
      } else {
        if (out.definition_levels.empty())
          out.definition_levels.assign(first, out.implied_definition);
        out.definition_levels.insert(out.definition_levels.end(), scratch.begin(),
                                     scratch.begin() + static_cast<long>(n));
      }
    }
    out.num_levels += n;
    if (max_rep == 0) {
      out.num_rows += n;
    } else {
      for (size_t i = first; i < first + n; ++i) {
        const uint32_t rep = out.repetition_levels[i];
        if (rep == 0) {
          ++out.num_rows;
        } else if (i == 0) {
          return make_error(Errc::corrupt, where("the chunk starts inside a row (repetition "
                                                 "level " +
                                                 std::to_string(rep) + ")"));
        } else if (out.definition(i) <
                   static_cast<uint32_t>(leaf.repeated_definition_levels[rep - 1])) {
          return make_error(Errc::corrupt, where("entry " + std::to_string(i) + " repeats level " +
                                                 std::to_string(rep) + " of a null or empty list"));
        }
      }
    }
    if (auto st = decode_values(page, present, conv, has_dictionary ? &dictionary : nullptr,
                                indices, out.values);
        !st)
      return page_error(st.error());
    if (out.values.bytes.size() > UINT32_MAX) {
      // Offsets are 32-bit (Column): past 4 GiB they would wrap into wrong strings.
      return make_error(Errc::unsupported,
                        where("more than 4 GiB of string bytes in one column chunk"));
    }
    values_read += static_cast<int64_t>(n);
    reserve_projected_bytes(out.values, values_read, meta.num_values);
    ++page_index;
  }
  if (out.num_rows != static_cast<size_t>(rows)) {
    return make_error(Errc::corrupt, "chunk holds " + std::to_string(out.num_rows) +
                                         " rows for a row group of " + std::to_string(rows));
  }
  return out;
}

}  // namespace sl::parquet
