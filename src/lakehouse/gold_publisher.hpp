// publish_gold: one year's Gold copied into the source PostgreSQL database (schema `gold`), where
// BI tools (Power BI, JDBC, ODBC) read it, in one transaction.
//
// What the database holds after a publication (history kept: one row set per year):
//
//   gold.prime_sportive   (year, employee_id) PK   the sport bonus per employee
//   gold.wellbeing        (year, employee_id) PK   the well-being days per employee
//   gold.kpi_summary      (year) PK                the year's headline figures
//   gold.kpi_by_bu        (year, business_unit) PK the figures per business unit
//   gold.activity_monthly (year, month, sport_type) PK
//   gold.v_prime_sportive, gold.v_wellbeing        the seed's views, French column names
//
// Money is numeric(12,2) in euros, converted exactly from the *_cents fields (154700 → 1547.00);
// the *_us local times are `timestamp` (without time zone); an empty distance source is NULL.
// Every row carries `published_at timestamptz` (the publishing transaction's start time).
//
// Steps, all in one transaction, in this order (none runs in parallel: one connection):
//   1. BEGIN, then a transaction-scoped advisory lock so that concurrent publishers run one
//      after the other (CREATE ... IF NOT EXISTS is not safe against a concurrent creator);
//   2. CREATE SCHEMA / TABLE IF NOT EXISTS, CREATE OR REPLACE VIEW;
//   3. per table: DELETE the rows of `gold.summary.year`, COPY the new ones; a row PostgreSQL
//      refuses (a key too long for its index, a total beyond numeric(12,2), a CHECK) does not
//      cost the others their publication: the COPY runs under a savepoint, and when it is
//      refused its halves are tried again down to the single rows refused, which are left out
//      and returned (PublishReport::rejected; the refresh records them in job_failures);
//   4. COMMIT. Readers see the previous publication of the year until then, the new one after,
//      never a mix. Any other failure (DDL, lost connection) → ROLLBACK: the database is as it
//      was.
//
// Other years' rows are never touched, so any year can be recomputed and published again;
// publishing the same Gold twice gives the same rows (only published_at changes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "lakehouse/silver_model.hpp"
#include "lakehouse/table_spec.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

// `sql` must not be inside a transaction (the publication opens and ends its own).
// Errors:
//   - Errc::invalid_argument before anything is sent when the Gold is not one year's
//     (summary.year <= 0, or a row of another year);
//   - the database's error (pg::Connection's codes: conflict and unavailable are retryable),
//     prefixed by the object it concerns ("gold: pg: 25P02 ..."), after a ROLLBACK.
// Rows refused one by one are not errors: they are in the report, with the database's error
// ("pg: 22003 numeric field overflow ..."), and were logged.
struct RejectedGoldRow {
  std::string table;                   // e.g. kpi_by_bu
  std::string row;                     // its COPY text line
  std::optional<int64_t> employee_id;  // the row's, in tables keyed by employee
  Error error;
};
struct PublishReport {
  std::vector<RejectedGoldRow> rejected;
};
Result<PublishReport> publish_gold(pg::Connection& sql, const Gold& gold);

// The statements of step 2 for one Gold table (from its spec in lake_tables.hpp): its
// CREATE TABLE IF NOT EXISTS, and the CREATE OR REPLACE VIEW of its view when it has one.
std::string gold_create_table_sql(const TableInfo& table);
std::string gold_create_view_sql(const TableInfo& table);

}  // namespace sl::lakehouse
