// ColumnChunkWriter: encodes one leaf column of one row group into pages on a sink.
//
// Steps for one chunk (each chunk independent: chunks of different columns may be encoded in
// parallel into separate buffers, then appended in schema order):
// 1. gather the present values of the shredded leaf (RecordShredder) in entry order;
// 2. statistics (min/max in the column's sort order, NaN excluded; null count = entries without a
//    value, so null or empty parents count too, as parquet-java counts them);
// 3. decide once per chunk between RLE_DICTIONARY and PLAIN (DuckDB style): dictionary when it
//    stays under the page limit and repeats values;
// 4. write the dictionary page (PLAIN entries), then data pages v1 of about `page_size` bytes,
//    each `[rep levels][def levels][values]` compressed as one unit, a level section being
//    `u32 length + RLE hybrid` and present only when its maximum level is above 0; a page is cut
//    only before an entry with repetition level 0, so a row never spans two pages;
// 5. return the ColumnChunk metadata with exact offsets and sizes (headers included).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/record_shredder.hpp"
#include "parquet/schema_layout.hpp"
#include "parquet/writer_options.hpp"

namespace sl::parquet {

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(LeafColumn leaf, const WriterOptions& options)
      : leaf_(std::move(leaf)), options_(options) {}

  const LeafColumn& leaf() const { return leaf_; }
  Result<ColumnChunk> write(const ShreddedLeaf& data, ByteSink& sink);

 private:
  // Scratch buffers reused across pages and row groups.
  struct State {
    std::string values;      // encoded values of the current page
    std::string page;        // levels + values, uncompressed
    std::string compressed;  // page body after compression
    std::string header;
    std::string dictionary;  // PLAIN dictionary entries
    std::string levels;      // one encoded level section
    std::vector<uint32_t> indices;
    std::vector<std::string_view> strings;  // a string chunk's values, gathered
  };

  Status write_page(PageType type, const std::string& body, int32_t num_values, Encoding encoding,
                    ByteSink& sink, ColumnMetaData& meta);

  LeafColumn leaf_;
  const WriterOptions& options_;
  State state_;
};

}  // namespace sl::parquet
