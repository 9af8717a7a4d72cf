// Reading Gold and Silver tables for the dashboard.
#include "serve/gold_reader.hpp"

#include <algorithm>

#include "delta/scan.hpp"
#include "delta/snapshot.hpp"

namespace sl::serve {

namespace {

Result<columnar::RecordBatch> read_table(const delta::Storage& storage,
                                         const delta::ScanOptions& scan) {
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot) return snapshot.error().with_context(storage.describe(""));
  return delta::scan_all(storage, *snapshot, scan);
}

}  // namespace

const std::vector<std::string>& GoldReader::gold_tables() {
  static const std::vector<std::string> tables = {
      "kpi_summary",      "prime_sportive", "wellbeing",          "kpi_by_bu",
      "activity_monthly", "distance_bins",  "wellbeing_shortfall"};
  return tables;
}

Result<SharedBatch> GoldReader::year_rows(const std::string& table, int year) const {
  const auto& known = gold_tables();
  if (std::find(known.begin(), known.end(), table) == known.end())
    return make_error(Errc::not_found, "no Gold table '" + table + "'");
  const auto storage = lake_.table(delta::Layer::gold, table);
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot) return snapshot.error().with_context(storage->describe(""));
  const auto key = std::make_pair(table, year);
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.version == snapshot->version) return it->second.rows;
  }
  delta::ScanOptions scan;
  scan.filters.push_back({"year", delta::Predicate::Op::eq, std::to_string(year)});
  SL_ASSIGN_OR_RETURN(auto batch, delta::scan_all(*storage, *snapshot, scan));
  auto rows = std::make_shared<const columnar::RecordBatch>(std::move(batch));
  std::lock_guard lock(mutex_);
  Cached& cached = cache_[key];
  if (snapshot->version >= cached.version) cached = {snapshot->version, rows};
  return rows;
}

Result<columnar::RecordBatch> GoldReader::dq_issues() const {
  return read_table(*lake_.table(delta::Layer::silver, "dq_issues"), {});
}

Result<std::vector<int>> GoldReader::years() const {
  const auto storage = lake_.table(delta::Layer::gold, "kpi_summary");
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot) return snapshot.error().with_context(storage->describe(""));
  {
    std::lock_guard lock(mutex_);
    if (years_version_ == snapshot->version) return years_;
  }
  delta::ScanOptions scan;
  scan.columns = {"year"};
  SL_ASSIGN_OR_RETURN(auto batch, delta::scan_all(*storage, *snapshot, scan));
  std::vector<int> out;
  if (!batch.columns.empty())
    for (size_t r = 0; r < batch.num_rows; ++r)
      if (batch.columns[0].is_valid(r)) out.push_back(batch.columns[0].i32[r]);
  std::sort(out.rbegin(), out.rend());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::lock_guard lock(mutex_);
  years_version_ = snapshot->version;
  years_ = out;
  return out;
}

}  // namespace sl::serve
