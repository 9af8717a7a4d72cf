// The Parquet file metadata model (parquet.thrift), with the wire values of its enums.
// Serialisation lives in file_metadata_thrift.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_cursor.hpp"
#include "common/result.hpp"

namespace sl::parquet {

enum class Type : int32_t {
  boolean = 0,
  int32 = 1,
  int64 = 2,
  int96 = 3,
  float_ = 4,
  double_ = 5,
  byte_array = 6,
  fixed_len_byte_array = 7,
};
enum class Repetition : int32_t { required = 0, optional = 1, repeated = 2 };
enum class ConvertedType : int32_t {
  utf8 = 0,
  map = 1,
  map_key_value = 2,
  list = 3,
  decimal = 5,
  date = 6,
  time_millis = 7,
  time_micros = 8,
  timestamp_millis = 9,
  timestamp_micros = 10,
  uint_8 = 11,
  uint_16 = 12,
  uint_32 = 13,
  uint_64 = 14,
  int_8 = 15,
  int_16 = 16,
  int_32 = 17,
  int_64 = 18,
  json = 19,
  interval = 21,
};
enum class Encoding : int32_t {
  plain = 0,
  plain_dictionary = 2,
  rle = 3,
  bit_packed = 4,
  delta_binary_packed = 5,
  delta_length_byte_array = 6,
  delta_byte_array = 7,
  rle_dictionary = 8,
  byte_stream_split = 9,
};
enum class Codec : int32_t {
  uncompressed = 0,
  snappy = 1,
  gzip = 2,
  lzo = 3,
  brotli = 4,
  lz4 = 5,
  zstd = 6,
  lz4_raw = 7
};
enum class PageType : int32_t {
  data_page = 0,
  index_page = 1,
  dictionary_page = 2,
  data_page_v2 = 3
};

// LogicalType union: the annotations we write (and read).
struct LogicalType {
  enum class Kind {
    none,
    string,
    map,
    list,
    decimal,
    date,
    timestamp,
    time,  // unit and utc_adjusted as for timestamp
    integer,
    json,
    float16,
    uuid,
    other
  };
  Kind kind = Kind::none;
  int32_t scale = 0, precision = 0;  // decimal
  bool utc_adjusted = true;          // timestamp
  enum class Unit { millis = 1, micros = 2, nanos = 3 } unit = Unit::micros;
  int8_t bit_width = 0;  // integer
  bool is_signed = true;
};

struct SchemaElement {
  std::optional<Type> type;  // leaves only
  std::optional<int32_t> type_length;
  std::optional<Repetition> repetition;
  std::string name;
  std::optional<int32_t> num_children;  // groups only
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale, precision;
  LogicalType logical_type;
};

struct Statistics {
  std::optional<std::string> max, min;  // deprecated signed-order pair (fields 1, 2)
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value, min_value;  // fields 5, 6
};

struct ColumnMetaData {
  Type type = Type::int32;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::uncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;  // pages including their headers
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;  // only when a dictionary page exists
  Statistics statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  ColumnMetaData meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  int64_t file_offset = 0;
  int64_t total_compressed_size = 0;
  int16_t ordinal = 0;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first, root first
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::string created_by;
  size_t leaf_count = 0;  // one TYPE_ORDER column order per leaf
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::plain;
  Encoding definition_level_encoding = Encoding::rle;
  Encoding repetition_level_encoding = Encoding::rle;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::plain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::plain;
};

struct PageHeader {
  PageType type = PageType::data_page;
  int32_t uncompressed_page_size = 0;  // body only, headers excluded
  int32_t compressed_page_size = 0;
  // CRC-32 (zlib's crc32, the gzip polynomial) of the page's bytes after the header as stored
  // (compressed body; for v2 the level sections and the compressed values), as a signed i32.
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

// Thrift compact encoding (appended to `out`).
void encode(const FileMetaData& metadata, std::string& out);
void encode(const PageHeader& header, std::string& out);

// Decoding (file_metadata_decode.cpp). Errors say which structure and field failed.
Result<FileMetaData> decode_file_metadata(std::string_view bytes);
// Decodes the page header at the cursor and leaves the cursor on the page body.
Result<PageHeader> decode_page_header(ByteCursor& cursor);

}  // namespace sl::parquet
