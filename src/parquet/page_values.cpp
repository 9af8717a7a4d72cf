// Decoding a data page's values by encoding: PLAIN and dictionary directly, the DELTA encodings and
// BYTE_STREAM_SPLIT back to PLAIN bytes first, RLE booleans.
#include "parquet/page_values.hpp"

#include <string>

#include "common/byte_cursor.hpp"
#include "parquet/byte_stream_split.hpp"
#include "parquet/delta_encodings.hpp"
#include "parquet/dictionary_decoder.hpp"
#include "parquet/plain_decoder.hpp"
#include "parquet/rle_bit_packed.hpp"

namespace sl::parquet {

using columnar::Column;

namespace {

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

}  // namespace

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

Status decode_page_values(std::string_view values, Encoding encoding, size_t present,
                          const Conversion& conv, const Column* dictionary,
                          std::vector<uint32_t>& scratch, Column& out,
                          const PageSlots* slots) {
  ByteCursor in(values);
  if (encoding == Encoding::plain) return decode_plain(in, present, conv, out);
  if (encoding == Encoding::plain_dictionary || encoding == Encoding::rle_dictionary) {
    if (dictionary == nullptr)
      return make_error(Errc::corrupt, "dictionary-encoded page without a dictionary page");
    return decode_dictionary_indices(values, present, *dictionary, scratch, out, slots);
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
    SL_TRY(byte_stream_split_to_plain(values, present, width, plain));
    ByteCursor plain_in(plain);
    return decode_plain(plain_in, present, conv, out);
  }
  if (encoding == Encoding::rle && conv.physical == Type::boolean) {
    // RLE booleans: u32 length prefix, then the hybrid runs at bit width 1.
    if (values.size() < 4) return make_error(Errc::corrupt, "truncated RLE booleans");
    if (!decode_rle_bit_packed(values.substr(4), 1, present, scratch))
      return make_error(Errc::corrupt, "malformed RLE booleans");
    for (size_t i = 0; i < present; ++i) out.append_bool(scratch[i] != 0);
    return {};
  }
  return make_error(
      Errc::unsupported,
      "values encoded with " + std::string(encoding_name(encoding)) + " are not supported yet");
}

}  // namespace sl::parquet
