// Reading one leaf column chunk: its pages (dictionary, data v1, data v2) → the repetition and
// definition level of every entry and the present values, converted to the logical type.
//
// Page bodies (after decompression of the v1 body, or of the v2 values section only):
//   v1: [rep levels: u32 length + RLE hybrid, if max_rep > 0]
//       [def levels: u32 length + RLE hybrid, if max_def > 0] [values]
//   v2: [rep levels: RLE hybrid, repetition_levels_byte_length bytes]
//       [def levels: RLE hybrid, definition_levels_byte_length bytes] [values]
//   values: by the page's encoding (page_values.hpp: PLAIN, dictionary indices into the chunk's
//   dictionary page, the DELTA encodings, BYTE_STREAM_SPLIT, RLE booleans).
// Only entries whose definition level equals max_def carry a value. Every level is checked: none
// above its maximum, the chunk starts a row, and an entry continuing at repetition level r reaches
// the definition level of that repeated node. Errors name the page.
#pragma once

#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

// A repetition or definition level. One byte: schemas deeper than 64 levels are refused
// (schema_mapping), so no level exceeds 64; a quarter of the memory traffic of 32-bit levels, and
// a flat optional leaf's definition levels (0 or 1) are its validity bytes as they stand.
using Level = uint8_t;

struct LeafData {
  size_t num_levels = 0;                 // entries
  size_t num_rows = 0;                   // entries with repetition level 0
  std::vector<Level> repetition_levels;  // one per entry; empty when max_rep == 0
  // One per entry; empty when every entry has implied_definition (max_def == 0, or a flat leaf
  // without a null: most columns, whose levels would only repeat max_def).
  std::vector<Level> definition_levels;
  uint32_t implied_definition = 0;
  uint32_t max_definition = 0;  // the leaf's maximum definition level
  size_t num_defined = 0;       // entries at max_definition (counted as their levels are decoded)
  columnar::Column values;      // the present values, in entry order
  // A flat optional leaf (max_definition 1, no repetition) with a null: its values were spread
  // over their entries page by page, while each page's values were in cache (a pass over the
  // whole chunk after the read cost a tenth of a scan with 10 % of nulls); `values` then holds
  // one value per entry, a zero at each null, and definition_levels are its validity.
  bool values_spread = false;

  uint32_t repetition(size_t i) const {
    return repetition_levels.empty() ? 0 : repetition_levels[i];
  }
  uint32_t definition(size_t i) const {
    return definition_levels.empty() ? implied_definition : definition_levels[i];
  }
};

// `file`: the whole file (chunk offsets are absolute); `rows`: the row group's row count, which the
// chunk must hold exactly.
Result<LeafData> read_column_chunk(std::string_view file, const ColumnMetaData& meta,
                                   const LeafInfo& leaf, int64_t rows);

}  // namespace sl::parquet
