// The Silver and Gold tables, each described once (TableSpec: one line per column), and their
// structs as record batches for the Delta tables (`<lake>/silver/<name>`, `<lake>/gold/<name>`).
// The Gold specs also give the tables and views of PostgreSQL's `gold` schema (gold_publisher).
// Money is decimal(12,2) euros, distances double km (Gold) or m (Silver), local times
// timestamps.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "columnar/column.hpp"
#include "lakehouse/silver_model.hpp"
#include "lakehouse/table_spec.hpp"

namespace sl::lakehouse {

struct SilverSpecs {
  TableSpec<Employee> employees;
  TableSpec<Activity> activities;
  TableSpec<Commute> commutes;
  TableSpec<DqIssue> dq_issues;
  // Gold's parts per activities partition (gold_parts.hpp).
  TableSpec<WellbeingPart> gold_wellbeing_parts;
  TableSpec<MonthlyPart> gold_monthly_parts;
  // The same tables as `activities` and `dq_issues` (one list of columns), from rows whose texts
  // are views: the full refresh's builder (silver_build.hpp, SilverColumns).
  TableSpec<ActivityView> activity_views;
  TableSpec<DqIssueView> dq_issue_views;

  // Each table once (not the view specs).
  std::vector<const TableInfo*> tables() const;
};

// Every Gold table has a `year` column: the tables are partitioned by year, a refresh replaces
// its year only, and a publication replaces the year's rows in PostgreSQL.
struct GoldSpecs {
  TableSpec<PrimeSportive> prime_sportive;
  TableSpec<Wellbeing> wellbeing;
  TableSpec<KpiSummary> kpi_summary;
  TableSpec<KpiByBu> kpi_by_bu;
  TableSpec<ActivityMonthly> activity_monthly;
  // The dashboard's distributions: in the lake only (gold_publisher publishes the five above).
  TableSpec<DistanceBin> distance_bins;
  TableSpec<WellbeingShortfall> wellbeing_shortfall;

  std::vector<const TableInfo*> tables() const;
};

const SilverSpecs& silver_specs();
const GoldSpecs& gold_specs();

using NamedBatch = std::pair<std::string, columnar::RecordBatch>;

// employees, activities, commutes, dq_issues.
std::vector<NamedBatch> silver_tables(const Silver& silver);
// prime_sportive, wellbeing, kpi_summary, kpi_by_bu, activity_monthly, distance_bins,
// wellbeing_shortfall.
std::vector<NamedBatch> gold_tables(const Gold& gold);

}  // namespace sl::lakehouse
