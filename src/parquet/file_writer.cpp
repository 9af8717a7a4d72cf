// ParquetWriter: buffering into row groups, chunk writing, footer.
#include "parquet/file_writer.hpp"

#include <algorithm>

#include "common/parallel.hpp"

namespace sl::parquet {

using columnar::Column;
using columnar::Field;
using columnar::RecordBatch;

namespace {
constexpr std::string_view k_magic = "PAR1";
// Below this many rows a row group is encoded on one thread: starting threads and buffering the
// chunks would cost more than they save.
constexpr size_t k_parallel_rows = 64 * 1024;
}

ParquetWriter::ParquetWriter(std::unique_ptr<ByteSink> sink, std::vector<Field> schema,
                             WriterOptions options)
    : sink_(std::move(sink)), schema_(std::move(schema)), options_(std::move(options)) {
  for (const auto& field : schema_) {
    shredders_.emplace_back(field);
    for (auto& leaf : leaf_columns(field)) column_writers_.emplace_back(std::move(leaf), options_);
  }
  SchemaElement root;
  root.name = "schema";
  root.repetition = Repetition::required;
  root.num_children = static_cast<int32_t>(schema_.size());
  metadata_.schema.push_back(root);
  for (const auto& field : schema_) append_schema_elements(field, metadata_.schema);
  metadata_.created_by = options_.created_by;
  metadata_.key_value_metadata = options_.key_value_metadata;
  metadata_.leaf_count = column_writers_.size();
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::open(std::unique_ptr<ByteSink> sink,
                                                           std::vector<Field> schema,
                                                           WriterOptions options) {
  SL_TRY(check_schema(schema));
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

Status ParquetWriter::write(const RecordBatch& batch) { return write(batch, 0, batch.num_rows); }

Status ParquetWriter::write(const RecordBatch& batch, size_t first_row, size_t end_row) {
  if (closed_) return make_error(Errc::invalid_argument, "parquet: write after close");
  if (batch.columns.size() != schema_.size()) {
    return make_error(Errc::invalid_argument,
                      "parquet: batch has " + std::to_string(batch.columns.size()) +
                          " columns, schema has " + std::to_string(schema_.size()));
  }
  for (size_t i = 0; i < schema_.size(); ++i) {
    const Column& c = batch.columns[i];
    if (c.length != batch.num_rows) {
      return make_error(Errc::invalid_argument, "parquet: column '" + schema_[i].name +
                                                    "' of the batch has " +
                                                    std::to_string(c.length) + " values for " +
                                                    std::to_string(batch.num_rows) + " rows");
    }
    SL_TRY(check_column(schema_[i], c, schema_[i].name));
  }
  if (first_row > end_row || end_row > batch.num_rows)
    return make_error(Errc::invalid_argument, "parquet: rows out of the batch");
  if (first_row == end_row) return {};
  // Whole row groups go straight from the caller's batch when nothing is pending; only the rest
  // is copied (a big batch is not duplicated in memory).
  size_t begin = first_row;
  const size_t group_rows = options_.row_group_rows;
  while (pending_rows_ == 0 && end_row - begin >= group_rows) {
    std::vector<std::vector<ColumnSlice>> slices(schema_.size());
    for (size_t c = 0; c < schema_.size(); ++c)
      slices[c].push_back({&batch.columns[c], begin, begin + group_rows});
    SL_TRY(write_row_group(slices, group_rows));
    begin += group_rows;
  }
  if (begin == end_row) return {};
  if (begin == 0 && end_row == batch.num_rows) {
    pending_.push_back(batch);
  } else {
    RecordBatch rest{batch.schema, {}, end_row - begin};
    for (size_t c = 0; c < schema_.size(); ++c) {
      rest.columns.push_back(Column::for_field(schema_[c]));
      rest.columns.back().append_rows(batch.columns[c], begin, end_row);
    }
    pending_.push_back(std::move(rest));
  }
  pending_rows_ += end_row - begin;
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
  SL_TRY(write_row_group(slices, rows));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(batch_index));
  pending_offset_ = offset;
  pending_rows_ -= rows;
  return {};
}

Status ParquetWriter::encode_column(size_t c, const std::vector<ColumnSlice>& slices,
                                    size_t first_leaf, ByteSink& sink,
                                    std::vector<ShreddedLeaf>& scratch,
                                    std::vector<ColumnChunk>& out) {
  for (auto& l : scratch) l.clear();
  for (const auto& slice : slices) SL_TRY(shredders_[c].shred(slice, scratch));
  for (size_t k = 0; k < shredders_[c].leaf_count(); ++k) {
    SL_ASSIGN_OR_RETURN(auto chunk, column_writers_[first_leaf + k].write(scratch[k], sink));
    out.push_back(std::move(chunk));
  }
  return {};
}

Status ParquetWriter::write_row_group(const std::vector<std::vector<ColumnSlice>>& slices,
                                      size_t rows) {
  RowGroup group;
  group.num_rows = static_cast<int64_t>(rows);
  group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
  group.file_offset = static_cast<int64_t>(sink_->position());
  std::vector<size_t> first_leaf(schema_.size() + 1, 0);
  for (size_t c = 0; c < schema_.size(); ++c)
    first_leaf[c + 1] = first_leaf[c] + shredders_[c].leaf_count();
  auto add = [&group](ColumnChunk chunk) {
    group.total_byte_size += chunk.meta_data.total_uncompressed_size;
    group.total_compressed_size += chunk.meta_data.total_compressed_size;
    group.columns.push_back(std::move(chunk));
  };
  const size_t threads = options_.threads > 0 ? options_.threads : hardware_threads();
  if (threads <= 1 || schema_.size() < 2 || rows < k_parallel_rows) {
    for (size_t c = 0; c < schema_.size(); ++c) {
      std::vector<ColumnChunk> chunks;
      SL_TRY(encode_column(c, slices[c], first_leaf[c], *sink_, shredded_, chunks));
      for (auto& chunk : chunks) add(std::move(chunk));
    }
  } else {
    // Columns are independent (each leaf has its own writer and scratch): encoded at once into
    // buffers, then appended in schema order, their offsets moved to where they land.
    std::vector<MemorySink> buffers(schema_.size());
    std::vector<std::vector<ColumnChunk>> chunks(schema_.size());
    std::vector<Status> status(schema_.size());
    parallel_for(schema_.size(), threads, [&](size_t c) {
      std::vector<ShreddedLeaf> scratch;
      status[c] = encode_column(c, slices[c], first_leaf[c], buffers[c], scratch, chunks[c]);
    });
    for (size_t c = 0; c < schema_.size(); ++c) {
      SL_TRY(status[c]);
      const auto base = static_cast<int64_t>(sink_->position());
      for (auto& chunk : chunks[c]) {
        chunk.file_offset += base;
        chunk.meta_data.data_page_offset += base;
        if (chunk.meta_data.dictionary_page_offset) *chunk.meta_data.dictionary_page_offset += base;
        add(std::move(chunk));
      }
      SL_TRY(sink_->write(buffers[c].data()));
      buffers[c] = MemorySink();
    }
  }
  metadata_.num_rows += group.num_rows;
  metadata_.row_groups.push_back(std::move(group));
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
