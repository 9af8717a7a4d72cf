// Bronze commits: per-table watermarks, spilling, schema merging.
#include "lakehouse/bronze_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/fault_point.hpp"
#include "common/metrics.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_writer.hpp"

namespace sl::lakehouse {

namespace {

// Adds to `into` the fields of `fields` it lacks (first shape's order, new columns at the end).
void merge_fields(std::vector<columnar::Field>& into, const std::vector<columnar::Field>& fields) {
  for (const auto& f : fields) {
    bool present = false;
    for (const auto& existing : into) present |= existing.name == f.name;
    if (!present) into.push_back(f);
  }
}

// `batch` widened to `fields`: columns it lacks are added as nulls (its own order is kept for
// the others, which the writer matches by name).
void widen(columnar::RecordBatch& batch, const std::vector<columnar::Field>& fields) {
  for (const auto& f : fields) {
    bool present = false;
    for (const auto& existing : batch.schema) present |= existing.name == f.name;
    if (present) continue;
    columnar::Field nullable = f;
    nullable.nullable = true;
    auto column = columnar::Column::for_field(nullable);
    for (size_t r = 0; r < batch.num_rows; ++r) column.append_null();
    batch.schema.push_back(std::move(nullable));
    batch.columns.push_back(std::move(column));
  }
}

}  // namespace

BronzeWriter::BronzeWriter(BronzeOptions options) : options_(std::move(options)) {}

std::string BronzeWriter::table_name(const std::string& schema, const std::string& table) {
  return schema == "public" ? table : schema + "." + table;
}

Result<BronzeWriter::Table*> BronzeWriter::table(const std::string& schema,
                                                 const std::string& name) {
  const std::string key = schema + "." + name;
  if (auto it = tables_.find(key); it != tables_.end()) return &it->second;
  Table t;
  t.name = key;
  t.storage = options_.lake->table(delta::Layer::bronze, table_name(schema, name));
  auto snapshot = delta::load_snapshot(*t.storage);
  if (snapshot) {
    t.watermark = snapshot->app_version(options_.app_id);
  } else if (snapshot.error().code != Errc::not_found) {
    return snapshot.error().with_context("bronze table of " + key);
  }
  return &tables_.emplace(key, std::move(t)).first->second;
}

Result<std::optional<int64_t>> BronzeWriter::watermark(const std::string& schema,
                                                       const std::string& name) {
  SL_ASSIGN_OR_RETURN(auto* t, table(schema, name));
  return t->watermark;
}

Status BronzeWriter::spill(Table& t) {
  if (!t.rows || t.rows->size() == 0) return {};
  auto batch = t.rows->take();
  merge_fields(t.union_fields, batch.schema);
  delta::WriteOptions write;
  write.parquet = options_.parquet;
  write.max_rows_per_file = options_.spill_rows;
  SL_ASSIGN_OR_RETURN(auto adds, delta::write_data_files(*t.storage, batch, {}, write, true));
  t.staged_rows += batch.num_rows;
  t.staged.insert(t.staged.end(), std::make_move_iterator(adds.begin()),
                  std::make_move_iterator(adds.end()));
  return {};
}

Status BronzeWriter::add_row(Table& t, const cdc::ChangeEvent& event, int64_t ingest_ts_us) {
  if (!event.relation)
    return make_error(Errc::invalid_argument,
                      "bronze: a change of " + t.name + " without relation");
  if (t.rows && !t.rows->fits(*event.relation)) {
    // The relation changed shape: rows of the old one go to a file first.
    SL_TRY(spill(t));
    t.unconverted_before += t.rows->unconverted();
    t.rows.reset();
  }
  if (!t.rows) t.rows.emplace(*event.relation);
  t.rows->append(event, ingest_ts_us);
  ++pending_rows_;
  // The memory is summed over the columns, so only every k_budget_check rows.
  constexpr size_t k_budget_check = 1024;
  if (t.rows->size() >= options_.spill_rows ||
      (t.rows->size() % k_budget_check == 0 && t.rows->memory_bytes() >= options_.spill_bytes))
    SL_TRY(spill(t));
  return {};
}

Result<bool> BronzeWriter::add_change(const cdc::ChangeEvent& event, int64_t ingest_ts_us) {
  in_transaction_ = true;
  if (event.op == cdc::Op::truncate) {
    // A truncate removes nothing from an append-only log; Silver sees it in the source's state.
    spdlog::warn("bronze: TRUNCATE of {}.{} at {} is not recorded in Bronze", event.source.schema,
                 event.source.table, event.source.lsn.to_string());
    return false;
  }
  SL_ASSIGN_OR_RETURN(auto* t, table(event.source.schema, event.source.table));
  if (t->watermark && static_cast<int64_t>(event.source.commit_lsn.value) < *t->watermark)
    return false;  // already committed to this table before a restart
  SL_TRY(add_row(*t, event, ingest_ts_us));
  if (!options_.log_app_prefix.empty() &&
      std::find(touched_.begin(), touched_.end(), t) == touched_.end())
    touched_.push_back(t);
  return true;
}

void BronzeWriter::end_transaction(pg::Lsn end_lsn) {
  in_transaction_ = false;
  last_end_lsn_ = end_lsn;
}

void BronzeWriter::end_transaction(const cdc::SourcePosition& end) {
  end_transaction(end.lsn);
  if (end.log) {
    for (Table* t : touched_) t->log_pending[log_app_id(end.log->topic, end.log->partition)] = *end.log;
  }
  touched_.clear();
}

std::string BronzeWriter::log_app_id(const std::string& topic, int32_t partition) const {
  return options_.log_app_prefix + ":" + topic + ":" + std::to_string(partition);
}

Result<std::optional<cdc::LogPosition>> BronzeWriter::log_start(const std::string& schema,
                                                                      const std::string& name,
                                                                      const std::string& topic,
                                                                      int32_t partition) {
  SL_ASSIGN_OR_RETURN(auto* t, table(schema, name));
  const std::string app = log_app_id(topic, partition);
  auto snapshot = delta::load_snapshot(*t->storage);
  if (!snapshot) {
    if (snapshot.error().code != Errc::not_found)
      return snapshot.error().with_context("bronze table of " + t->name);
    t->log_known[app] = std::nullopt;
    log_tables_[topic] = t;
    return std::optional<cdc::LogPosition>{};
  }
  t->exists = true;
  log_tables_[topic] = t;
  auto offset = snapshot->app_version(app);
  t->log_known[app] = offset;
  if (!offset) return std::optional<cdc::LogPosition>{};
  return std::optional<cdc::LogPosition>{
      cdc::LogPosition{.topic = topic,
                       .partition = partition,
                       .next_offset = *offset,
                       .order_commit = snapshot->app_version(app + ":commit").value_or(0),
                       .order_change = snapshot->app_version(app + ":change").value_or(0)}};
}

bool BronzeWriter::skip_log_record(const std::string& topic) {
  in_transaction_ = true;
  auto it = log_tables_.find(topic);
  if (it == log_tables_.end()) return false;
  if (std::find(touched_.begin(), touched_.end(), it->second) == touched_.end())
    touched_.push_back(it->second);
  return true;
}

bool BronzeWriter::has_pending() const {
  if (pending_rows_ > 0) return true;
  for (const auto& [name, t] : tables_)
    if (!t.log_pending.empty() && t.exists) return true;
  return false;
}

Status BronzeWriter::add_snapshot_row(const cdc::ChangeEvent& event, int64_t ingest_ts_us) {
  SL_ASSIGN_OR_RETURN(auto* t, table(event.source.schema, event.source.table));
  return add_row(*t, event, ingest_ts_us);
}

Result<size_t> BronzeWriter::commit_table(Table& t, int64_t version, BronzeCommit& stats) {
  columnar::RecordBatch batch;
  // Only positions pending (skipped records): no columns, so no data file, the txns alone.
  const bool positions_only =
      (!t.rows || t.rows->size() == 0) && t.staged.empty() && !t.log_pending.empty();
  if (t.rows && !positions_only) {
    batch = t.rows->take();
    merge_fields(t.union_fields, batch.schema);
  }
  widen(batch, t.union_fields);
  const size_t rows = batch.num_rows + t.staged_rows;
  delta::WriteOptions write;
  write.parquet = options_.parquet;
  write.max_rows_per_file = options_.spill_rows;
  write.merge_schema = true;
  if (options_.log_app_prefix.empty()) {
    write.app_transaction = {options_.app_id, version};
  } else {
    for (const auto& [app, at] : t.log_pending) {
      auto known = t.log_known.find(app);
      write.app_transactions.push_back(
          {app, at.next_offset, true,
           known == t.log_known.end() ? std::nullopt : known->second});
      write.app_transactions.push_back({app + ":commit", at.order_commit});
      write.app_transactions.push_back({app + ":change", at.order_change});
    }
  }
  write.staged_files = std::move(t.staged);
  write.staged_rows = t.staged_rows;
  write.table_properties = {{"delta.appendOnly", "true"}};
  write.operation = "STREAMING UPDATE";
  write.extra_operation_parameters = {{"outputMode", "\"Append\""},
                                      {"queryId", "\"" + options_.app_id + "\""},
                                      {"epochId", "\"" + std::to_string(version) + "\""}};
  auto& registry = metrics::registry();
  const auto started = std::chrono::steady_clock::now();
  auto written = delta::write_table(*t.storage, batch, write);
  if (!written && written.error().code == Errc::already_exists)  // another process created it
    written = delta::write_table(*t.storage, batch, write);
  if (!written) return written.error().with_context("bronze commit of " + t.name);
  registry
      .histogram("sportlake_bronze_commit_duration_seconds",
                 "Time to write and commit one Bronze table's flush (one Delta version).",
                 metrics::duration_buckets())
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!written->skipped)
    registry
        .counter("sportlake_bronze_rows_ingested_total",
                 "Change rows committed to Bronze (initial snapshots included), by table.",
                 {{"table", t.name.rfind("public.", 0) == 0 ? t.name.substr(7) : t.name}})
        .inc(static_cast<double>(rows));
  if (written->skipped)  // another writer of the same application got there first
    spdlog::warn("bronze: {} already holds position {} of {}: rows not written again", t.name,
                 version, options_.app_id);
  fault_point("bronze.commit.after_table", t.name);
  t.staged.clear();
  t.staged_rows = 0;
  t.union_fields.clear();
  t.exists = true;
  if (options_.log_app_prefix.empty()) t.watermark = version;
  for (const auto& [app, at] : t.log_pending) t.log_known[app] = at.next_offset;
  t.log_pending.clear();
  ++stats.tables;
  stats.rows += written->rows;
  stats.files += written->files_added;
  return rows;
}

Result<BronzeCommit> BronzeWriter::commit() {
  if (in_transaction_)
    return make_error(Errc::invalid_argument,
                      "bronze: commit inside a source transaction (its end is not known yet)");
  BronzeCommit stats;
  const auto version = static_cast<int64_t>(last_end_lsn_.value);
  for (auto& [name, t] : tables_) {
    const bool no_rows = (!t.rows || t.rows->size() == 0) && t.staged.empty();
    // Positions alone wait for the table to exist (created by a commit with rows).
    if (no_rows && (t.log_pending.empty() || !t.exists)) continue;
    SL_ASSIGN_OR_RETURN(auto rows, commit_table(t, version, stats));
    pending_rows_ -= rows;
  }
  return stats;
}

Result<BronzeCommit> BronzeWriter::commit_snapshot(const std::vector<pg::Relation>& relations,
                                                   pg::Lsn point) {
  BronzeCommit stats;
  for (const auto& relation : relations) {
    SL_ASSIGN_OR_RETURN(auto* t, table(relation.schema, relation.name));
    if (!t->rows) t->rows.emplace(relation);  // an empty table is created all the same
    SL_ASSIGN_OR_RETURN(auto rows, commit_table(*t, static_cast<int64_t>(point.value), stats));
    pending_rows_ -= rows;
  }
  return stats;
}

void BronzeWriter::discard_pending() {
  for (auto& [name, t] : tables_) {
    if (t.rows) {
      t.unconverted_before += t.rows->unconverted();
      t.rows.reset();
    }
    t.staged.clear();
    t.staged_rows = 0;
    t.union_fields.clear();
    t.log_pending.clear();
  }
  touched_.clear();
  pending_rows_ = 0;
  in_transaction_ = false;
}

size_t BronzeWriter::unconverted() const {
  size_t total = 0;
  for (const auto& [name, t] : tables_)
    total += t.unconverted_before + (t.rows ? t.rows->unconverted() : 0);
  return total;
}

}  // namespace sl::lakehouse
