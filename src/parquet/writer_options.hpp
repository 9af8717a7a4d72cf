// WriterOptions: the knobs of the Parquet writer, with the conservative defaults of DESIGN §4.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "parquet/file_metadata.hpp"

namespace sl::parquet {

struct WriterOptions {
  Codec codec = Codec::snappy;
  size_t row_group_rows = 1 << 20;         // rows per row group (about 1M, like pyarrow)
  size_t page_size = 1 << 20;              // target uncompressed bytes of values per data page
  bool dictionary = true;                  // try RLE_DICTIONARY per column chunk
  size_t dictionary_page_limit = 1 << 20;  // PLAIN when the dictionary page would be larger
  size_t max_statistics_size = 256;        // longer string min/max values are not written
  bool page_checksums = true;              // PageHeader.crc on every page (page_checksum.hpp)
  // The columns of a large row group are encoded on up to this many threads (0: one per core);
  // the file's bytes are the same whatever the count.
  size_t threads = 0;
  std::string created_by = "sportlake version 0.1.0 (build own-parquet)";
  std::vector<KeyValue> key_value_metadata;
};

}  // namespace sl::parquet
