// Delta log actions (PROTOCOL.md "Actions"): the model, independent of its JSON and Parquet forms
// (actions_json.cpp, checkpoint_encoder.cpp and checkpoint_decoder.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/shared_text.hpp"

namespace sl::delta {

// Wire names of the actions (the top-level key of a log line, the checkpoint column).
constexpr std::string_view k_add = "add";
constexpr std::string_view k_remove = "remove";
constexpr std::string_view k_metadata = "metaData";
constexpr std::string_view k_protocol = "protocol";
constexpr std::string_view k_txn = "txn";
constexpr std::string_view k_commit_info = "commitInfo";
constexpr std::string_view k_domain_metadata = "domainMetadata";
constexpr std::string_view k_cdc = "cdc";
constexpr std::string_view k_checkpoint_metadata = "checkpointMetadata";
constexpr std::string_view k_sidecar = "sidecar";

using StringMap = std::map<std::string, std::string>;
// Partition values: a null value is JSON null (and "" is read as null, per the protocol).
using PartitionValues = std::map<std::string, std::optional<std::string>>;

struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  std::optional<std::vector<std::string>> reader_features;  // only with reader version 3
  std::optional<std::vector<std::string>> writer_features;  // only with writer version 7
  bool operator==(const Protocol&) const = default;
};

struct Format {
  std::string provider = "parquet";
  StringMap options;
  bool operator==(const Format&) const = default;
};

struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  Format format;
  std::string schema_string;
  std::vector<std::string> partition_columns;
  StringMap configuration;
  std::optional<int64_t> created_time;
  bool operator==(const Metadata&) const = default;
};

// A deletion vector descriptor; only its identity matters to us (tables using them need the
// deletionVectors reader feature, which we refuse by name).
struct DeletionVector {
  std::string storage_type;
  std::string path_or_inline_dv;
  std::optional<int32_t> offset;
  int32_t size_in_bytes = 0;
  int64_t cardinality = 0;
  std::string unique_id() const {
    return storage_type + path_or_inline_dv + (offset ? "@" + std::to_string(*offset) : "");
  }
  bool operator==(const DeletionVector&) const = default;
};

struct Add {
  std::string path;  // relative URI (percent-encoded) or absolute URI
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  // JSON text. From a checkpoint, a view into its decoded stats column, which the adds share
  // (SharedText): no copy per file, and the column lives as long as one Add holding it.
  std::optional<SharedText> stats;
  StringMap tags;
  std::optional<DeletionVector> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;
  bool operator==(const Add&) const = default;
};

struct Remove {
  std::string path;
  std::optional<int64_t> deletion_timestamp;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<std::string> stats;
  StringMap tags;
  std::optional<DeletionVector> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  bool operator==(const Remove&) const = default;
};

// The remove of a live file, carrying what the protocol asks for (extended file metadata: its
// partition values and size; its deletion vector, which names the rows that were already gone)
// so that a reader of this commit alone can account for the file. `data_change` false for a
// rewrite that changes no row (compaction).
inline Remove remove_of(const Add& file, int64_t deletion_timestamp_ms, bool data_change) {
  Remove r;
  r.path = file.path;
  r.deletion_timestamp = deletion_timestamp_ms;
  r.data_change = data_change;
  r.extended_file_metadata = true;
  r.partition_values = file.partition_values;
  r.size = file.size;
  r.deletion_vector = file.deletion_vector;
  return r;
}

struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
  bool operator==(const Txn&) const = default;
};

// commitInfo is free-form: the known fields are parsed, the whole object is kept verbatim.
struct CommitInfo {
  std::optional<int64_t> timestamp;
  std::optional<std::string> operation;
  StringMap operation_parameters;  // values as strings (non-string values re-encoded as JSON)
  std::optional<int64_t> read_version;
  std::optional<std::string> isolation_level;
  std::optional<bool> is_blind_append;
  StringMap operation_metrics;
  std::optional<std::string> engine_info;
  std::optional<std::string> txn_id;
  std::string json;  // the original object (empty when built by us: encoded from the fields)
  bool operator==(const CommitInfo&) const = default;
};

struct DomainMetadata {
  std::string domain;
  std::string configuration;
  bool removed = false;
  bool operator==(const DomainMetadata&) const = default;
};

// Change-data file (CDF); kept so the log round-trips, ignored by snapshot and scan.
struct Cdc {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  bool data_change = false;
  bool operator==(const Cdc&) const = default;
};

using Action = std::variant<Add, Remove, Metadata, Protocol, Txn, CommitInfo, DomainMetadata, Cdc>;

// The key that identifies a logical file across adds and removes: (path, deletion vector id).
std::string file_key(std::string_view path, const std::optional<DeletionVector>& dv);

}  // namespace sl::delta
