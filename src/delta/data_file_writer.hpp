// DataFileWriter: one Delta data file written batch by batch in bounded memory, for writers whose
// rows arrive in pieces (compaction streams the row groups of the files it merges).
//
// Order of use:
// 1. DataFileWriter(storage, data schema, partition directory and values, options, size hint);
// 2. write(batch) any number of times (the data columns, partition columns left out): rows are
//    buffered and encoded a row group at a time, each row group holding about
//    `row_group_bytes` of decoded rows (at least 1,024 rows, at most options.parquet's count);
//    the file's stats are kept as running extremes (StatsCollector), not from the rows;
// 3. finish(data_change): the footer, one Storage::put of the encoded bytes (held in memory until
//    then: about the file's compressed size, reserved from the hint), and the file's Add; nothing
//    is committed. A writer not finished leaves nothing behind.
// What is held at once: one row group's rows (about `row_group_bytes`, plus the batch being
// written) and the encoded file so far.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/stats.hpp"
#include "delta/storage.hpp"
#include "delta/table_writer.hpp"
#include "parquet/file_writer.hpp"

namespace sl::delta {

class DataFileWriter {
 public:
  static constexpr size_t k_default_row_group_bytes = 16 << 20;

  DataFileWriter(Storage& storage, std::vector<columnar::Field> schema, std::string path,
                 PartitionValues partition_values, const WriteOptions& options,
                 uint64_t expected_file_bytes, size_t row_group_bytes = k_default_row_group_bytes);

  ~DataFileWriter();

  Status write(const columnar::RecordBatch& batch);
  size_t rows() const { return rows_; }
  Result<Add> finish(bool data_change);

 private:
  Storage& storage_;
  std::vector<columnar::Field> schema_;
  std::string path_;
  PartitionValues partition_values_;
  const WriteOptions& options_;
  uint64_t expected_file_bytes_;
  size_t row_group_bytes_;
  class ReservedSink;
  ReservedSink* sink_ = nullptr;  // owned by writer_
  std::unique_ptr<parquet::ParquetWriter> writer_;  // opened by the first write
  StatsCollector stats_;
  size_t rows_ = 0;
};

}  // namespace sl::delta
