// The overview page of a year (`/?year=Y`): KPI cards compared with the previous year, four
// inline-SVG charts (activities per month by sport, bonus cost and headcount by business unit,
// the sporty commute distances with the 15/25 km limits, the employees 1–5 activities short of
// the well-being days), the business units' table and, for hr, the employees' table — sorted,
// searched and paged on the server. French or English (serve/i18n.hpp). Reads Gold only; a
// viewer's page is drawn from aggregates alone.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "serve/access.hpp"
#include "serve/gold_reader.hpp"
#include "serve/i18n.hpp"
#include "serve/table_query.hpp"

namespace sl::serve {

struct OverviewRequest {
  int year = 0;  // 0: the latest refreshed
  Lang lang = Lang::fr;
  Role role = Role::viewer;
  TableQueryText employees;  // ?sort=&dir=&q=&page= (hr's employees table)
  TableQueryText units;      // ?bu_sort=&bu_dir= (the business units' table)
};

class OverviewPage {
 public:
  explicit OverviewPage(const GoldReader& reader) : reader_(reader) {}

  // The page as HTML; Errc::not_found (message in the request's language) without a refresh or
  // for a year not refreshed, Errc::invalid_argument for a bad table parameter.
  Result<std::string> render(const OverviewRequest& request) const;

  // The columns of the employees' table (prime_sportive joined with wellbeing's activities,
  // days, missing), one row per employee; shared and cached while both tables keep their version.
  Result<SharedBatch> employees(int year) const;

  const TableQueryEngine& engine() const { return engine_; }

 private:
  const GoldReader& reader_;
  TableQueryEngine engine_;
  struct Joined {
    SharedBatch prime, wellbeing, rows;
  };
  mutable std::mutex mutex_;
  mutable std::vector<Joined> joined_;  // one per year asked, newest versions
};

}  // namespace sl::serve
