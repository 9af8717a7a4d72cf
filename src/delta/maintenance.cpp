// optimize and vacuum.
#include "delta/maintenance.hpp"

#include <map>
#include <unordered_set>

#include "columnar/batch_ops.hpp"
#include "common/fault_point.hpp"
#include "delta/partitions.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_features.hpp"

namespace sl::delta {

Result<OptimizeResult> compact_files(Storage& storage, const Snapshot& snapshot,
                                     const std::vector<std::vector<Add>>& groups,
                                     const WriteOptions& write) {
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
    // Read the group's rows through a snapshot restricted to its files.
    Snapshot part = snapshot;
    part.files = files;
    auto rows = scan_all(storage, part);
    if (!rows.ok()) {
      discard_new_files();
      return rows.error();
    }
    auto written =
        write_data_files(storage, *rows, snapshot.metadata.partition_columns, write, false);
    if (!written.ok()) {
      discard_new_files();
      return written.error();
    }
    result.rows += rows->num_rows;
    for (auto& a : *written) adds.push_back(std::move(a));
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
