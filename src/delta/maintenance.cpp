// optimize and vacuum.
#include "delta/maintenance.hpp"

#include <map>
#include <unordered_set>

#include <algorithm>
#include <optional>

#include "columnar/batch_ops.hpp"
#include "common/fault_point.hpp"
#include "delta/data_file_writer.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

namespace {

// Rewrites one group's rows as new files of up to `write.max_rows_per_file` rows, streaming: the
// files are read a row group at a time (ScanOptions::batch_per_row_group) into a DataFileWriter,
// so what is decoded at once is one input row group and one output row group, whatever the
// group's size. Every new file is appended to `adds` as soon as it is stored (the caller deletes
// them when the commit does not land).
Status rewrite_group(Storage& storage, const Snapshot& snapshot, const std::vector<Add>& files,
                     const WriteOptions& write, size_t row_group_bytes, std::vector<Add>& adds,
                     size_t& rows) {
  Snapshot part = snapshot;
  part.files = files;
  ScanOptions read;
  read.batch_per_row_group = true;
  SL_ASSIGN_OR_RETURN(auto fields, scan_schema(part, read));
  std::vector<size_t> data_columns;
  std::vector<columnar::Field> data_fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (snapshot.is_partition_column(fields[i].name)) continue;
    data_columns.push_back(i);
    data_fields.push_back(fields[i]);
  }
  // One partition: its folder from the table's partition columns, in order.
  const PartitionValues& values = files.front().partition_values;
  std::string directory;
  for (const auto& column : snapshot.metadata.partition_columns) {
    auto it = values.find(column);
    directory += partition_directory(column, it == values.end() ? std::nullopt : it->second) + "/";
  }
  uint64_t group_bytes = 0;
  for (const auto& f : files) group_bytes += static_cast<uint64_t>(std::max<int64_t>(f.size, 0));
  const size_t max_rows = std::max<size_t>(write.max_rows_per_file, 1);

  std::optional<DataFileWriter> out;
  int file_number = 0;
  auto finish_file = [&]() -> Status {
    SL_ASSIGN_OR_RETURN(auto add, out->finish(/*data_change=*/false));
    adds.push_back(std::move(add));
    out.reset();
    return {};
  };
  Status failed;
  SL_TRY(scan(storage, part, read, [&](columnar::RecordBatch&& batch) {
    columnar::RecordBatch data;
    data.num_rows = batch.num_rows;
    data.schema = data_fields;
    for (size_t i : data_columns) data.columns.push_back(std::move(batch.columns[i]));
    for (size_t begin = 0; begin < data.num_rows;) {
      if (!out) {
        out.emplace(storage, data_fields,
                    new_data_file_path(directory, file_number++, write.parquet.codec), values,
                    write, group_bytes, row_group_bytes);
      }
      const size_t take = std::min(data.num_rows - begin, max_rows - out->rows());
      Status written;
      if (begin == 0 && take == data.num_rows) {
        written = out->write(data);
      } else {
        std::vector<uint32_t> slice(take);
        for (size_t r = 0; r < take; ++r) slice[r] = static_cast<uint32_t>(begin + r);
        written = out->write(columnar::take_rows(data, slice));
      }
      if (written.ok() && out->rows() >= max_rows) written = finish_file();
      if (!written.ok()) {
        failed = written;
        return false;
      }
      begin += take;
    }
    rows += data.num_rows;
    return true;
  }));
  SL_TRY(failed);
  if (out) SL_TRY(finish_file());
  return {};
}

}  // namespace

Result<OptimizeResult> compact_files(Storage& storage, const Snapshot& snapshot,
                                     const std::vector<std::vector<Add>>& groups,
                                     const WriteOptions& write, size_t row_group_bytes) {
  OptimizeResult result;
  std::vector<Add> adds;
  std::vector<Remove> removes;
  const int64_t now = now_ms(write.transaction.now_ms);
  // The new files are ours alone until the commit: deleted when it does not land.
  auto discard_new_files = [&] {
    for (const auto& a : adds) {
      if (auto path = decode_uri_path(a.path); path.ok()) (void)storage.remove(*path);
    }
  };
  for (const auto& files : groups) {
    if (files.size() < 2) continue;
    if (auto rewritten = rewrite_group(storage, snapshot, files, write, row_group_bytes, adds, result.rows);
        !rewritten.ok()) {
      discard_new_files();
      return rewritten.error();
    }
    for (const Add& f : files) {
      result.bytes_read += static_cast<uint64_t>(f.size);
      removes.push_back(remove_of(f, now, /*data_change=*/false));
    }
  }
  if (removes.empty()) return result;
  result.files_added = adds.size();
  result.files_removed = removes.size();
  for (const auto& a : adds) result.bytes_written += static_cast<uint64_t>(a.size);
  fault_point("delta.optimize.before_commit", storage.describe(""));
  auto txn = Transaction::for_snapshot(storage, snapshot, write.transaction);
  txn.remove_files(std::move(removes));
  txn.add_files(adds);
  txn.set_operation("OPTIMIZE", {{"predicate", "[]"}, {"zOrderBy", "[]"}},
                    {{"numRemovedFiles", std::to_string(result.files_removed)},
                     {"numAddedFiles", std::to_string(result.files_added)},
                     {"numRemovedBytes", std::to_string(result.bytes_read)},
                     {"numAddedBytes", std::to_string(result.bytes_written)}});
  auto committed = txn.commit();
  if (!committed.ok()) {
    discard_new_files();
    return committed.error();
  }
  result.version = committed->version;
  return result;
}

Result<OptimizeResult> optimize(Storage& storage, const OptimizeOptions& options) {
  SL_ASSIGN_OR_RETURN(auto snapshot, load_snapshot(storage));
  SL_TRY(check_write_supported(snapshot.protocol, snapshot.metadata));
  // Small files grouped by partition.
  std::map<PartitionValues, std::vector<Add>> by_partition;
  for (const auto& f : snapshot.files) {
    if (static_cast<uint64_t>(f.size) < options.min_file_bytes)
      by_partition[f.partition_values].push_back(f);
  }
  std::vector<std::vector<Add>> groups;
  for (auto& [values, files] : by_partition) groups.push_back(std::move(files));
  SL_ASSIGN_OR_RETURN(auto result, compact_files(storage, snapshot, groups, options.write));
  if (result.version >= 0 && options.write.write_checkpoints) {
    (void)after_commit(storage, result.version, checkpoint_interval(snapshot.metadata),
                       options.write.transaction);
  }
  return result;
}

Result<VacuumResult> vacuum(Storage& storage, const VacuumOptions& options) {
  SL_ASSIGN_OR_RETURN(auto snapshot, load_snapshot(storage));
  int64_t table_retention = deleted_file_retention_ms(snapshot.metadata);
  int64_t retention = options.retention_ms.value_or(table_retention);
  if (retention < table_retention && !options.force_short_retention) {
    return make_error(
        Errc::invalid_argument,
        "vacuum retention of " + std::to_string(retention / 3'600'000) +
            " hours is shorter than the table's delta.deletedFileRetentionDuration (" +
            std::to_string(table_retention / 3'600'000) +
            " hours): concurrent readers and time travel could lose files (force it to proceed)");
  }
  int64_t now = now_ms(options.now_ms);
  std::unordered_set<std::string> referenced;
  auto reference = [&](const std::string& uri) -> Status {
    SL_ASSIGN_OR_RETURN(auto path, decode_uri_path(uri));
    referenced.insert(path);
    return {};
  };
  for (const auto& f : snapshot.files) SL_TRY(reference(f.path));
  for (const auto& t : snapshot.tombstones) {
    if (t.deletion_timestamp.value_or(0) > now - retention) SL_TRY(reference(t.path));
  }
  SL_ASSIGN_OR_RETURN(auto files, storage.list_recursive(""));
  VacuumResult result;
  for (const auto& file : files) {
    // Hidden directories and files (names starting with '_' or '.') are never data, except
    // partition directories, which contain '='.
    bool hidden = false;
    size_t start = 0;
    while (start < file.path.size()) {
      size_t end = file.path.find('/', start);
      if (end == std::string::npos) end = file.path.size();
      std::string_view part(file.path.data() + start, end - start);
      if ((part.starts_with("_") || part.starts_with(".")) &&
          part.find('=') == std::string_view::npos)
        hidden = true;
      start = end + 1;
    }
    if (hidden || referenced.count(file.path) || file.modification_time_ms > now - retention) {
      ++result.kept_files;
      continue;
    }
    if (!options.dry_run) {
      fault_point("delta.vacuum.delete", file.path);
      SL_TRY(storage.remove(file.path));
    }
    result.deleted.push_back(file.path);
  }
  return result;
}

}  // namespace sl::delta
