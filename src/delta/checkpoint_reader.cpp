// Reading a classic checkpoint's parts back into actions.
#include "delta/checkpoint_reader.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <optional>
#include <thread>

#include "delta/checkpoint_decoder.hpp"
#include "parquet/file_reader.hpp"

namespace sl::delta {

namespace {

Status read_part(const Storage& storage, const FileInfo& part, std::vector<Action>& out) {
  std::string name = storage.describe(part.path);
  SL_ASSIGN_OR_RETURN(auto bytes, storage.read(part.path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::open_bytes(std::move(bytes), name));
  // Read only the action columns present (a checkpoint without txn or domainMetadata rows may
  // lack those columns altogether), and not the typed copies of stats and partition values
  // (`stats_parsed`, `partitionValues_parsed`: Spark and delta-rs write them beside the JSON
  // `stats` we use; they are most of the file's columns) -- but for `stats_parsed` when the
  // file has no JSON `stats` (Spark with delta.checkpoint.writeStatsAsJson=false): the decoder
  // turns it back into stats JSON, for row counts and data skipping.
  std::vector<std::string> columns;
  for (const auto& wanted : checkpoint_action_columns()) {
    for (const auto& field : reader->schema()) {
      if (field.name != wanted) continue;
      bool has_parsed = std::any_of(field.children.begin(), field.children.end(),
                                    [](const auto& c) { return c.name.ends_with("_parsed"); });
      if (!has_parsed) {
        columns.push_back(wanted);
        continue;
      }
      bool has_stats = std::any_of(field.children.begin(), field.children.end(),
                                   [](const auto& c) { return c.name == "stats"; });
      for (const auto& child : field.children) {
        if (!child.name.ends_with("_parsed") || (child.name == "stats_parsed" && !has_stats)) {
          columns.push_back(wanted + "." + child.name);
        }
      }
    }
  }
  if (columns.empty()) {
    return make_error(Errc::corrupt, name + ": not a checkpoint (no action column)");
  }
  // Row groups are decoded on up to two threads (the reader is immutable once open), then
  // appended in file order.
  size_t groups = reader->num_row_groups();
  std::vector<std::vector<Action>> decoded(groups);
  std::vector<Status> status(groups);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t g = next++; g < groups; g = next++) {
      auto batch = reader->read_row_group(g, columns);
      status[g] = batch.ok() ? decode_checkpoint(*batch, name, decoded[g]) : Status(batch.error());
    }
  };
  std::optional<std::thread> helper;
  if (groups > 1) helper.emplace(worker);
  worker();
  if (helper) helper->join();
  for (size_t g = 0; g < groups; ++g) {
    SL_TRY(status[g]);
    std::move(decoded[g].begin(), decoded[g].end(), std::back_inserter(out));
  }
  return {};
}

}  // namespace

Result<std::vector<Action>> read_checkpoint(const Storage& storage,
                                            const std::vector<FileInfo>& parts) {
  std::vector<Action> out;
  for (const auto& part : parts) SL_TRY(read_part(storage, part, out));
  return out;
}

}  // namespace sl::delta
