// Reading a classic checkpoint's parts back into actions.
#include "delta/checkpoint_reader.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <utility>

#include "common/parallel.hpp"
#include "delta/checkpoint_decoder.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

namespace {

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

// Whether the footer's statistics say that every value under `path` (a top-level column, or
// one field of it) is null in every row group: such a column (a checkpoint's `remove` when it
// holds no tombstone, `add.tags`, `add.deletionVector`, empty partition values...) decodes to
// nothing but nulls, which the decoder reads the same from a missing column, so it is not read.
// Most of a delta-rs or Spark checkpoint's leaves are such. Without statistics: read.
bool all_null(const parquet::FileMetaData& meta, const std::vector<std::string>& path) {
  if (meta.row_groups.empty()) return false;
  for (const auto& group : meta.row_groups) {
    bool matched = false;
    for (const auto& chunk : group.columns) {
      const auto& leaf = chunk.meta_data.path_in_schema;
      if (leaf.size() < path.size() || !std::equal(path.begin(), path.end(), leaf.begin())) {
        continue;
      }
      matched = true;
      const auto& nulls = chunk.meta_data.statistics.null_count;
      if (!nulls || *nulls != chunk.meta_data.num_values) return false;
    }
    if (!matched) return false;
  }
  return true;
}

// A part's action columns as decoded from Parquet: one batch per row group.
struct PartBatches {
  std::string name;
  std::vector<columnar::RecordBatch> groups;
};

Result<PartBatches> read_part(const Storage& storage, const FileInfo& part) {
  PartBatches out{storage.describe(part.path), {}};
  const std::string& name = out.name;
  SL_ASSIGN_OR_RETURN(auto bytes, storage.read(part.path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::open_bytes(std::move(bytes), name));
  // Read only the action columns present (a checkpoint without txn or domainMetadata rows may
  // lack those columns altogether), not those whose values are all null (`all_null`), and not
  // the typed copies of stats and partition values (`stats_parsed`, `partitionValues_parsed`:
  // Spark and delta-rs write them beside the JSON `stats` we use; they are most of the file's
  // columns) -- but for `stats_parsed` when the file has no JSON `stats` (Spark with
  // delta.checkpoint.writeStatsAsJson=false, or `stats` null in every row): the decoder turns
  // it back into stats JSON, for row counts and data skipping.
  // The stats (most of the bytes to decode) are read apart from the other columns, on the other
  // thread; `merge_fields` puts the two halves of `add` back together.
  const auto& meta = reader->metadata();
  std::vector<std::string> columns;
  std::vector<std::string> stats_columns;
  for (const auto& wanted : checkpoint_action_columns()) {
    for (const auto& field : reader->schema()) {
      if (field.name != wanted || all_null(meta, {wanted})) continue;
      bool has_parsed = std::any_of(field.children.begin(), field.children.end(),
                                    [](const auto& c) { return c.name.ends_with("_parsed"); });
      bool is_add = wanted == k_add && field.type.id == columnar::TypeId::struct_;
      if (!has_parsed && !is_add) {
        columns.push_back(wanted);
        continue;
      }
      bool has_stats = std::any_of(field.children.begin(), field.children.end(), [&](const auto& c) {
        return c.name == "stats" && !all_null(meta, {wanted, c.name});
      });
      for (const auto& child : field.children) {
        if (child.name.ends_with("_parsed") && !(child.name == "stats_parsed" && !has_stats)) {
          continue;
        }
        if (all_null(meta, {wanted, child.name})) continue;
        bool is_stats = is_add && (child.name == "stats" || child.name == "stats_parsed");
        (is_stats ? stats_columns : columns).push_back(wanted + "." + child.name);
      }
    }
  }
  if (columns.empty() && stats_columns.empty()) {
    bool has_action = std::any_of(reader->schema().begin(), reader->schema().end(), [](const auto& f) {
      const auto& known = checkpoint_action_columns();
      return std::find(known.begin(), known.end(), f.name) != known.end();
    });
    if (!has_action) return make_error(Errc::corrupt, name + ": not a checkpoint (no action column)");
  }
  // Two threads over the row groups and, within each, the stats apart from the other columns
  // (delta-rs and Spark write a checkpoint of 100k files as one row group).
  size_t groups = reader->num_row_groups();
  out.groups.resize(groups);
  std::vector<columnar::RecordBatch> stats(groups);
  std::vector<Status> status(2 * groups);
  parallel_for(2 * groups, 2, [&](size_t task) {
    size_t g = task / 2;
    bool of_stats = task % 2 == 1;
    const auto& projection = of_stats ? stats_columns : columns;
    if (projection.empty()) return;
    auto batch = reader->read_row_group(g, projection);
    if (batch.ok()) {
      (of_stats ? stats : out.groups)[g] = std::move(batch).value();
    } else {
      status[task] = batch.error();
    }
  });
  for (const auto& s : status) SL_TRY(s);
  for (size_t g = 0; g < groups; ++g) {
    out.groups[g].num_rows = std::max(out.groups[g].num_rows, stats[g].num_rows);
    merge_fields(out.groups[g], std::move(stats[g]));
  }
  return out;
}

}  // namespace

Result<CheckpointActions> read_checkpoint(const Storage& storage,
                                          const std::vector<FileInfo>& parts) {
  std::vector<PartBatches> read;
  for (const auto& part : parts) {
    SL_ASSIGN_OR_RETURN(auto batches, read_part(storage, part));
    read.push_back(std::move(batches));
  }
  // The rows turned into actions on two threads, in halves of each row group (building the
  // actions is mostly allocations, so one large row group uses both threads too). Every half's
  // adds are counted first, so that all go into one vector, each built in its final place.
  struct Task {
    const PartBatches* part;
    const columnar::RecordBatch* batch;
    size_t begin, end, first_add, adds;
  };
  std::vector<Task> tasks;
  size_t total_adds = 0;
  for (const auto& part : read) {
    for (const auto& batch : part.groups) {
      size_t half = batch.num_rows / 2;
      for (auto [begin, end] : {std::pair{size_t{0}, half}, std::pair{half, batch.num_rows}}) {
        size_t adds = count_checkpoint_adds(batch, begin, end);
        tasks.push_back({&part, &batch, begin, end, total_adds, adds});
        total_adds += adds;
      }
    }
  }
  CheckpointActions out;
  out.adds.resize(total_adds);
  std::vector<std::vector<Action>> others(tasks.size());
  std::vector<Status> status(tasks.size());
  parallel_for(tasks.size(), 2, [&](size_t i) {
    const Task& t = tasks[i];
    status[i] = decode_checkpoint(*t.batch, t.part->name, t.begin, t.end,
                                  std::span<Add>(out.adds).subspan(t.first_add, t.adds), others[i]);
  });
  for (const auto& s : status) SL_TRY(s);
  for (auto& chunk : others) {
    out.others.insert(out.others.end(), std::make_move_iterator(chunk.begin()),
                      std::make_move_iterator(chunk.end()));
  }
  return out;
}

}  // namespace sl::delta
