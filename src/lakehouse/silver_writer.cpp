// Silver written while it is built, under the caller's memory budget.
#include "lakehouse/silver_writer.hpp"

#include <cstring>
#include <set>
#include <span>

#include "columnar/batch_ops.hpp"
#include "columnar/memory_size.hpp"
#include "common/parallel.hpp"
#include "delta/partitions.hpp"
#include "lakehouse/bronze_changes.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/silver_store.hpp"

namespace sl::lakehouse {

SilverFileWriter::SilverFileWriter(const delta::Lake& lake, std::string table, size_t spill_bytes)
    : lake_(lake),
      table_(std::move(table)),
      spill_bytes_(spill_bytes),
      partition_columns_(silver_partition_columns(table_)) {}

Status SilverFileWriter::append(const columnar::RecordBatch& rows) {
  if (schema_.empty()) schema_ = rows.schema;
  if (rows.num_rows == 0) return {};
  rows_ += rows.num_rows;
  // Each row's partition found by its typed values: a row in the same partition as the one
  // before it (rows come in runs: activities in id order are mostly in date order) is compared,
  // not looked up; a new run's partition is looked up by the raw bytes of its values
  // (delta::append_partition_key). Per row, a key built and a std::map walked cost ~2 % of the
  // full refresh.
  std::vector<const columnar::Column*> columns;
  for (const auto& p : partition_columns_)
    for (size_t i = 0; i < rows.schema.size(); ++i)
      if (rows.schema[i].name == p) columns.push_back(&rows.columns[i]);
  std::map<std::string, std::vector<uint32_t>> groups;
  std::vector<uint32_t>* group = nullptr;
  std::string key;
  for (size_t r = 0; r < rows.num_rows; ++r) {
    bool same = group != nullptr;
    for (size_t k = 0; same && k < columns.size(); ++k)
      same = delta::same_partition_value(*columns[k], r - 1, r);
    if (!same) {
      key.clear();
      for (const auto* c : columns) delta::append_partition_key(*c, r, key);
      group = &groups[key];
    }
    group->push_back(static_cast<uint32_t>(r));
  }
  for (auto& [partition, indices] : groups) {
    auto& held = held_[partition];
    const size_t before = held.schema.empty() ? 0 : columnar::memory_bytes(held);
    if (held.schema.empty() && indices.size() == rows.num_rows) {
      held = rows;
    } else if (indices.size() == rows.num_rows) {
      SL_TRY(columnar::append_batch(held, rows));
    } else {
      // The partition's rows appended where they are held (no copy of them first).
      SL_TRY(columnar::append_rows(held, rows, indices));
    }
    held_bytes_ += columnar::memory_bytes(held) - before;
  }
  if (spill_bytes_ > 0 && held_bytes_ > spill_bytes_) return spill();
  return {};
}

namespace {

// The partitions `held` written as sorted data files, on up to `threads` threads (a partition
// each at a time, freed once written); the files in the partitions' order.
Result<std::vector<delta::Add>> write_partitions(const delta::Lake& lake, const std::string& table,
                                                 std::map<std::string, columnar::RecordBatch> held,
                                                 size_t threads) {
  std::vector<columnar::RecordBatch> partitions;
  partitions.reserve(held.size());
  while (!held.empty()) partitions.push_back(std::move(held.extract(held.begin()).mapped()));
  std::vector<std::vector<delta::Add>> files(partitions.size());
  std::vector<Status> status(partitions.size());
  parallel_for(partitions.size(), threads, [&](size_t i) {
    auto written = write_silver_files(lake, table, std::move(partitions[i]));
    if (written)
      files[i] = std::move(*written);
    else
      status[i] = written.error();
  });
  std::vector<delta::Add> written;
  for (size_t i = 0; i < files.size(); ++i) {
    SL_TRY(status[i]);
    written.insert(written.end(), std::make_move_iterator(files[i].begin()),
                   std::make_move_iterator(files[i].end()));
  }
  return written;
}

}  // namespace

Status SilverFileWriter::spill_in_background() {
  SL_TRY(finish_spill());
  if (held_.empty()) return {};
  ++spills_;
  held_bytes_ = 0;
  // A partition per core: the caller's stages go on meanwhile, and when they wait for this
  // spill (the builder stood still 1.4 s of a 10M refresh for a spill written on one thread)
  // both cores write it.
  background_ = std::async(std::launch::async,
                           [this, taken = std::move(held_)]() mutable {
                             return write_partitions(lake_, table_, std::move(taken),
                                                     hardware_threads());
                           });
  held_.clear();  // moved from: made empty again for the next appends
  return {};
}

Status SilverFileWriter::finish_spill() {
  if (!background_.valid()) return {};
  SL_ASSIGN_OR_RETURN(auto files, background_.get());
  written_.insert(written_.end(), files.begin(), files.end());
  return {};
}

Status SilverFileWriter::spill() {
  SL_TRY(finish_spill());
  if (held_.empty()) return {};
  ++spills_;
  // The caller waits for these files (the end of a refresh, a writer past its limit): written
  // on every core, a partition per thread.
  SL_ASSIGN_OR_RETURN(auto files,
                      write_partitions(lake_, table_, std::move(held_), hardware_threads()));
  held_.clear();
  written_.insert(written_.end(), files.begin(), files.end());
  held_bytes_ = 0;
  return {};
}

Status SilverFileWriter::commit(const std::map<std::string, int64_t>& watermarks,
                                const std::string& operation) {
  SL_TRY(spill());
  SL_ASSIGN_OR_RETURN(auto current, silver_snapshot(lake_, table_));
  std::vector<delta::Add> replaced = current ? current->files : std::vector<delta::Add>{};
  return commit_silver_files(lake_, table_, current, std::move(replaced), std::move(written_),
                             schema_, watermarks, operation);
}

namespace {

// Each incremental refresh adds a file to the partitions it touches (today's month, mostly).
constexpr size_t k_small_files_merged = 8;

// The small files (under half a full file) of the partitions `touched`, where they number
// k_small_files_merged or more, not counting the files being replaced.
std::vector<delta::Add> small_files_to_merge(const delta::Snapshot& current,
                                             const std::vector<delta::Add>& replaced,
                                             const std::set<delta::PartitionValues>& touched) {
  std::set<std::string> taken;
  for (const auto& f : replaced) taken.insert(f.path);
  std::map<delta::PartitionValues, std::vector<delta::Add>> small;
  for (const auto& f : current.files) {
    if (taken.contains(f.path) || !touched.contains(f.partition_values)) continue;
    const auto records = file_records(f);
    if (records && *records < static_cast<int64_t>(k_silver_rows_per_file / 2))
      small[f.partition_values].push_back(f);
  }
  std::vector<delta::Add> merged;
  for (auto& [values, files] : small)
    if (files.size() >= k_small_files_merged)
      merged.insert(merged.end(), files.begin(), files.end());
  return merged;
}

}  // namespace

Status SilverFileWriter::commit_replacing(const std::optional<delta::Snapshot>& current,
                                          std::vector<delta::Add> replaced,
                                          const std::map<std::string, int64_t>& watermarks,
                                          const std::string& operation) {
  SL_TRY(spill());
  if (current && !partition_columns_.empty() &&
      current->metadata.partition_columns == partition_columns_) {
    std::set<delta::PartitionValues> touched;
    for (const auto& f : written_) touched.insert(f.partition_values);
    const auto merged = small_files_to_merge(*current, replaced, touched);
    auto storage = lake_.table(delta::Layer::silver, table_);
    for (const auto& f : merged) {
      SL_ASSIGN_OR_RETURN(auto rows, read_table_files(*storage, *current, {f}, {}));
      SL_TRY(append(rows));
      replaced.push_back(f);
    }
    SL_TRY(spill());
  }
  return commit_silver_files(lake_, table_, current, std::move(replaced), std::move(written_),
                             schema_, watermarks, operation);
}

Status append_activities_part(Silver& piece, SilverFileWriter& activities,
                              SilverFileWriter& issues) {
  const auto& specs = silver_specs();
  SL_TRY(activities.append(
      record_batch(specs.activities, std::span<const Activity>(piece.activities))));
  SL_TRY(issues.append(record_batch(specs.dq_issues, std::span<const DqIssue>(piece.issues))));
  piece.activities.clear();
  piece.issues.clear();
  return {};
}

}  // namespace sl::lakehouse
