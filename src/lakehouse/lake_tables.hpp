// Silver and Gold as record batches for their Delta tables (`<lake>/silver/<name>`,
// `<lake>/gold/<name>`), with the columns BI users see. Money is decimal(12,2) euros, distances
// double km (Gold) or m (Silver), local times timestamps.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lakehouse/silver_model.hpp"
#include "parquet/column.hpp"

namespace sl::lakehouse {

using NamedBatch = std::pair<std::string, parquet::RecordBatch>;

// employees, activities, commutes, dq_issues.
std::vector<NamedBatch> silver_tables(const Silver& silver);
// prime_sportive, wellbeing, kpi_summary, kpi_by_bu, activity_monthly (each with a `year`
// column: the tables are partitioned by year, a refresh replaces its year only).
std::vector<NamedBatch> gold_tables(const Gold& gold);

}  // namespace sl::lakehouse
