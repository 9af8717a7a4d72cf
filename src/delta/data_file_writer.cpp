// DataFileWriter: a data file encoded row group by row group, stats kept as running extremes.
#include "delta/data_file_writer.hpp"

#include <algorithm>

#include "columnar/memory_size.hpp"
#include "delta/partitions.hpp"

namespace sl::delta {

// The encoded file in memory, reserved at its expected size up front: a buffer growing by
// doubling holds its old and new copies at once, the largest allocation of a compaction.
class DataFileWriter::ReservedSink final : public parquet::ByteSink {
 public:
  explicit ReservedSink(size_t expected) { data_.reserve(expected); }
  Status write(std::string_view bytes) override {
    data_.append(bytes);
    return {};
  }
  uint64_t position() const override { return data_.size(); }
  Status close() override { return {}; }
  std::string take() { return std::move(data_); }

 private:
  std::string data_;
};

DataFileWriter::~DataFileWriter() = default;

DataFileWriter::DataFileWriter(Storage& storage, std::vector<columnar::Field> schema,
                               std::string path, PartitionValues partition_values,
                               const WriteOptions& options, uint64_t expected_file_bytes,
                               size_t row_group_bytes)
    : storage_(storage),
      schema_(schema),
      path_(std::move(path)),
      partition_values_(std::move(partition_values)),
      options_(options),
      expected_file_bytes_(expected_file_bytes),
      row_group_bytes_(row_group_bytes),
      stats_(std::move(schema), options.stats) {}

Status DataFileWriter::write(const columnar::RecordBatch& batch) {
  if (batch.num_rows == 0) return {};
  if (!writer_) {
    // Rows per row group from the first batch's decoded size per row: the writer buffers that
    // many rows before it encodes them.
    const size_t row_bytes = std::max<size_t>(1, columnar::memory_bytes(batch) / batch.num_rows);
    parquet::WriterOptions parquet = options_.parquet;
    parquet.row_group_rows = std::clamp<size_t>(row_group_bytes_ / row_bytes, 1024,
                                                std::max<size_t>(parquet.row_group_rows, 1024));
    auto sink = std::make_unique<ReservedSink>(expected_file_bytes_);
    sink_ = sink.get();
    SL_ASSIGN_OR_RETURN(writer_, parquet::ParquetWriter::open(std::move(sink), schema_, parquet));
  }
  SL_TRY(writer_->write(batch));
  stats_.add(batch);
  rows_ += batch.num_rows;
  return {};
}

Result<Add> DataFileWriter::finish(bool data_change) {
  if (!writer_) {
    // No rows: a file of no row group, with the table's columns.
    auto sink = std::make_unique<ReservedSink>(0);
    sink_ = sink.get();
    SL_ASSIGN_OR_RETURN(writer_, parquet::ParquetWriter::open(std::move(sink), schema_,
                                                              options_.parquet));
  }
  SL_TRY(writer_->close());
  const std::string bytes = sink_->take();
  writer_.reset();
  SL_TRY(storage_.put(path_, bytes));
  Add add;
  add.path = encode_uri_path(path_);
  add.partition_values = std::move(partition_values_);
  add.size = static_cast<int64_t>(bytes.size());
  add.modification_time = now_ms(options_.transaction.now_ms);
  add.data_change = data_change;
  add.stats = stats_.json();
  return add;
}

}  // namespace sl::delta
