// ParquetReader: reads Parquet files (ours and other writers'), flat or nested, into RecordBatches.
//
// Order of work:
// 1. open: check "PAR1" at both ends (a "PARE" footer is an encrypted file, refused), decode the
//    footer, map the schema to logical fields, leaves and assembly nodes (schema_mapping.hpp,
//    legacy list/map layouts included);
// 2. read_row_group(i, columns): for each projected top-level column, read each leaf chunk's
//    pages into levels and values (column_chunk_reader.hpp), then assemble the nested column
//    (record_assembler.hpp). Projection is by top-level name. With set_threads(n > 1), the
//    projected top-level columns are read and assembled on up to n threads, largest chunks first
//    (same batch as one thread). read_row_groups(groups, columns) spreads the top-level columns
//    of several row groups over the threads as one list, largest first: the threads do not wait
//    at the end of each group for its largest column.
// Every error names the file, and the row group, column (leaf path) and page where it happened.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/schema_mapping.hpp"

namespace sl::parquet {

class ParquetReader {
 public:
  // Maps the file read-only (it must not be truncated while the reader lives: Parquet files,
  // Delta data files included, are never modified in place).
  static Result<std::unique_ptr<ParquetReader>> open(const std::filesystem::path& path);
  // `name` is used in error messages.
  static Result<std::unique_ptr<ParquetReader>> open_bytes(std::string bytes, std::string name);

  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  const std::string& name() const { return name_; }
  std::string_view bytes() const { return bytes_; }  // the whole file
  const FileMetaData& metadata() const { return metadata_; }
  const std::vector<columnar::Field>& schema() const { return file_schema_.fields; }
  // Leaves with their levels and conversions, assembly nodes (row-group statistics need them).
  const FileSchema& file_schema() const { return file_schema_; }
  size_t num_row_groups() const { return metadata_.row_groups.size(); }
  // Threads one read_row_group may use (default 1: callers such as the Delta scan already read
  // several files at once; 0: one per core).
  void set_threads(size_t threads);

  // `columns` empty = every column; otherwise the named ones, in the given order. A name
  // "parent.child" selects only some fields of a top-level struct (e.g. {"add.path",
  // "add.stats"}: column `add` with those two fields, in file order): the other fields' column
  // chunks are not read at all.
  Result<columnar::RecordBatch> read_row_group(size_t index,
                                               const std::vector<std::string>& columns = {}) const;
  // Several row groups at once, one batch each (in the order asked): as read_row_group on each,
  // with their columns spread over the threads together.
  Result<std::vector<columnar::RecordBatch>> read_row_groups(
      const std::vector<size_t>& groups, const std::vector<std::string>& columns = {}) const;
  Result<columnar::RecordBatch> read_all(const std::vector<std::string>& columns = {}) const;

 private:
  ParquetReader(std::string bytes, std::string name)
      : owned_(std::move(bytes)), bytes_(owned_), name_(std::move(name)) {}
  Status load();
  // A projected top-level field, with the struct fields kept (empty: all).
  struct Selection {
    size_t field = 0;
    std::vector<std::string> children;
  };
  Result<std::vector<Selection>> projection(const std::vector<std::string>& columns) const;
  static bool is_selected(const Selection& selection, std::string_view child);
  columnar::Field selected_field(const Selection& selection) const;  // the field as read
  Result<columnar::Column> read_field(size_t row_group, const Selection& selection,
                                      columnar::Field& field_out) const;

  std::string owned_;        // the file's bytes (open_bytes), or empty when mapped
  void* mapping_ = nullptr;  // open: the file mapped read-only
  size_t mapping_size_ = 0;
  std::string_view bytes_;  // the whole file: owned_ or the mapping
  std::string name_;
  FileMetaData metadata_;
  FileSchema file_schema_;
  size_t threads_ = 1;
};

}  // namespace sl::parquet
