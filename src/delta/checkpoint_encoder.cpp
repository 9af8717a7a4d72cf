// CheckpointEncoder: each append() fills the action's struct column and a null in the others.
#include "delta/checkpoint_encoder.hpp"

namespace sl::delta {

namespace {

using columnar::Column;
namespace f = checkpoint_field;

void put(Column& column, std::string_view value) {
  column.append_string(value);
}
void put(Column& column, int64_t value) {
  column.append_i64(value);
}
void put(Column& column, int32_t value) {
  column.append_i32(value);
}
void put(Column& column, bool value) {
  column.append_bool(value);
}

template <typename T>
void put(Column& column, const std::optional<T>& value) {
  if (value) {
    put(column, *value);
  } else {
    column.append_null();
  }
}

template <typename Map>
void put_map(Column& column, const Map& map) {
  for (const auto& [key, value] : map) {
    put(column.children[0], key);
    put(column.children[1], value);
  }
  column.end_list();
}

void put_list(Column& column, const std::optional<std::vector<std::string>>& values) {
  if (!values) return column.append_null();
  for (const auto& v : *values) put(column.children[0], v);
  column.end_list();
}

void put_deletion_vector(Column& column, const std::optional<DeletionVector>& dv) {
  if (!dv) return column.append_null();
  auto& c = column.children;
  put(c[f::dv_storage_type], dv->storage_type);
  put(c[f::dv_path_or_inline_dv], dv->path_or_inline_dv);
  put(c[f::dv_offset], dv->offset);
  put(c[f::dv_size_in_bytes], dv->size_in_bytes);
  put(c[f::dv_cardinality], dv->cardinality);
  c[f::dv_max_row_index].append_null();  // not kept by our model; optional in the protocol
  column.append_struct();
}

}  // namespace

CheckpointEncoder::CheckpointEncoder() : schema_(checkpoint_schema()) {
  for (size_t i = 0; i < k_checkpoint_columns; ++i) columns_[i] = Column::for_field(schema_[i]);
}

Column& CheckpointEncoder::start_row(CheckpointColumn column) {
  for (size_t i = 0; i < k_checkpoint_columns; ++i) {
    if (i != static_cast<size_t>(column)) columns_[i].append_null();
  }
  ++rows_;
  return columns_[static_cast<size_t>(column)];
}

void CheckpointEncoder::append(const Protocol& protocol) {
  auto& column = start_row(CheckpointColumn::protocol);
  auto& c = column.children;
  put(c[f::protocol_min_reader_version], protocol.min_reader_version);
  put(c[f::protocol_min_writer_version], protocol.min_writer_version);
  put_list(c[f::protocol_reader_features], protocol.reader_features);
  put_list(c[f::protocol_writer_features], protocol.writer_features);
  column.append_struct();
}

void CheckpointEncoder::append(const Metadata& metadata) {
  auto& column = start_row(CheckpointColumn::metadata);
  auto& c = column.children;
  put(c[f::metadata_id], metadata.id);
  put(c[f::metadata_name], metadata.name);
  put(c[f::metadata_description], metadata.description);
  auto& format = c[f::metadata_format];
  put(format.children[f::format_provider], metadata.format.provider);
  put_map(format.children[f::format_options], metadata.format.options);
  format.append_struct();
  put(c[f::metadata_schema_string], metadata.schema_string);
  put_list(c[f::metadata_partition_columns], metadata.partition_columns);
  put_map(c[f::metadata_configuration], metadata.configuration);
  put(c[f::metadata_created_time], metadata.created_time);
  column.append_struct();
}

void CheckpointEncoder::append(const Txn& txn) {
  auto& column = start_row(CheckpointColumn::txn);
  auto& c = column.children;
  put(c[f::txn_app_id], txn.app_id);
  put(c[f::txn_version], txn.version);
  put(c[f::txn_last_updated], txn.last_updated);
  column.append_struct();
}

void CheckpointEncoder::append(const DomainMetadata& domain) {
  auto& column = start_row(CheckpointColumn::domain_metadata);
  auto& c = column.children;
  put(c[f::domain_domain], domain.domain);
  put(c[f::domain_configuration], domain.configuration);
  put(c[f::domain_removed], domain.removed);
  column.append_struct();
}

void CheckpointEncoder::append(const Add& add) {
  auto& column = start_row(CheckpointColumn::add);
  auto& c = column.children;
  put(c[f::add_path], add.path);
  put_map(c[f::add_partition_values], add.partition_values);
  put(c[f::add_size], add.size);
  put(c[f::add_modification_time], add.modification_time);
  put(c[f::add_data_change], add.data_change);
  if (add.tags.empty()) {
    c[f::add_tags].append_null();
  } else {
    put_map(c[f::add_tags], add.tags);
  }
  put_deletion_vector(c[f::add_deletion_vector], add.deletion_vector);
  put(c[f::add_base_row_id], add.base_row_id);
  put(c[f::add_default_row_commit_version], add.default_row_commit_version);
  put(c[f::add_stats], add.stats);
  column.append_struct();
}

void CheckpointEncoder::append(const Remove& remove) {
  auto& column = start_row(CheckpointColumn::remove);
  auto& c = column.children;
  put(c[f::remove_path], remove.path);
  put(c[f::remove_deletion_timestamp], remove.deletion_timestamp);
  put(c[f::remove_data_change], remove.data_change);
  put(c[f::remove_extended_file_metadata], remove.extended_file_metadata);
  if (remove.partition_values) {
    put_map(c[f::remove_partition_values], *remove.partition_values);
  } else {
    c[f::remove_partition_values].append_null();
  }
  put(c[f::remove_size], remove.size);
  put_deletion_vector(c[f::remove_deletion_vector], remove.deletion_vector);
  put(c[f::remove_base_row_id], remove.base_row_id);
  put(c[f::remove_default_row_commit_version], remove.default_row_commit_version);
  column.append_struct();
}

columnar::RecordBatch CheckpointEncoder::finish() {
  columnar::RecordBatch batch;
  batch.schema = schema_;
  batch.num_rows = rows_;
  for (auto& column : columns_) batch.columns.push_back(std::move(column));
  for (size_t i = 0; i < k_checkpoint_columns; ++i) columns_[i] = Column::for_field(schema_[i]);
  rows_ = 0;
  return batch;
}

}  // namespace sl::delta
