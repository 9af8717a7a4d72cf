// GoldReader: the lake tables the dashboard shows, read on each request (a refresh may have
// committed a new version meanwhile; a Delta snapshot is consistent by construction). Read-only.
//
// A year's rows are kept in memory per (table, year, Delta version): each request still loads
// the table's snapshot (the log, to learn the version), but decodes the Parquet files only when
// the version changed. 100,000 employees are ~20 MB per per-employee table and year; the cache
// holds one version per (table, year), so it is bounded by the years refreshed.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"

namespace sl::serve {

using SharedBatch = std::shared_ptr<const columnar::RecordBatch>;

class GoldReader {
 public:
  explicit GoldReader(delta::Lake lake) : lake_(std::move(lake)) {}

  // The Gold tables the API serves, by name.
  static const std::vector<std::string>& gold_tables();

  // The rows of gold/<table> for `year` (its partition only); Errc::not_found when the table
  // does not exist (no refresh yet) or is not a Gold table. Shared, never modified: the same
  // pointer while the table's version stays (callers may key their own caches on it).
  Result<SharedBatch> year_rows(const std::string& table, int year) const;
  // silver/dq_issues, whole.
  Result<columnar::RecordBatch> dq_issues() const;
  // The years gold/kpi_summary holds, newest first.
  Result<std::vector<int>> years() const;
  // The lake it reads (the employee page reads Silver too).
  const delta::Lake& lake() const { return lake_; }

 private:
  struct Cached {
    int64_t version = -1;
    SharedBatch rows;
  };
  delta::Lake lake_;
  mutable std::mutex mutex_;
  mutable std::map<std::pair<std::string, int>, Cached> cache_;
  mutable int64_t years_version_ = -1;  // of gold/kpi_summary
  mutable std::vector<int> years_;
};

}  // namespace sl::serve
