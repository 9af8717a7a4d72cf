// Classic checkpoints: what goes in (write_checkpoint) and reading them back (read_checkpoint).
#include "delta/checkpoint.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <optional>
#include <thread>

#include "delta/checkpoint_decoder.hpp"
#include "delta/checkpoint_encoder.hpp"
#include "delta/last_checkpoint.hpp"
#include "delta/log_segment.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_features.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/file_writer.hpp"

namespace sl::delta {

namespace {

constexpr size_t k_checkpoint_row_group_rows = 32 * 1024;

Status read_part(const Storage& storage, const FileInfo& part, std::vector<Action>& out) {
  std::string name = storage.describe(part.path);
  SL_ASSIGN_OR_RETURN(auto bytes, storage.read(part.path));
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::open_bytes(std::move(bytes), name));
  // Read only the action columns present (a checkpoint without txn or domainMetadata rows may
  // lack those columns altogether), and not the typed copies of stats and partition values
  // (`stats_parsed`, `partitionValues_parsed`: Spark and delta-rs write them beside the JSON
  // `stats` we use; they are most of the file's columns).
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
      for (const auto& child : field.children) {
        if (!child.name.ends_with("_parsed")) columns.push_back(wanted + "." + child.name);
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

Result<std::string> encode_file(const parquet::RecordBatch& batch) {
  auto sink = std::make_unique<parquet::MemorySink>();
  auto* memory = sink.get();
  parquet::WriterOptions options;  // snappy, dictionaries: what Spark writes
  // Several row groups let readers decode a large checkpoint in parallel (we do, on 2 threads).
  options.row_group_rows = k_checkpoint_row_group_rows;
  SL_ASSIGN_OR_RETURN(auto writer,
                      parquet::ParquetWriter::open(std::move(sink), batch.schema, options));
  SL_TRY(writer->write(batch));
  SL_TRY(writer->close());
  return memory->take();
}

// Keeps a newer hint: checkpointing an old version must not move readers back.
Status update_last_checkpoint(Storage& storage, const LastCheckpoint& hint) {
  auto current = read_last_checkpoint(storage);
  if (current.ok() && *current && (*current)->version > hint.version) return {};
  return storage.put(last_checkpoint_path(), last_checkpoint_to_json(hint));
}

}  // namespace

Result<std::vector<Action>> read_checkpoint(const Storage& storage,
                                            const std::vector<FileInfo>& parts) {
  std::vector<Action> out;
  for (const auto& part : parts) SL_TRY(read_part(storage, part, out));
  return out;
}

Result<CheckpointResult> write_checkpoint(Storage& storage, const Snapshot& snapshot,
                                          int64_t now_ms) {
  std::string where =
      "checkpoint of " + storage.describe("") + " at version " + std::to_string(snapshot.version);
  if (auto s = check_write_supported(snapshot.protocol, snapshot.metadata); !s.ok()) {
    return s.error().with_context(where);
  }
  CheckpointEncoder encoder;
  encoder.append(snapshot.protocol);
  encoder.append(snapshot.metadata);
  auto txn_retention = set_transaction_retention_ms(snapshot.metadata);
  for (const auto& [app, txn] : snapshot.app_transactions) {
    bool expired = txn_retention && txn.last_updated && *txn.last_updated < now_ms - *txn_retention;
    if (!expired) encoder.append(txn);
  }
  for (const auto& [name, domain] : snapshot.domains) {
    if (!domain.removed) encoder.append(domain);
  }
  for (const auto& file : snapshot.files) {
    Add add = file;
    add.data_change = false;
    encoder.append(add);
  }
  // Tombstones protect files from VACUUM until their retention ends; expired ones are dropped.
  int64_t tombstone_cutoff = now_ms - deleted_file_retention_ms(snapshot.metadata);
  for (const auto& tombstone : snapshot.tombstones) {
    if (tombstone.deletion_timestamp.value_or(0) <= tombstone_cutoff) continue;
    Remove remove = tombstone;
    remove.data_change = false;
    remove.stats.reset();
    remove.tags.clear();
    encoder.append(remove);
  }

  CheckpointResult result;
  result.version = snapshot.version;
  result.actions = static_cast<int64_t>(encoder.rows());
  result.add_files = static_cast<int64_t>(snapshot.files.size());
  auto bytes = encode_file(encoder.finish());
  if (!bytes.ok()) return bytes.error().with_context(where);
  result.size_in_bytes = bytes->size();
  // Replace, not put-if-absent: two writers checkpointing the same version write the same state.
  SL_TRY(storage.put(checkpoint_path(snapshot.version), *bytes));

  LastCheckpoint hint;
  hint.version = result.version;
  hint.size = result.actions;
  hint.size_in_bytes = static_cast<int64_t>(result.size_in_bytes);
  hint.num_of_add_files = result.add_files;
  SL_TRY(update_last_checkpoint(storage, hint));
  return result;
}

}  // namespace sl::delta
