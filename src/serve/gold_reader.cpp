// Reading Gold and Silver tables for the dashboard.
#include "serve/gold_reader.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/memory_tuning.hpp"
#include "delta/log_segment.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "common/metrics.hpp"

namespace sl::serve {

namespace {

Result<columnar::RecordBatch> read_table(const delta::Storage& storage,
                                         const delta::ScanOptions& scan) {
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  return delta::scan_all(storage, *snapshot, scan);
}

// The snapshot of `version`, the one just probed (a newer commit meanwhile waits for the next
// request: the rows cached stay those of the version they are filed under).
Result<delta::Snapshot> snapshot_at(const delta::Storage& storage, int64_t version) {
  delta::SnapshotOptions options;
  options.version = version;
  auto snapshot = delta::load_snapshot(storage, options);
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  return snapshot;
}

}  // namespace

const std::vector<std::string>& GoldReader::gold_tables() {
  static const std::vector<std::string> tables = {
      "kpi_summary",      "prime_sportive", "wellbeing",          "kpi_by_bu",
      "activity_monthly", "distance_bins",  "wellbeing_shortfall"};
  return tables;
}

const std::vector<std::string>& GoldReader::employee_silver_tables() {
  static const std::vector<std::string> tables = {"employees", "commutes", "activities",
                                                  "dq_issues"};
  return tables;
}

Result<int64_t> GoldReader::version(delta::Layer layer, const std::string& table) const {
  const auto storage = lake_.table(layer, table);
  const std::string where = storage->describe("");
  std::optional<int64_t> seen;
  {
    std::lock_guard lock(mutex_);
    if (auto it = seen_versions_.find(where); it != seen_versions_.end()) seen = it->second;
  }
  auto listing = delta::list_log(*storage, seen);
  if (!listing) return listing.error().with_context(where);
  auto latest = listing->latest_version();
  if (!latest && seen) {  // the log restarted below what we saw (a table written anew)
    listing = delta::list_log(*storage);
    if (!listing) return listing.error().with_context(where);
    latest = listing->latest_version();
  }
  if (!latest) return make_error(Errc::not_found, where + ": no Delta table (no commit)");
  std::lock_guard lock(mutex_);
  seen_versions_[where] = *latest;
  return *latest;
}

Result<std::string> GoldReader::versions_key(bool with_silver) const {
  // The version an employee answer reads: its index's while a newer one is being built.
  auto answered = [&](delta::Layer layer, const std::string& table) -> Result<int64_t> {
    SL_ASSIGN_OR_RETURN(int64_t v, version(layer, table));
    if (!with_silver) return v;
    const std::string location = lake_.table(layer, table)->describe("");
    std::lock_guard lock(mutex_);
    if (refresher_.joinable())
      for (const auto& [id, keyed] : keyed_)
        if (keyed->location == location && keyed->ready) v = std::min(v, keyed->ready->version);
    return v;
  };
  std::string key;
  for (const auto& table : gold_tables()) {
    SL_ASSIGN_OR_RETURN(const int64_t v, answered(delta::Layer::gold, table));
    key += std::to_string(v) + ".";
  }
  if (with_silver)
    for (const auto& table : employee_silver_tables()) {
      SL_ASSIGN_OR_RETURN(const int64_t v, answered(delta::Layer::silver, table));
      key += std::to_string(v) + ".";
    }
  return key;
}

Result<SharedBatch> GoldReader::year_rows(const std::string& table, int year) const {
  const auto& known = gold_tables();
  if (std::find(known.begin(), known.end(), table) == known.end())
    return make_error(Errc::not_found, "no Gold table '" + table + "'");
  SL_ASSIGN_OR_RETURN(const int64_t version_now, version(delta::Layer::gold, table));
  const auto key = std::make_pair(table, year);
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.version == version_now) return it->second.rows;
  }
  const auto storage = lake_.table(delta::Layer::gold, table);
  SL_ASSIGN_OR_RETURN(auto snapshot, snapshot_at(*storage, version_now));
  delta::ScanOptions scan;
  scan.filters.push_back({"year", delta::Predicate::Op::eq, std::to_string(year)});
  SL_ASSIGN_OR_RETURN(auto batch, delta::scan_all(*storage, snapshot, scan));
  auto rows = std::make_shared<const columnar::RecordBatch>(std::move(batch));
  std::lock_guard lock(mutex_);
  Cached& cached = cache_[key];
  if (snapshot.version >= cached.version) cached = {snapshot.version, rows};
  return rows;
}

Result<std::shared_ptr<const KeyIndex>> GoldReader::build_index(const Keyed& keyed,
                                                               int64_t version,
                                                               const char* by) const {
  const auto storage = lake_.table(keyed.layer, keyed.table);
  SL_ASSIGN_OR_RETURN(auto snapshot, snapshot_at(*storage, version));
  std::shared_ptr<const KeyIndex> previous;
  {
    std::lock_guard lock(mutex_);
    previous = keyed.ready;
  }
  auto& registry = metrics::registry();
  const metrics::Labels table = {{"table", keyed.name}};
  metrics::Labels built_by = table;
  built_by.emplace_back("by", by);
  registry.counter("sportlake_serve_index_builds_total",
                   "Employee-page indexes built, by table and by whom (a request waited for it, "
                   "or the background thread)", built_by)
      .inc();
  SL_ASSIGN_OR_RETURN(auto index, build_key_index(*storage, snapshot, keyed.columns,
                                                  keyed.key_column, previous.get()));
  registry.gauge("sportlake_serve_index_rows", "Rows in an employee-page index", table)
      .set(static_cast<double>(index->rows()));
  registry.gauge("sportlake_serve_index_memory_bytes",
                 "Memory an employee-page index holds (its entries; rows spilled to disk)", table)
      .set(static_cast<double>(index->memory_bytes()));
  registry.gauge("sportlake_serve_index_disk_bytes",
                 "Bytes of an employee-page index's rows in its unnamed temporary files", table)
      .set(static_cast<double>(index->disk_bytes()));
  return index;
}

Result<std::shared_ptr<const KeyIndex>> GoldReader::index_at(Keyed& keyed, int64_t version,
                                                            bool or_newer, const char* by) const {
  std::lock_guard building(keyed.building);
  {
    std::lock_guard lock(mutex_);
    if (keyed.ready && (keyed.ready->version == version ||
                        (or_newer && keyed.ready->version > version)))
      return keyed.ready;  // built meanwhile
  }
  auto index = build_index(keyed, version, by);
  release_free_memory();  // the build's decoded rows (a long-lived server's resident size)
  std::lock_guard lock(mutex_);
  keyed.attempted = true;
  if (!index) return index.error();
  keyed.ready = std::move(*index);
  return keyed.ready;
}

std::shared_ptr<GoldReader::Keyed> GoldReader::keyed_for(delta::Layer layer, const std::string& table,
                                                     const std::string& key_column,
                                                     const std::vector<std::string>& columns) const {
  const std::string location = lake_.table(layer, table)->describe("");
  std::string id = location + "|" + key_column;
  for (const auto& c : columns) id += "|" + c;
  std::lock_guard lock(mutex_);
  auto& slot = keyed_[id];
  if (!slot) {
    slot = std::make_shared<Keyed>();
    slot->layer = layer;
    slot->table = table;
    slot->name = std::string(delta::layer_name(layer)) + "/" + table;
    slot->location = location;
    slot->key_column = key_column;
    slot->columns = columns;
    wake_ = true;  // indexed at once in the background (with keep_indexes_fresh)
    refresh_wanted_.notify_one();
  }
  return slot;
}

void GoldReader::index(delta::Layer layer, const std::string& table, const std::string& key_column,
                       const std::vector<std::string>& columns) const {
  (void)keyed_for(layer, table, key_column, columns);
}

bool GoldReader::indexes_ready() const {
  std::lock_guard lock(mutex_);
  return std::all_of(keyed_.begin(), keyed_.end(),
                     [](const auto& k) { return k.second->attempted; });
}

Result<columnar::RecordBatch> GoldReader::rows_of(delta::Layer layer, const std::string& table,
                                                  const std::string& key_column, int64_t key,
                                                  const std::vector<std::string>& columns) const {
  SL_ASSIGN_OR_RETURN(const int64_t version_now, version(layer, table));
  const auto indexed = keyed_for(layer, table, key_column, columns);
  std::shared_ptr<const KeyIndex> index;
  bool in_background = false;
  {
    std::lock_guard lock(mutex_);
    index = indexed->ready;
    in_background = refresher_.joinable();
    if (index && index->version < version_now && in_background) {
      wake_ = true;  // the previous version's index answers until the new one is ready
      refresh_wanted_.notify_one();
    }
  }
  if (index && index->version > version_now) {  // built since we listed, or the table rewritten
    SL_ASSIGN_OR_RETURN(const int64_t latest, version(layer, table));
    if (latest < index->version) {  // a log started anew: that index's version is gone
      SL_ASSIGN_OR_RETURN(index, index_at(*indexed, latest, false, "request"));
    }
  }
  if (!index || (index->version < version_now && !in_background)) {
    SL_ASSIGN_OR_RETURN(index, index_at(*indexed, version_now, true, "request"));
  }
  return index->rows_of(key);
}

void GoldReader::keep_indexes_fresh(std::chrono::milliseconds every) {
  std::lock_guard lock(mutex_);
  if (!refresher_.joinable()) refresher_ = std::thread([this, every] { refresh_loop(every); });
}

void GoldReader::refresh_loop(std::chrono::milliseconds every) {
  std::map<std::string, std::string> last_error;  // by index: each failure logged once
  std::unique_lock lock(mutex_);
  while (!stop_) {
    refresh_wanted_.wait_for(lock, every, [this] { return stop_ || wake_; });
    wake_ = false;
    std::vector<std::pair<std::string, std::shared_ptr<Keyed>>> indexed(keyed_.begin(),
                                                                         keyed_.end());
    for (const auto& [id, keyed] : indexed) {
      if (stop_) break;
      lock.unlock();
      std::optional<Error> failed;
      if (auto v = version(keyed->layer, keyed->table); !v)
        failed = v.error();
      else if (auto built = index_at(*keyed, *v, false, "background"); !built)
        failed = built.error();
      if (failed && failed->message != last_error[id])
        spdlog::warn("serve: indexing {}: {}", keyed->location, failed->to_string());
      last_error[id] = failed ? failed->message : "";
      lock.lock();
      keyed->attempted = true;  // ready, or failed (no such table yet): either way, tried
    }
  }
}

GoldReader::~GoldReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  refresh_wanted_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

Result<columnar::RecordBatch> GoldReader::dq_issues() const {
  return read_table(*lake_.table(delta::Layer::silver, "dq_issues"), {});
}

Result<std::vector<int>> GoldReader::years() const {
  SL_ASSIGN_OR_RETURN(const int64_t version_now, version(delta::Layer::gold, "kpi_summary"));
  {
    std::lock_guard lock(mutex_);
    if (years_version_ == version_now) return years_;
  }
  const auto storage = lake_.table(delta::Layer::gold, "kpi_summary");
  SL_ASSIGN_OR_RETURN(auto snapshot, snapshot_at(*storage, version_now));
  delta::ScanOptions scan;
  scan.columns = {"year"};
  SL_ASSIGN_OR_RETURN(auto batch, delta::scan_all(*storage, snapshot, scan));
  std::vector<int> out;
  if (!batch.columns.empty())
    for (size_t r = 0; r < batch.num_rows; ++r)
      if (batch.columns[0].is_valid(r)) out.push_back(batch.columns[0].i32[r]);
  std::sort(out.rbegin(), out.rend());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::lock_guard lock(mutex_);
  years_version_ = version_now;
  years_ = out;
  return out;
}

}  // namespace sl::serve
