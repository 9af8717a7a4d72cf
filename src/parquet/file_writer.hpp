// ParquetWriter: writes RecordBatches (flat or nested columns) into one Parquet file.
//
// Order of use:
// 1. open(sink or path, schema, options) writes the leading "PAR1";
// 2. write(batch) any number of times (rows are buffered; a row group is written each time
//    `row_group_rows` rows are buffered: each top-level column is shredded into its leaves, and
//    each leaf becomes one column chunk; whole row groups of a batch are written from it in place,
//    only a remainder is copied);
// 3. close() writes the last row group, the footer (FileMetaData, its u32 length, "PAR1") and
//    closes the sink (fsync for files). A file is complete and durable only after close().
// Not thread-safe; the column chunks of a row group are encoded one after the other.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/column_writer.hpp"
#include "parquet/file_metadata.hpp"
#include "parquet/record_shredder.hpp"
#include "parquet/writer_options.hpp"

namespace sl::parquet {

class ParquetWriter {
 public:
  static Result<std::unique_ptr<ParquetWriter>> open(std::unique_ptr<ByteSink> sink,
                                                     std::vector<columnar::Field> schema,
                                                     WriterOptions options = {});
  static Result<std::unique_ptr<ParquetWriter>> open(const std::filesystem::path& path,
                                                     std::vector<columnar::Field> schema,
                                                     WriterOptions options = {});

  // The batch's columns must have the writer schema's types and shapes, and no null where a field
  // is required (under a present parent); the batch is copied.
  Status write(const columnar::RecordBatch& batch);
  // Rows [first_row, end_row) of `batch` (the whole batch is checked), as write() would write a
  // batch of just those rows, without that copy when they fill whole row groups.
  Status write(const columnar::RecordBatch& batch, size_t first_row, size_t end_row);
  Status close();

  const FileMetaData& metadata() const { return metadata_; }
  uint64_t bytes_written() const { return sink_->position(); }
  ByteSink& sink() { return *sink_; }

 private:
  ParquetWriter(std::unique_ptr<ByteSink> sink, std::vector<columnar::Field> schema,
                WriterOptions options);
  // The first `rows` pending rows as one row group.
  Status flush_row_group(size_t rows);
  // One row group from slices of the rows (per top-level column, in row order).
  Status write_row_group(const std::vector<std::vector<ColumnSlice>>& slices, size_t rows);
  // The chunks of top-level column `c` (its leaves from `first_leaf`), written to `sink` with
  // offsets counted from its start; `scratch`: the shredded leaves.
  Status encode_column(size_t c, const std::vector<ColumnSlice>& slices, size_t first_leaf,
                       ByteSink& sink, std::vector<ShreddedLeaf>& scratch,
                       std::vector<ColumnChunk>& out);

  std::unique_ptr<ByteSink> sink_;
  std::vector<columnar::Field> schema_;
  WriterOptions options_;
  std::vector<RecordShredder> shredders_;          // one per top-level field
  std::vector<ColumnChunkWriter> column_writers_;  // one per leaf, in schema order
  std::vector<ShreddedLeaf> shredded_;             // scratch: the leaves of one field
  std::vector<columnar::RecordBatch> pending_;
  size_t pending_offset_ = 0;  // rows of pending_[0] already written
  size_t pending_rows_ = 0;
  FileMetaData metadata_;
  bool closed_ = false;
};

// Writes one batch to a new file (convenience for tools and tests).
Status write_file(const std::filesystem::path& path, const columnar::RecordBatch& batch,
                  const WriterOptions& options = {});

}  // namespace sl::parquet
