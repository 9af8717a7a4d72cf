// The Parquet schema of a classic checkpoint, field for field what Spark 3.4 / Delta 3.x writes
// (reference/delta-lake.md §3.1): one optional struct column per action, every field optional,
// maps in the standard MAP layout with required string keys, lists in the 3-level LIST layout.
//
//   txn      {appId, version, lastUpdated}
//   add      {path, partitionValues, size, modificationTime, dataChange, tags, deletionVector,
//             baseRowId, defaultRowCommitVersion, stats}
//   remove   {path, deletionTimestamp, dataChange, extendedFileMetadata, partitionValues, size,
//             deletionVector, baseRowId, defaultRowCommitVersion}
//   metaData {id, name, description, format{provider, options}, schemaString, partitionColumns,
//             configuration, createdTime}
//   protocol {minReaderVersion, minWriterVersion, readerFeatures, writerFeatures}
//   domainMetadata {domain, configuration, removed}
//
// Readers (ours included) match columns by name, never by position: other writers order and
// nest them differently (arrow-rs names the map group `entries`).
#pragma once

#include <vector>

#include "columnar/column.hpp"

namespace sl::delta {

// Child positions in the structs we write (the order above).
namespace checkpoint_field {
enum Txn { txn_app_id, txn_version, txn_last_updated };
enum Add {
  add_path,
  add_partition_values,
  add_size,
  add_modification_time,
  add_data_change,
  add_tags,
  add_deletion_vector,
  add_base_row_id,
  add_default_row_commit_version,
  add_stats
};
enum Remove {
  remove_path,
  remove_deletion_timestamp,
  remove_data_change,
  remove_extended_file_metadata,
  remove_partition_values,
  remove_size,
  remove_deletion_vector,
  remove_base_row_id,
  remove_default_row_commit_version
};
enum Metadata {
  metadata_id,
  metadata_name,
  metadata_description,
  metadata_format,
  metadata_schema_string,
  metadata_partition_columns,
  metadata_configuration,
  metadata_created_time
};
enum Format { format_provider, format_options };
enum Protocol {
  protocol_min_reader_version,
  protocol_min_writer_version,
  protocol_reader_features,
  protocol_writer_features
};
enum DomainMetadata { domain_domain, domain_configuration, domain_removed };
enum DeletionVector {
  dv_storage_type,
  dv_path_or_inline_dv,
  dv_offset,
  dv_size_in_bytes,
  dv_cardinality,
  dv_max_row_index
};
}  // namespace checkpoint_field

// Top-level columns, in the order we write them.
enum class CheckpointColumn { txn, add, remove, metadata, protocol, domain_metadata };
constexpr size_t k_checkpoint_columns = 6;

std::vector<columnar::Field> checkpoint_schema();

}  // namespace sl::delta
