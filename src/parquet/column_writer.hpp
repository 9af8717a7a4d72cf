// ColumnChunkWriter: encodes one leaf column of one row group into pages on a sink.
//
// Steps for one chunk (each chunk independent: chunks of different columns may be encoded in
// parallel into separate buffers, then appended in schema order):
// 1. gather the non-null values of the row group's slices and their definition levels;
// 2. statistics (min/max in the column's sort order, NaN excluded, null count);
// 3. decide once per chunk between RLE_DICTIONARY and PLAIN (DuckDB style): dictionary when it
//    stays under the page limit and repeats values;
// 4. write the dictionary page (PLAIN entries), then data pages v1 of about `page_size` bytes,
//    each `[def levels: u32 length + RLE hybrid][values]` compressed as one unit;
// 5. return the ColumnChunk metadata with exact offsets and sizes (headers included).
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/column.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/writer_options.hpp"

namespace sl::parquet {

struct ColumnSlice {
  const Column* column;
  size_t begin;
  size_t end;
};

// Physical type and annotations of a logical field (a leaf of the flat schema).
SchemaElement schema_element_for(const Field& field);

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(Field field, const WriterOptions& options)
      : field_(std::move(field)), options_(options) {}

  Result<ColumnChunk> write(const std::vector<ColumnSlice>& slices, ByteSink& sink);

 private:
  // Scratch buffers reused across pages and row groups.
  struct State {
    std::string values;      // encoded values of the current page
    std::string page;        // levels + values, uncompressed
    std::string compressed;  // page body after compression
    std::string header;
    std::string dictionary;  // PLAIN dictionary entries
    std::vector<uint32_t> levels;
    std::vector<uint32_t> indices;
  };

  Status write_page(PageType type, const std::string& body, int32_t num_values, Encoding encoding,
                    ByteSink& sink, ColumnMetaData& meta);

  Field field_;
  const WriterOptions& options_;
  State state_;
};

}  // namespace sl::parquet
