// Reading a classic checkpoint's parts back into actions.
#include "delta/checkpoint_reader.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <utility>

#include "common/parallel.hpp"
#include "delta/checkpoint_decoder.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

namespace {

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

// One part of a checkpoint: its reader, what to read of it, and what was read.
struct Part {
  std::string name;
  std::unique_ptr<parquet::ParquetReader> reader;
  std::vector<std::string> columns;        // the action columns but the add stats
  std::vector<std::string> stats_columns;  // add.stats, or add.stats_parsed without it
  std::vector<columnar::RecordBatch> groups;  // per row group
  // Per row group; shared with the adds, whose stats are views into it.
  std::vector<std::shared_ptr<const columnar::RecordBatch>> stats;
};

Result<Part> open_part(const Storage& storage, const FileInfo& info) {
  Part part;
  part.name = storage.describe(info.path);
  SL_ASSIGN_OR_RETURN(auto bytes, storage.read(info.path));
  SL_ASSIGN_OR_RETURN(part.reader, parquet::ParquetReader::open_bytes(std::move(bytes), part.name));
  // Read only the action columns present (a checkpoint without txn or domainMetadata rows may
  // lack those columns altogether), not those whose values are all null (`all_null`; but for
  // an add's path and size, which must be there), and not the typed copies of stats and
  // partition values (`stats_parsed`, `partitionValues_parsed`: Spark and delta-rs write them
  // beside the JSON `stats` we use; they are most of the file's columns) -- but for
  // `stats_parsed` when the file has no JSON `stats` (Spark with
  // delta.checkpoint.writeStatsAsJson=false, or `stats` null in every row): the decoder turns
  // it back into stats JSON, for row counts and data skipping.
  const auto& meta = part.reader->metadata();
  bool any_action = false;
  for (const auto& wanted : checkpoint_action_columns()) {
    for (const auto& field : part.reader->schema()) {
      if (field.name != wanted) continue;
      any_action = true;
      // An add's path and size are read even when the footer says they are null everywhere: a
      // footer that lies (corrupt, forged) must not drop the table's files silently (the
      // decoder then refuses a null path by name); a real all-null column costs one run of
      // definition levels.
      if (wanted != k_add && all_null(meta, {wanted})) continue;
      bool has_parsed = std::any_of(field.children.begin(), field.children.end(),
                                    [](const auto& c) { return c.name.ends_with("_parsed"); });
      bool is_add = wanted == k_add && field.type.id == columnar::TypeId::struct_;
      if (!has_parsed && !is_add) {
        part.columns.push_back(wanted);
        continue;
      }
      bool has_stats = std::any_of(field.children.begin(), field.children.end(), [&](const auto& c) {
        return c.name == "stats" && !all_null(meta, {wanted, c.name});
      });
      for (const auto& child : field.children) {
        if (child.name.ends_with("_parsed") && !(child.name == "stats_parsed" && !has_stats)) {
          continue;
        }
        bool required = is_add && (child.name == "path" || child.name == "size");
        if (!required && all_null(meta, {wanted, child.name})) continue;
        bool is_stats = is_add && (child.name == "stats" || child.name == "stats_parsed");
        (is_stats ? part.stats_columns : part.columns).push_back(wanted + "." + child.name);
      }
    }
  }
  if (!any_action) {
    return make_error(Errc::corrupt, part.name + ": not a checkpoint (no action column)");
  }
  part.groups.resize(part.reader->num_row_groups());
  part.stats.resize(part.reader->num_row_groups());
  return part;
}

// Reads `columns` of every row group of every part into `out` (groups or stats).
Status read_groups(std::vector<Part>& parts, bool of_stats) {
  for (auto& part : parts) {
    const auto& columns = of_stats ? part.stats_columns : part.columns;
    if (columns.empty()) continue;
    for (size_t g = 0; g < part.groups.size(); ++g) {
      SL_ASSIGN_OR_RETURN(auto batch, part.reader->read_row_group(g, columns));
      if (of_stats) {
        part.stats[g] = std::make_shared<const columnar::RecordBatch>(std::move(batch));
      } else {
        part.groups[g] = std::move(batch);
      }
    }
  }
  return {};
}

}  // namespace

Result<CheckpointActions> read_checkpoint(const Storage& storage,
                                          const std::vector<FileInfo>& parts) {
  std::vector<Part> read;
  for (const auto& info : parts) {
    SL_ASSIGN_OR_RETURN(auto part, open_part(storage, info));
    read.push_back(std::move(part));
  }
  // The stats (most of the bytes to decode: 51 MB of JSON for 100k files) are decoded from
  // Parquet on another thread while this one decodes the other columns and builds the adds
  // from them; then the stats are put into the adds, on two threads.
  Status stats_read;
  std::thread stats_reader([&read, &stats_read] { stats_read = read_groups(read, true); });
  Status groups_read = read_groups(read, false);
  // The rows turned into actions in halves of each row group, on two threads (building the
  // actions is mostly allocations, so one large row group uses both threads too). Every half's
  // adds are counted first, so that all go into one vector, each built in its final place.
  struct Task {
    const Part* part;
    size_t group, begin, end, first_add, adds;
  };
  std::vector<Task> tasks;
  size_t total_adds = 0;
  if (groups_read.ok()) {
    for (const auto& part : read) {
      for (size_t g = 0; g < part.groups.size(); ++g) {
        const auto& batch = part.groups[g];
        size_t half = batch.num_rows / 2;
        for (auto [begin, end] : {std::pair{size_t{0}, half}, std::pair{half, batch.num_rows}}) {
          size_t adds = count_checkpoint_adds(batch, begin, end);
          tasks.push_back({&part, g, begin, end, total_adds, adds});
          total_adds += adds;
        }
      }
    }
  }
  CheckpointActions out;
  out.adds.resize(total_adds);
  std::vector<std::vector<Action>> others(tasks.size());
  std::vector<Status> status(tasks.size());
  parallel_for(tasks.size(), 2, [&](size_t i) {
    const Task& t = tasks[i];
    status[i] = decode_checkpoint(t.part->groups[t.group], t.part->name, t.begin, t.end,
                                  std::span<Add>(out.adds).subspan(t.first_add, t.adds), others[i]);
  });
  stats_reader.join();
  SL_TRY(groups_read);
  SL_TRY(stats_read);
  for (const auto& s : status) SL_TRY(s);
  parallel_for(tasks.size(), 2, [&](size_t i) {
    const Task& t = tasks[i];
    if (t.part->stats_columns.empty()) return;
    status[i] = decode_checkpoint_stats(t.part->groups[t.group], t.part->stats[t.group],
                                        t.part->name, t.begin, t.end,
                                        std::span<Add>(out.adds).subspan(t.first_add, t.adds));
  });
  for (const auto& s : status) SL_TRY(s);
  for (auto& chunk : others) {
    out.others.insert(out.others.end(), std::make_move_iterator(chunk.begin()),
                      std::make_move_iterator(chunk.end()));
  }
  return out;
}

}  // namespace sl::delta
