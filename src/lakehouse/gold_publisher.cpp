// publish_gold: the `gold` schema's DDL and the rows of one year as COPY text, both generated
// from the Gold table specs (lake_tables.hpp), in one transaction.
#include "lakehouse/gold_publisher.hpp"

#include <spdlog/spdlog.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lakehouse/job_failures.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/table_spec_sql.hpp"

namespace sl::lakehouse {

namespace {

constexpr std::string_view k_schema = "gold";

std::string qualified(std::string_view name) {
  return std::string(k_schema) + "." + std::string(name);
}

// One table's new rows for the year, as COPY text (built before BEGIN: no IO, short transaction).
struct TableRows {
  const TableInfo* table = nullptr;
  std::string rows;
  size_t count = 0;
};

template <class Row>
TableRows table_rows(const TableSpec<Row>& spec, std::span<const Row> rows) {
  TableRows out{&spec.info, {}, rows.size()};
  append_copy_rows(out.rows, spec, rows);
  return out;
}

// Every row must belong to the summary's year: the DELETE of that year is what replaces them.
template <class Row>
Status check_year(const std::vector<Row>& rows, int32_t year, const TableSpec<Row>& spec) {
  for (const auto& r : rows) {
    if (r.year != year)
      return make_error(Errc::invalid_argument, qualified(spec.info.name) + ": a row of year " +
                                                    std::to_string(r.year) + " in the Gold of " +
                                                    std::to_string(year));
  }
  return {};
}

Status check_one_year(const Gold& gold) {
  int32_t year = gold.summary.year;
  if (year <= 0)
    return make_error(Errc::invalid_argument,
                      "gold: summary.year is " + std::to_string(year) + ", not a year");
  const auto& specs = gold_specs();
  SL_TRY(check_year(gold.prime_sportive, year, specs.prime_sportive));
  SL_TRY(check_year(gold.wellbeing, year, specs.wellbeing));
  SL_TRY(check_year(gold.by_bu, year, specs.kpi_by_bu));
  SL_TRY(check_year(gold.monthly, year, specs.activity_monthly));
  return {};
}

// The error of a failed step, prefixed by the object it concerns.
template <class T>
Status in_context(const Result<T>& result, std::string_view context) {
  if (!result) return result.error().with_context(context);
  return {};
}

// One COPY of `text` (`expected` lines) under a savepoint: the inner Status is PostgreSQL's
// refusal (the transaction stays usable), the outer error the savepoint's own failure.
Result<Status> try_copy(pg::Connection& sql, const std::string& copy_sql, std::string_view text,
                        size_t expected) {
  return isolated(sql, [&]() -> Status {
    SL_ASSIGN_OR_RETURN(auto copy, sql.copy_in(copy_sql));
    if (!text.empty()) SL_TRY(copy.put(text));
    SL_ASSIGN_OR_RETURN(uint64_t stored, copy.finish());
    if (stored != expected)
      return make_error(Errc::internal, "COPY stored " + std::to_string(stored) + " rows of " +
                                            std::to_string(expected));
    return {};
  });
}

// COPY of lines [begin, end); when PostgreSQL refuses them, each half is tried again, down to
// the single rows it refuses (k refused rows of n cost about 2k·log2(n) COPYs; none when all
// go through).
Status copy_isolating(pg::Connection& sql, const std::string& copy_sql, const TableInfo& table,
                      const std::vector<std::string_view>& lines, size_t begin, size_t end,
                      std::vector<RejectedGoldRow>& rejected) {
  if (begin >= end) return {};
  std::string text;
  for (size_t i = begin; i < end; ++i) {
    text += lines[i];
    text += '\n';
  }
  SL_ASSIGN_OR_RETURN(auto copied, try_copy(sql, copy_sql, text, end - begin));
  if (copied) return {};
  if (end - begin == 1) {
    RejectedGoldRow row{std::string(table.name), std::string(lines[begin]), std::nullopt,
                        copied.error()};
    // The employee_id cell, when the table has one (COPY text: tab-separated cells).
    for (size_t c = 0, at = 0; c < table.columns.size() && at <= row.row.size(); ++c) {
      size_t tab = row.row.find('\t', at);
      if (tab == std::string::npos) tab = row.row.size();
      if (table.columns[c].name == "employee_id") {
        const std::string cell = row.row.substr(at, tab - at);
        if (!cell.empty() && cell.size() < 19 &&
            cell.find_first_not_of("0123456789") == std::string::npos)
          row.employee_id = std::stoll(cell);
      }
      at = tab + 1;
    }
    rejected.push_back(std::move(row));
    return {};
  }
  const size_t middle = begin + (end - begin) / 2;
  SL_TRY(copy_isolating(sql, copy_sql, table, lines, begin, middle, rejected));
  return copy_isolating(sql, copy_sql, table, lines, middle, end, rejected);
}

// DELETE the year's rows, COPY the new ones; `rows` is the COPY text of `expected` lines. Rows
// PostgreSQL refuses are left out and added to `rejected`.
Status replace_year(pg::Connection& sql, const TableInfo& table, int32_t year,
                    const std::string& rows, size_t expected,
                    std::vector<RejectedGoldRow>& rejected) {
  const std::string name = qualified(table.name);
  SL_TRY(sql.exec_params("DELETE FROM " + name + " WHERE year = $1", {std::to_string(year)}));
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < rows.size();) {
    const size_t newline = rows.find('\n', at);
    const size_t stop = newline == std::string::npos ? rows.size() : newline;
    lines.push_back(std::string_view(rows).substr(at, stop - at));
    at = stop + 1;
  }
  if (lines.size() != expected)
    return make_error(Errc::internal, "COPY text of " + std::to_string(lines.size()) +
                                          " lines for " + std::to_string(expected) + " rows");
  const std::string copy_sql = "COPY " + name + " (" + sql_column_list(table) + ") FROM STDIN";
  return copy_isolating(sql, copy_sql, table, lines, 0, lines.size(), rejected);
}

// Steps 1 (after BEGIN) to 3 of the header; the caller commits or rolls back.
Status publish_steps(pg::Connection& sql, int32_t year, const std::vector<TableRows>& tables,
                     std::vector<RejectedGoldRow>& rejected) {
  // CREATE ... IF NOT EXISTS fails (unique violation) when another transaction creates the same
  // object at the same time: concurrent publishers queue here until the holder ends.
  SL_TRY(in_context(sql.exec("SELECT pg_advisory_xact_lock(hashtext('sportlake.gold.publish'))"),
                    k_schema));
  // Created only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even
  // when the schema exists, which the embedded cluster's jobs role (owner of `gold`) lacks.
  SL_ASSIGN_OR_RETURN(auto schema, sql.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1",
                                                   {std::string(k_schema)}));
  if (schema.rows() == 0)
    SL_TRY(in_context(sql.exec("CREATE SCHEMA " + std::string(k_schema)), k_schema));
  for (const auto& t : tables)
    SL_TRY(in_context(sql.exec(gold_create_table_sql(*t.table)), qualified(t.table->name)));
  for (const auto& t : tables) {
    if (t.table->view.empty()) continue;
    SL_TRY(in_context(sql.exec(gold_create_view_sql(*t.table)), qualified(t.table->view)));
  }
  for (const auto& t : tables)
    SL_TRY(in_context(replace_year(sql, *t.table, year, t.rows, t.count, rejected),
                      qualified(t.table->name)));
  return {};
}

}  // namespace

// published_at is left to its default, the transaction's start time, the same for every row.
std::string gold_create_table_sql(const TableInfo& table) {
  return "CREATE TABLE IF NOT EXISTS " + qualified(table.name) + " (" +
         sql_column_definitions(table) + ", published_at timestamptz NOT NULL DEFAULT now(), " +
         "PRIMARY KEY (" + sql_primary_key(table) + "))";
}

std::string gold_create_view_sql(const TableInfo& table) {
  return "CREATE OR REPLACE VIEW " + qualified(table.view) + " AS SELECT " +
         sql_view_columns(table) + " FROM " + qualified(table.name);
}

Result<PublishReport> publish_gold(pg::Connection& sql, const Gold& gold) {
  SL_TRY(check_one_year(gold));
  const int32_t year = gold.summary.year;
  const auto& specs = gold_specs();
  std::vector<TableRows> tables;
  tables.push_back(table_rows<PrimeSportive>(specs.prime_sportive, gold.prime_sportive));
  tables.push_back(table_rows<Wellbeing>(specs.wellbeing, gold.wellbeing));
  tables.push_back(table_rows<KpiSummary>(specs.kpi_summary, {&gold.summary, 1}));
  tables.push_back(table_rows<KpiByBu>(specs.kpi_by_bu, gold.by_bu));
  tables.push_back(table_rows<ActivityMonthly>(specs.activity_monthly, gold.monthly));

  PublishReport report;
  SL_TRY(in_context(sql.exec("BEGIN"), k_schema));
  if (auto status = publish_steps(sql, year, tables, report.rejected); !status) {
    (void)sql.exec("ROLLBACK");
    return status.error();
  }
  // Only now do readers see the new rows of the year, all of them at once.
  SL_TRY(in_context(sql.exec("COMMIT"), "gold: commit"));
  spdlog::info(
      "gold {}: published to PostgreSQL: {} prime_sportive, {} wellbeing, {} kpi_by_bu, {} "
      "activity_monthly rows",
      year, gold.prime_sportive.size(), gold.wellbeing.size(), gold.by_bu.size(),
      gold.monthly.size());
  for (const auto& r : report.rejected)
    spdlog::error("gold {}: a {} row refused by PostgreSQL, not published: {}", year,
                  qualified(r.table), r.error.to_string());
  return report;
}

}  // namespace sl::lakehouse
