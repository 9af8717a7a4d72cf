// ParquetWriter: buffering into row groups, chunk writing, footer.
#include "parquet/file_writer.hpp"

namespace sl::parquet {

namespace {
constexpr std::string_view k_magic = "PAR1";
}

ParquetWriter::ParquetWriter(std::unique_ptr<ByteSink> sink, std::vector<Field> schema,
                             WriterOptions options)
    : sink_(std::move(sink)), schema_(std::move(schema)), options_(std::move(options)) {
  for (const auto& field : schema_) column_writers_.emplace_back(field, options_);
  SchemaElement root;
  root.name = "schema";
  root.repetition = Repetition::required;
  root.num_children = static_cast<int32_t>(schema_.size());
  metadata_.schema.push_back(root);
  for (const auto& field : schema_) metadata_.schema.push_back(schema_element_for(field));
  metadata_.created_by = options_.created_by;
  metadata_.key_value_metadata = options_.key_value_metadata;
  metadata_.leaf_count = schema_.size();
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::open(std::unique_ptr<ByteSink> sink,
                                                           std::vector<Field> schema,
                                                           WriterOptions options) {
  for (const auto& f : schema) {
    if (f.type.id == TypeId::decimal && (f.type.precision < 1 || f.type.precision > 18 ||
                                         f.type.scale < 0 || f.type.scale > f.type.precision)) {
      return make_error(Errc::unsupported, "parquet: decimal(" + std::to_string(f.type.precision) +
                                               "," + std::to_string(f.type.scale) +
                                               ") of column '" + f.name +
                                               "': precision must be 1..18 and scale 0..precision");
    }
  }
  if (options.row_group_rows == 0 || options.page_size == 0) {
    return make_error(Errc::invalid_argument, "parquet: row group and page sizes must be positive");
  }
  std::unique_ptr<ParquetWriter> writer(
      new ParquetWriter(std::move(sink), std::move(schema), std::move(options)));
  SL_TRY(writer->sink_->write(k_magic));
  return writer;
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::open(const std::filesystem::path& path,
                                                           std::vector<Field> schema,
                                                           WriterOptions options) {
  SL_ASSIGN_OR_RETURN(auto sink, FileSink::create(path));
  return open(std::move(sink), std::move(schema), std::move(options));
}

Status ParquetWriter::write(const RecordBatch& batch) {
  if (closed_) return make_error(Errc::invalid_argument, "parquet: write after close");
  if (batch.columns.size() != schema_.size()) {
    return make_error(Errc::invalid_argument,
                      "parquet: batch has " + std::to_string(batch.columns.size()) +
                          " columns, schema has " + std::to_string(schema_.size()));
  }
  for (size_t i = 0; i < schema_.size(); ++i) {
    const Column& c = batch.columns[i];
    if (!(c.type == schema_[i].type) || c.length != batch.num_rows) {
      return make_error(Errc::invalid_argument,
                        "parquet: column '" + schema_[i].name +
                            "' of the batch does not match the schema (type " +
                            std::string(type_name(c.type.id)) + ", " + std::to_string(c.length) +
                            " values)");
    }
    if (!schema_[i].nullable && c.null_count() > 0) {
      return make_error(Errc::invalid_argument,
                        "parquet: required column '" + schema_[i].name + "' has nulls");
    }
  }
  if (batch.num_rows == 0) return {};
  pending_.push_back(batch);
  pending_rows_ += batch.num_rows;
  while (pending_rows_ >= options_.row_group_rows) SL_TRY(flush_row_group(options_.row_group_rows));
  return {};
}

Status ParquetWriter::flush_row_group(size_t rows) {
  // Slices of the pending batches that make up `rows` rows.
  std::vector<std::vector<ColumnSlice>> slices(schema_.size());
  size_t taken = 0, batch_index = 0, offset = pending_offset_;
  while (taken < rows) {
    const RecordBatch& b = pending_[batch_index];
    size_t n = std::min(rows - taken, b.num_rows - offset);
    for (size_t c = 0; c < schema_.size(); ++c)
      slices[c].push_back({&b.columns[c], offset, offset + n});
    taken += n;
    offset += n;
    if (offset == b.num_rows) {
      ++batch_index;
      offset = 0;
    }
  }
  RowGroup group;
  group.num_rows = static_cast<int64_t>(rows);
  group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
  group.file_offset = static_cast<int64_t>(sink_->position());
  for (size_t c = 0; c < schema_.size(); ++c) {
    SL_ASSIGN_OR_RETURN(auto chunk, column_writers_[c].write(slices[c], *sink_));
    group.total_byte_size += chunk.meta_data.total_uncompressed_size;
    group.total_compressed_size += chunk.meta_data.total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  metadata_.num_rows += group.num_rows;
  metadata_.row_groups.push_back(std::move(group));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(batch_index));
  pending_offset_ = offset;
  pending_rows_ -= rows;
  return {};
}

Status ParquetWriter::close() {
  if (closed_) return {};
  if (pending_rows_ > 0) SL_TRY(flush_row_group(pending_rows_));
  closed_ = true;
  std::string footer;
  encode(metadata_, footer);
  uint32_t length = static_cast<uint32_t>(footer.size());
  footer.append(reinterpret_cast<const char*>(&length), 4);
  footer.append(k_magic);
  SL_TRY(sink_->write(footer));
  return sink_->close();
}

Status write_file(const std::filesystem::path& path, const RecordBatch& batch,
                  const WriterOptions& options) {
  SL_ASSIGN_OR_RETURN(auto writer, ParquetWriter::open(path, batch.schema, options));
  SL_TRY(writer->write(batch));
  return writer->close();
}

}  // namespace sl::parquet
