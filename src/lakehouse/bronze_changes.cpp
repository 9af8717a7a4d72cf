// Bronze's changes since a watermark, from its Delta log; the current state of chosen keys.
#include "lakehouse/bronze_changes.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "columnar/batch_ops.hpp"
#include "delta/actions_json.hpp"
#include "delta/log_segment.hpp"
#include "delta/scan.hpp"

namespace sl::lakehouse {

BronzeChanges changes_from_commits(
    const std::vector<std::pair<int64_t, std::vector<delta::Action>>>& commits,
    const delta::Snapshot& latest, int64_t watermark) {
  BronzeChanges out;
  out.to_version = latest.version;
  if (latest.version < watermark) {
    out.rewritten = "version " + std::to_string(latest.version) + " is below the watermark " +
                    std::to_string(watermark) + " (table recreated)";
    return out;
  }
  std::set<std::string> live;
  for (const auto& f : latest.files) live.insert(f.path);
  std::set<std::string> changed;       // data files of the changes
  std::vector<delta::Add> compacted;   // maintenance's rewrites of older files
  for (const auto& [version, actions] : commits) {
    const std::string at = " at version " + std::to_string(version);
    for (const auto& action : actions) {
      if (std::holds_alternative<delta::Metadata>(action)) {
        out.rewritten = "metaData changed" + at + " (schema change)";
      } else if (std::holds_alternative<delta::Protocol>(action)) {
        out.rewritten = "protocol changed" + at;
      } else if (const auto* r = std::get_if<delta::Remove>(&action); r && r->data_change) {
        out.rewritten = "rows removed" + at + " (" + r->path + ")";
      } else if (const auto* a = std::get_if<delta::Add>(&action)) {
        if (a->data_change)
          changed.insert(a->path);
        else
          compacted.push_back(*a);
      }
      if (out.rewritten) return out;
    }
  }
  std::set<std::string> taken;
  for (const auto& f : latest.files)
    if (changed.contains(f.path)) {
      out.files.push_back(f);
      taken.insert(f.path);
    }
  if (taken.size() < changed.size()) {
    // Compacted since: its rows are in the compaction's output, committed in the same range.
    bool found = false;
    for (const auto& c : compacted)
      if (live.contains(c.path) && !taken.contains(c.path)) {
        out.files.push_back(c);
        taken.insert(c.path);
        found = true;
      }
    if (!found) {
      out.files.clear();
      out.rewritten = "data files committed after the watermark are gone (vacuumed)";
    }
  }
  return out;
}

Result<BronzeChanges> read_bronze_changes(const delta::Storage& table,
                                          const delta::Snapshot& latest, int64_t watermark) {
  std::vector<std::pair<int64_t, std::vector<delta::Action>>> commits;
  for (int64_t v = watermark + 1; v <= latest.version; ++v) {
    const std::string path = delta::commit_path(v);
    auto text = table.read(path);
    if (!text && text.error().code == Errc::not_found) {
      BronzeChanges gone;
      gone.to_version = latest.version;
      gone.rewritten = "the log of version " + std::to_string(v) +
                       " was cleaned up (past the watermark " + std::to_string(watermark) + ")";
      return gone;
    }
    if (!text) return text.error().with_context(table.describe(path));
    SL_ASSIGN_OR_RETURN(auto actions, delta::parse_commit(*text, path));
    commits.emplace_back(v, std::move(actions));
  }
  return changes_from_commits(commits, latest, watermark);
}

delta::Snapshot snapshot_of_files(const delta::Snapshot& snapshot, std::vector<delta::Add> files) {
  delta::Snapshot some;
  some.version = snapshot.version;
  some.protocol = snapshot.protocol;
  some.metadata = snapshot.metadata;
  some.schema = snapshot.schema;
  some.files = std::move(files);
  return some;
}

Result<columnar::RecordBatch> read_table_files(const delta::Storage& table,
                                                const delta::Snapshot& snapshot,
                                                std::vector<delta::Add> files,
                                                const std::vector<std::string>& columns,
                                                std::vector<delta::Predicate> filters) {
  const delta::Snapshot some = snapshot_of_files(snapshot, std::move(files));
  delta::ScanOptions scan;
  for (const auto& f : snapshot.schema.fields)
    if (columns.empty() || std::find(columns.begin(), columns.end(), f.name) != columns.end())
      scan.columns.push_back(f.name);
  scan.filters = std::move(filters);
  auto rows = delta::scan_all(table, some, scan);
  if (!rows) return rows.error().with_context(table.describe(""));
  return rows;
}

bool stats_exclude_keys(const delta::Add& file, const std::string& column,
                        const std::vector<int64_t>& keys) {
  if (!file.stats) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element stats;
  if (parser.parse(file.stats->data(), file.stats->size()).get(stats) != simdjson::SUCCESS) return false;
  int64_t low = 0, high = 0;
  if (stats["minValues"][column].get(low) != simdjson::SUCCESS ||
      stats["maxValues"][column].get(high) != simdjson::SUCCESS) {
    int64_t records = -1, nulls = -2;
    // A file whose key column is all null holds none of the keys.
    return stats["numRecords"].get(records) == simdjson::SUCCESS &&
           stats["nullCount"][column].get(nulls) == simdjson::SUCCESS && records == nulls;
  }
  auto first = std::lower_bound(keys.begin(), keys.end(), low);
  return first == keys.end() || *first > high;
}

Result<BronzeState> bronze_state_of_keys(const delta::Storage& table,
                                         const delta::Snapshot& snapshot,
                                         const std::string& key_column,
                                         const std::vector<int64_t>& keys,
                                         const std::vector<std::string>& columns) {
  std::vector<delta::Add> files;
  if (!keys.empty())
    for (const auto& f : snapshot.files)
      if (!stats_exclude_keys(f, key_column, keys)) files.push_back(f);
  std::vector<std::string> wanted = columns;
  wanted.push_back(key_column);
  for (const auto& f : snapshot.schema.fields)
    if (f.name.starts_with('_')) wanted.push_back(f.name);
  // One file at a time, its rows of `keys` kept: a file's columns and the rows kept are held,
  // not every candidate file's rows at once.
  const std::unordered_set<int64_t> wanted_keys(keys.begin(), keys.end());
  columnar::RecordBatch kept;
  if (files.empty()) {
    SL_ASSIGN_OR_RETURN(kept, read_table_files(table, snapshot, {}, wanted));
  }
  for (const auto& f : files) {
    SL_ASSIGN_OR_RETURN(auto batch, read_table_files(table, snapshot, {f}, wanted));
    size_t key_index = batch.schema.size();
    for (size_t i = 0; i < batch.schema.size(); ++i)
      if (batch.schema[i].name == key_column) key_index = i;
    if (key_index == batch.schema.size())
      return make_error(Errc::invalid_argument, table.describe("") + ": no key column '" +
                                                    key_column + "'");
    const auto& key = batch.columns[key_index];
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < batch.num_rows; ++r) {
      if (!key.is_valid(r)) continue;
      const int64_t k = key.type.id == columnar::TypeId::int32 ? key.i32[r] : key.i64[r];
      if (wanted_keys.contains(k)) rows.push_back(static_cast<uint32_t>(r));
    }
    if (rows.empty() && !kept.schema.empty()) continue;
    auto taken = columnar::take_rows(batch, rows);
    if (kept.schema.empty())
      kept = std::move(taken);
    else
      SL_TRY(columnar::append_batch(kept, taken));
  }
  auto state = BronzeState::of(std::move(kept), {key_column});
  if (!state) return state.error().with_context(table.describe(""));
  return state;
}

}  // namespace sl::lakehouse
