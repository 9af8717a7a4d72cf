// GoldReader: the lake tables the dashboard shows, read on each request (a refresh may have
// committed a new version meanwhile; a Delta snapshot is consistent by construction). Read-only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"

namespace sl::serve {

class GoldReader {
 public:
  explicit GoldReader(delta::Lake lake) : lake_(std::move(lake)) {}

  // The Gold tables the API serves, by name.
  static const std::vector<std::string>& gold_tables();

  // The rows of gold/<table> for `year` (its partition only); Errc::not_found when the table
  // does not exist (no refresh yet) or is not a Gold table.
  Result<columnar::RecordBatch> year_rows(const std::string& table, int year) const;
  // silver/dq_issues, whole.
  Result<columnar::RecordBatch> dq_issues() const;
  // The years gold/kpi_summary holds, newest first.
  Result<std::vector<int>> years() const;
  // The lake it reads (the employee page reads Silver too).
  const delta::Lake& lake() const { return lake_; }

 private:
  delta::Lake lake_;
};

}  // namespace sl::serve
