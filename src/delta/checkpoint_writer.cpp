// Writing a classic checkpoint: what goes in, the Parquet file, then the `_last_checkpoint` hint.
#include "delta/checkpoint_writer.hpp"

#include <memory>
#include <string>

#include "delta/checkpoint_encoder.hpp"
#include "delta/last_checkpoint.hpp"
#include "delta/log_segment.hpp"
#include "delta/table_features.hpp"
#include "parquet/byte_sink.hpp"
#include "parquet/file_writer.hpp"

namespace sl::delta {

namespace {

constexpr size_t k_checkpoint_row_group_rows = 32 * 1024;

Result<std::string> encode_file(const columnar::RecordBatch& batch) {
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
