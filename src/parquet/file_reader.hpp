// ParquetReader: reads flat Parquet files (ours and other writers') into RecordBatches.
//
// Order of work: 1. open: check "PAR1" at both ends (a "PARE" footer is an encrypted file,
// refused), decode the footer, map the schema to logical fields; 2. read_row_group(i, columns):
// for each projected column, walk its chunk's pages (dictionary, data v1, data v2), decompress,
// decode definition levels and values (PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, RLE booleans) and
// convert them to the logical type. Every error names the file, and the row group, column and
// page where it happened. Nested columns (struct/list/map) are refused by name for now.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "parquet/column.hpp"
#include "parquet/file_metadata.hpp"

namespace sl::parquet {

class ParquetReader {
 public:
  static Result<std::unique_ptr<ParquetReader>> open(const std::filesystem::path& path);
  // `name` is used in error messages.
  static Result<std::unique_ptr<ParquetReader>> open_bytes(std::string bytes, std::string name);

  const FileMetaData& metadata() const { return metadata_; }
  const std::vector<Field>& schema() const { return schema_; }
  size_t num_row_groups() const { return metadata_.row_groups.size(); }

  // `columns` empty = every column; otherwise the named ones, in the given order.
  Result<RecordBatch> read_row_group(size_t index,
                                     const std::vector<std::string>& columns = {}) const;
  Result<RecordBatch> read_all(const std::vector<std::string>& columns = {}) const;

 private:
  struct LeafInfo {
    size_t schema_index;  // into metadata_.schema
    Field field;
    int max_definition_level;
  };
  ParquetReader(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  Status load();
  Result<std::vector<size_t>> projection(const std::vector<std::string>& columns) const;
  Result<Column> read_chunk(size_t row_group, size_t leaf) const;

  std::string bytes_;
  std::string name_;
  FileMetaData metadata_;
  std::vector<Field> schema_;
  std::vector<LeafInfo> leaves_;
};

}  // namespace sl::parquet
