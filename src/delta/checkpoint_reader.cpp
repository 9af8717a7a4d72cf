// Reading a classic checkpoint's parts back into actions.
#include "delta/checkpoint_reader.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "delta/checkpoint_decoder.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

namespace {

// Runs task(0..n-1) on this thread and, when there are two tasks or more, one more.
template <typename Task>
void on_two_threads(size_t n, Task&& task) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) task(i);
  };
  std::optional<std::thread> helper;
  if (n > 1) helper.emplace(worker);
  worker();
  if (helper) helper->join();
}

// Adds the columns of `more` (the same rows) to `batch`; the fields of a struct both hold, such
// as `add`, are joined into one struct (the decoder finds fields by name, in any order).
void merge_fields(columnar::RecordBatch& batch, columnar::RecordBatch&& more) {
  for (size_t i = 0; i < more.schema.size(); ++i) {
    auto same = std::find_if(batch.schema.begin(), batch.schema.end(),
                             [&](const auto& f) { return f.name == more.schema[i].name; });
    if (same == batch.schema.end()) {
      batch.schema.push_back(std::move(more.schema[i]));
      batch.columns.push_back(std::move(more.columns[i]));
      continue;
    }
    auto& column = batch.columns[static_cast<size_t>(same - batch.schema.begin())];
    for (auto& child : more.schema[i].children) same->children.push_back(std::move(child));
    for (auto& child : more.columns[i].children) column.children.push_back(std::move(child));
  }
}

Status read_part(const Storage& storage, const FileInfo& part,
                 std::vector<CheckpointActions>& out) {
  std::string name = storage.describe(part.path);
  SL_ASSIGN_OR_RETURN(auto bytes, storage.read(part.path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::open_bytes(std::move(bytes), name));
  // Read only the action columns present (a checkpoint without txn or domainMetadata rows may
  // lack those columns altogether), and not the typed copies of stats and partition values
  // (`stats_parsed`, `partitionValues_parsed`: Spark and delta-rs write them beside the JSON
  // `stats` we use; they are most of the file's columns) -- but for `stats_parsed` when the
  // file has no JSON `stats` (Spark with delta.checkpoint.writeStatsAsJson=false): the decoder
  // turns it back into stats JSON, for row counts and data skipping.
  // The stats (most of the bytes to decode) are read apart from the other columns, on the other
  // thread; `merge_fields` puts the two halves of `add` back together.
  std::vector<std::string> columns;
  std::vector<std::string> stats_columns;
  for (const auto& wanted : checkpoint_action_columns()) {
    for (const auto& field : reader->schema()) {
      if (field.name != wanted) continue;
      bool has_parsed = std::any_of(field.children.begin(), field.children.end(),
                                    [](const auto& c) { return c.name.ends_with("_parsed"); });
      bool is_add = wanted == k_add && field.type.id == columnar::TypeId::struct_;
      if (!has_parsed && !is_add) {
        columns.push_back(wanted);
        continue;
      }
      bool has_stats = std::any_of(field.children.begin(), field.children.end(),
                                   [](const auto& c) { return c.name == "stats"; });
      for (const auto& child : field.children) {
        if (child.name.ends_with("_parsed") && !(child.name == "stats_parsed" && !has_stats)) {
          continue;
        }
        bool is_stats = is_add && (child.name == "stats" || child.name == "stats_parsed");
        (is_stats ? stats_columns : columns).push_back(wanted + "." + child.name);
      }
    }
  }
  if (columns.empty()) {
    return make_error(Errc::corrupt, name + ": not a checkpoint (no action column)");
  }
  // Two threads: first over the row groups (Parquet decoding), then over halves of each row
  // group (building the actions, mostly allocations), so one large row group uses both too.
  size_t groups = reader->num_row_groups();
  std::vector<columnar::RecordBatch> batches(groups);
  std::vector<columnar::RecordBatch> stats(groups);
  std::vector<Status> status(2 * groups);
  on_two_threads(2 * groups, [&](size_t task) {
    size_t g = task / 2;
    bool of_stats = task % 2 == 1;
    if (of_stats && stats_columns.empty()) return;
    auto batch = reader->read_row_group(g, of_stats ? stats_columns : columns);
    if (batch.ok()) {
      (of_stats ? stats : batches)[g] = std::move(batch).value();
    } else {
      status[task] = batch.error();
    }
  });
  for (const auto& s : status) SL_TRY(s);
  for (size_t g = 0; g < groups; ++g) merge_fields(batches[g], std::move(stats[g]));
  size_t first = out.size();
  out.resize(first + 2 * groups);
  std::vector<Status> decoded(2 * groups);
  on_two_threads(2 * groups, [&](size_t task) {
    const auto& batch = batches[task / 2];
    size_t half = batch.num_rows / 2;
    size_t begin = task % 2 == 0 ? 0 : half;
    size_t end = task % 2 == 0 ? half : batch.num_rows;
    decoded[task] = decode_checkpoint(batch, name, begin, end, out[first + task]);
  });
  for (const auto& s : decoded) SL_TRY(s);
  return {};
}

}  // namespace

Result<std::vector<CheckpointActions>> read_checkpoint(const Storage& storage,
                                                       const std::vector<FileInfo>& parts) {
  std::vector<CheckpointActions> out;
  for (const auto& part : parts) SL_TRY(read_part(storage, part, out));
  return out;
}

}  // namespace sl::delta
