// Dictionary encoding (Encodings.md "Dictionary Encoding": PLAIN_DICTIONARY, RLE_DICTIONARY):
//   dictionary page := the chunk's distinct values, PLAIN (plain_decoder.hpp)
//   data page values := byte(bit width) <RLE / bit-packed hybrid indices into the dictionary>
// One dictionary per column chunk, before its data pages. Every index is checked against the
// dictionary's size before a value is copied.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/schema_mapping.hpp"
#include "parquet/slot_spread.hpp"

namespace sl::parquet {

// The `count` values of a dictionary page body (decompressed), in the leaf's logical type.
// Errors are Errc::corrupt, prefixed "dictionary: ".
Result<columnar::Column> decode_dictionary_page(std::string_view bytes, size_t count,
                                                const columnar::DataType& type,
                                                const Conversion& conv);

// Appends dictionary[index] for the `present` indices of a data page's values section to `out`.
// `indices` is scratch space, kept by the caller across pages. With `slots`, numbers are spread
// over them as they are gathered (out.length then grows by slots->count); other values, and all
// without `slots`, are appended dense (the caller spreads them).
Status decode_dictionary_indices(std::string_view values, size_t present,
                                 const columnar::Column& dictionary, std::vector<uint32_t>& indices,
                                 columnar::Column& out, const PageSlots* slots = nullptr);

}  // namespace sl::parquet
