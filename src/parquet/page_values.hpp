// The values section of a data page → its present values in the leaf's logical type, by the
// page's encoding:
//   PLAIN                                    plain_decoder.hpp
//   PLAIN_DICTIONARY, RLE_DICTIONARY         dictionary_decoder.hpp (needs the chunk's dictionary)
//   DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY
//                                            delta_encodings.hpp, back to PLAIN bytes
//   BYTE_STREAM_SPLIT                        byte_stream_split.hpp, back to PLAIN bytes
//   RLE (booleans only)                      u32 length + RLE / bit-packed hybrid at bit width 1
// Any other encoding, or one that does not apply to the physical type, is an error.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/schema_mapping.hpp"
#include "parquet/slot_spread.hpp"

namespace sl::parquet {

// The spec's name of an encoding, for messages.
std::string_view encoding_name(Encoding e);

// Appends the `present` values of `values` (the page's values section, decompressed) to `out`.
// `dictionary` is null until the chunk's dictionary page is read; `scratch` holds indices or
// RLE booleans, kept by the caller across pages. `slots`, when given, are the page's slots the
// values are to be spread over: a decoder that can spread as it decodes does (out.length then
// grows by slots->count, else by `present` and the caller spreads).
Status decode_page_values(std::string_view values, Encoding encoding, size_t present,
                          const Conversion& conv, const columnar::Column* dictionary,
                          std::vector<uint32_t>& scratch, columnar::Column& out,
                          const PageSlots* slots = nullptr);

}  // namespace sl::parquet
