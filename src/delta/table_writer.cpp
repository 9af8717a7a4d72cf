// write_table / write_data_files / create_table / after_commit.
#include "delta/table_writer.hpp"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "columnar/batch_ops.hpp"
#include "common/fault_point.hpp"
#include "common/uuid.hpp"
#include "delta/checkpoint_writer.hpp"
#include "delta/log_cleanup.hpp"
#include "delta/partitions.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_features.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/file_writer.hpp"

namespace sl::delta {

using columnar::take_rows;

namespace {

std::string_view codec_suffix(parquet::Codec codec) {
  switch (codec) {
    case parquet::Codec::snappy:
      return ".snappy";
    case parquet::Codec::gzip:
      return ".gz";
    case parquet::Codec::zstd:
      return ".zstd";
    case parquet::Codec::lz4_raw:
      return ".lz4raw";
    default:
      return "";
  }
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"' + items[i] + '"';
  }
  return out + "]";
}

// Rows [begin, end) of `batch` as one Parquet file's bytes.
Result<std::string> encode_parquet(const columnar::RecordBatch& batch, size_t begin, size_t end,
                                   const WriteOptions& options) {
  auto sink = std::make_unique<parquet::MemorySink>();
  auto* memory = sink.get();
  // The rows are written at once: a row group of at most their count keeps the same layout and
  // lets the writer encode from the batch in place instead of copying them first.
  parquet::WriterOptions parquet = options.parquet;
  parquet.row_group_rows = std::clamp<size_t>(end - begin, 1, parquet.row_group_rows);
  SL_ASSIGN_OR_RETURN(auto writer,
                      parquet::ParquetWriter::open(std::move(sink), batch.schema, parquet));
  SL_TRY(writer->write(batch, begin, end));
  SL_TRY(writer->close());
  return memory->take();
}

Metadata new_metadata(const std::vector<StructField>& schema, const WriteOptions& options,
                      int64_t now) {
  Metadata m;
  m.id = random_uuid();
  m.name = options.table_name;
  m.schema_string = schema_to_json(Schema{schema});
  m.partition_columns = options.partition_columns;
  m.configuration = options.table_properties;
  m.created_time = now;
  return m;
}

// Delta has no unsigned type: a UINT64 column (from a Parquet file) would come back as a long
// with its values above 2^63 - 1 negative, so it is refused by name.
Status check_delta_types(const std::vector<columnar::Field>& fields, const std::string& parent) {
  for (const auto& f : fields) {
    const std::string path = parent.empty() ? f.name : parent + "." + f.name;
    if (f.type.is_unsigned) {
      return make_error(Errc::unsupported,
                        "column '" + path +
                            "' is uint64, which Delta has no type for (cast it to a long or a "
                            "decimal(20,0) first)");
    }
    SL_TRY(check_delta_types(f.children, path));
  }
  return {};
}

Status check_partition_columns(const std::vector<StructField>& schema,
                               const std::vector<std::string>& partition_columns) {
  for (const auto& p : partition_columns) {
    const StructField* f = nullptr;
    for (const auto& s : schema) {
      if (s.name == p) f = &s;
    }
    if (!f)
      return make_error(Errc::invalid_argument,
                        "partition column '" + p + "' is not in the schema");
    if (f->type.kind != DataType::Kind::primitive) {
      return make_error(Errc::invalid_argument, "partition column '" + p + "' has a nested type");
    }
  }
  return {};
}

// Checks the batch against the table schema; returns the merged schema when columns are added.
Result<std::optional<std::vector<StructField>>> reconcile_schema(const Schema& table,
                                                                 const columnar::RecordBatch& batch,
                                                                 bool merge_schema) {
  std::vector<StructField> merged = table.fields;
  bool added = false;
  for (const auto& field : batch.schema) {
    StructField incoming = from_parquet_field(field);
    const StructField* existing = table.find(field.name);
    if (!existing) {
      if (!merge_schema) {
        return make_error(Errc::invalid_argument,
                          "column '" + field.name +
                              "' is not in the table schema (write with schema merging to add it)");
      }
      incoming.nullable = true;  // rows already in the table have no value for it
      merged.push_back(incoming);
      added = true;
      continue;
    }
    SL_ASSIGN_OR_RETURN(auto expected, to_parquet_field(*existing));
    if (!(expected.type == field.type)) {
      return make_error(Errc::invalid_argument,
                        "column '" + field.name + "' is " + type_to_string(incoming.type) +
                            " in the data but " + type_to_string(existing->type) + " in the table");
    }
  }
  for (const auto& f : table.fields) {
    bool present = false;
    for (const auto& b : batch.schema) present |= b.name == f.name;
    if (!present && !f.nullable) {
      return make_error(Errc::invalid_argument,
                        "non-nullable column '" + f.name + "' is missing from the data");
    }
  }
  if (!added) return std::optional<std::vector<StructField>>{};
  return std::optional<std::vector<StructField>>(std::move(merged));
}

}  // namespace

std::string new_data_file_path(std::string_view directory, int number, parquet::Codec codec) {
  char digits[8];
  std::snprintf(digits, sizeof digits, "%05d", number % 100000);
  return std::string(directory) + "part-" + digits + "-" + random_uuid() + "-c000" +
         std::string(codec_suffix(codec)) + ".parquet";
}

namespace {

// The rows of `data` as data files, grouped by the values of `partitions` (the partition columns,
// row for row with `data`; none: one group).
Result<std::vector<Add>> write_partitioned(Storage& storage, const columnar::RecordBatch& partitions,
                                           const columnar::RecordBatch& data,
                                           const WriteOptions& options, bool data_change) {
  // Rows per partition, in order of first appearance.
  struct Group {
    PartitionValues values;
    std::string directory;
    std::vector<uint32_t> rows;
  };
  std::vector<Group> groups;
  if (partitions.columns.empty()) {
    groups.push_back({});
  } else {
    // A row's group is its predecessor's while the values stay the same (rows come in runs: a
    // Silver file's rows are all one partition); a new run's group is found by its values' raw
    // bytes, and only a new group's values are formatted as text (once per partition, where
    // formatting and hashing them per row cost ~6 % of the full refresh).
    std::unordered_map<std::string, size_t> by_key;
    std::string key;
    size_t group = 0;
    for (size_t row = 0; row < data.num_rows; ++row) {
      bool same = row > 0;
      for (size_t k = 0; same && k < partitions.columns.size(); ++k)
        same = same_partition_value(partitions.columns[k], row - 1, row);
      if (!same) {
        key.clear();
        for (const auto& c : partitions.columns) append_partition_key(c, row, key);
        auto [it, inserted] = by_key.try_emplace(key, groups.size());
        if (inserted) {
          PartitionValues values;
          std::string directory;
          for (size_t k = 0; k < partitions.columns.size(); ++k) {
            const auto& name = partitions.schema[k].name;
            SL_ASSIGN_OR_RETURN(auto v, partition_value_of(partitions.columns[k], row, name));
            directory += partition_directory(name, v) + "/";
            values.emplace(name, std::move(v));
          }
          groups.push_back({std::move(values), std::move(directory), {}});
        }
        group = it->second;
      }
      groups[group].rows.push_back(static_cast<uint32_t>(row));
    }
  }

  std::vector<Add> adds;
  int file_number = 0;
  for (auto& group : groups) {
    const bool all_rows = partitions.columns.empty() || groups.size() == 1;  // rows 0..n-1
    size_t group_rows = all_rows ? data.num_rows : group.rows.size();
    for (size_t begin = 0; begin < group_rows || (begin == 0 && group_rows == 0 && adds.empty());
         begin += options.max_rows_per_file) {
      size_t end = std::min(group_rows, begin + options.max_rows_per_file);
      // Every row in one group: its files are ranges of the batch, written from it in place.
      // Otherwise the group's rows of this file are copied out first.
      columnar::RecordBatch part;
      const columnar::RecordBatch* file_batch = &data;
      size_t first = begin, last = end;
      if (!all_rows) {
        part = take_rows(data, std::vector<uint32_t>(group.rows.begin() + begin,
                                                     group.rows.begin() + end));
        file_batch = &part;
        first = 0;
        last = part.num_rows;
      }
      SL_ASSIGN_OR_RETURN(auto bytes, encode_parquet(*file_batch, first, last, options));
      std::string path = new_data_file_path(group.directory, file_number++, options.parquet.codec);
      SL_TRY(storage.put(path, bytes));
      Add add;
      add.path = encode_uri_path(path);
      add.partition_values = group.values;
      add.size = static_cast<int64_t>(bytes.size());
      add.modification_time = now_ms(options.transaction.now_ms);
      add.data_change = data_change;
      add.stats = collect_stats(*file_batch, first, last, options.stats);
      adds.push_back(std::move(add));
      if (end >= group_rows) break;
    }
  }
  return adds;
}

// `batch`'s partition columns moved (a batch taken over) or copied into `partitions`, the others
// into `data`, each in the batch's order.
template <class Batch>
Status split_partition_columns(Batch&& batch, const std::vector<std::string>& partition_columns,
                               columnar::RecordBatch& partitions, columnar::RecordBatch& data) {
  constexpr bool owned = !std::is_lvalue_reference_v<Batch>;
  for (size_t i = 0; i < batch.schema.size(); ++i) {
    const bool is_partition = std::find(partition_columns.begin(), partition_columns.end(),
                                        batch.schema[i].name) != partition_columns.end();
    auto& to = is_partition ? partitions : data;
    to.schema.push_back(batch.schema[i]);
    if constexpr (owned) {
      to.columns.push_back(std::move(batch.columns[i]));
    } else {
      to.columns.push_back(batch.columns[i]);
    }
  }
  if (partitions.columns.size() != partition_columns.size())
    return make_error(Errc::invalid_argument, "the data lacks a partition column");
  partitions.num_rows = data.num_rows = batch.num_rows;
  return {};
}

}  // namespace

Result<std::vector<Add>> write_data_files(Storage& storage, const columnar::RecordBatch& batch,
                                          const std::vector<std::string>& partition_columns,
                                          const WriteOptions& options, bool data_change) {
  // Without partition columns the batch itself is written (a copy would double the memory a big
  // batch holds while it is encoded).
  if (partition_columns.empty()) return write_partitioned(storage, {}, batch, options, data_change);
  columnar::RecordBatch partitions, data;
  SL_TRY(split_partition_columns(batch, partition_columns, partitions, data));
  return write_partitioned(storage, partitions, data, options, data_change);
}

Result<std::vector<Add>> write_data_files(Storage& storage, columnar::RecordBatch&& batch,
                                          const std::vector<std::string>& partition_columns,
                                          const WriteOptions& options, bool data_change) {
  columnar::RecordBatch partitions, data;
  SL_TRY(split_partition_columns(std::move(batch), partition_columns, partitions, data));
  batch = {};
  return write_partitioned(storage, partitions, data, options, data_change);
}

Result<CommitResult> create_table(Storage& storage, const std::vector<StructField>& schema,
                                  const WriteOptions& options) {
  SL_TRY(check_partition_columns(schema, options.partition_columns));
  for (const auto& f : schema) SL_TRY(to_parquet_field(f));
  auto txn = Transaction::for_new_table(storage, options.transaction);
  txn.set_protocol(Protocol{});
  txn.set_metadata(new_metadata(schema, options, now_ms(options.transaction.now_ms)));
  txn.set_operation("CREATE TABLE", {{"isManaged", "false"},
                                     {"description", ""},
                                     {"partitionBy", json_list(options.partition_columns)},
                                     {"properties", "{}"}});
  return txn.commit();
}

Result<WriteResult> write_table(Storage& storage, const columnar::RecordBatch& batch,
                                const WriteOptions& options) {
  WriteResult result;
  SL_TRY(check_delta_types(batch.schema, ""));
  auto snapshot = load_snapshot(storage);
  bool creating = !snapshot.ok() && snapshot.error().code == Errc::not_found;
  if (!snapshot.ok() && !creating) return snapshot.error();

  std::vector<std::string> partition_columns =
      creating ? options.partition_columns : snapshot->metadata.partition_columns;
  if (!creating && options.app_transaction) {
    auto done = snapshot->app_version(options.app_transaction->first);
    if (done && *done >= options.app_transaction->second) {
      result.version = snapshot->version;
      result.skipped = true;
      return result;
    }
  }
  for (const auto& app : options.app_transactions) {
    if (!app.check) continue;
    std::optional<int64_t> current;
    if (!creating) current = snapshot->app_version(app.app_id);
    if (current != app.expected) {
      auto text = [](std::optional<int64_t> v) { return v ? std::to_string(*v) : "none"; };
      return make_error(Errc::conflict, storage.describe("") + ": application '" + app.app_id +
                                            "' is at version " + text(current) + ", expected " +
                                            text(app.expected) + " (another writer took it over)");
    }
  }
  std::optional<Metadata> new_table_metadata;
  if (creating) {
    std::vector<StructField> schema;
    for (const auto& f : batch.schema) schema.push_back(from_parquet_field(f));
    SL_TRY(check_partition_columns(schema, partition_columns));
    new_table_metadata = new_metadata(schema, options, now_ms(options.transaction.now_ms));
  } else {
    if (auto s = check_write_supported(snapshot->protocol, snapshot->metadata); !s.ok()) {
      return s.error().with_context(storage.describe(""));
    }
    // A batch without columns holds no row to check (it writes no file, below).
    std::optional<std::vector<StructField>> merged;
    if (!batch.schema.empty() || batch.num_rows > 0) {
      SL_ASSIGN_OR_RETURN(merged, reconcile_schema(snapshot->schema, batch, options.merge_schema));
    }
    if (merged) {
      Metadata m = snapshot->metadata;
      m.schema_string = schema_to_json(Schema{std::move(*merged)});
      new_table_metadata = std::move(m);
    }
  }

  std::vector<Add> adds = options.staged_files;
  // A batch without columns writes no file: a commit of its txns alone (a log position moved
  // past records that hold no row, e.g. Bronze skipping a poison record).
  if (batch.num_rows > 0 || (adds.empty() && !batch.schema.empty())) {
    SL_ASSIGN_OR_RETURN(auto written,
                        write_data_files(storage, batch, partition_columns, options, true));
    adds.insert(adds.end(), std::make_move_iterator(written.begin()),
                std::make_move_iterator(written.end()));
  }
  fault_point("delta.write.before_commit");  // data files durable, nothing committed yet
  result.files_added = adds.size();
  result.rows = batch.num_rows + options.staged_rows;
  for (const auto& a : adds) result.bytes += static_cast<uint64_t>(a.size);

  auto txn = creating ? Transaction::for_new_table(storage, options.transaction)
                      : Transaction::for_snapshot(storage, *snapshot, options.transaction);
  if (creating) txn.set_protocol(Protocol{});
  if (new_table_metadata) txn.set_metadata(*new_table_metadata);
  std::string mode = "Append";
  if (!creating && options.mode != WriteMode::append) {
    mode = "Overwrite";
    std::vector<Remove> removes;
    std::vector<PartitionValues> replaced;
    for (const auto& a : adds) replaced.push_back(a.partition_values);
    int64_t now = now_ms(options.transaction.now_ms);
    for (const auto& f : snapshot->files) {
      if (options.mode == WriteMode::overwrite_partitions &&
          std::find(replaced.begin(), replaced.end(), f.partition_values) == replaced.end()) {
        continue;
      }
      removes.push_back(remove_of(f, now, /*data_change=*/true));
    }
    result.files_removed = removes.size();
    txn.remove_files(std::move(removes));
    txn.set_read_whole_table(true);
  }
  txn.add_files(std::move(adds));
  if (options.app_transaction) {
    txn.set_app_transaction(options.app_transaction->first, options.app_transaction->second);
  }
  for (const auto& app : options.app_transactions) txn.set_app_transaction(app.app_id, app.version);
  StringMap parameters = {{"mode", creating ? "ErrorIfExists" : mode},
                          {"partitionBy", json_list(partition_columns)}};
  for (const auto& [k, v] : options.extra_operation_parameters) parameters[k] = v;
  txn.set_operation(options.operation, std::move(parameters),
                    {{"numFiles", std::to_string(result.files_added)},
                     {"numOutputRows", std::to_string(result.rows)},
                     {"numOutputBytes", std::to_string(result.bytes)}});
  SL_ASSIGN_OR_RETURN(auto committed, txn.commit());
  result.version = committed.version;
  result.attempts = committed.attempts;
  if (options.write_checkpoints) {
    int64_t interval =
        checkpoint_interval(new_table_metadata ? *new_table_metadata : snapshot->metadata);
    auto s = after_commit(storage, committed.version, interval, options.transaction);
    if (!s.ok() && s.error().code != Errc::unsupported) {
      spdlog::warn("delta: version {} of {} committed, but its checkpoint failed: {}",
                   committed.version, storage.describe(""), s.error().to_string());
    }
  }
  return result;
}

Status after_commit(Storage& storage, int64_t version, int64_t interval,
                    const TransactionOptions& options) {
  if (version == 0 || interval <= 0 || version % interval != 0) return {};
  SnapshotOptions snapshot_options;
  snapshot_options.version = version;
  SL_ASSIGN_OR_RETURN(auto snapshot, load_snapshot(storage, snapshot_options));
  SL_TRY(write_checkpoint(storage, snapshot, now_ms(options.now_ms)));
  SL_TRY(cleanup_expired_logs(storage, snapshot, now_ms(options.now_ms)));
  return {};
}

}  // namespace sl::delta
