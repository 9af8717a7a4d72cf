// publish_gold: the `gold` schema's DDL, the rows of one year as COPY text, one transaction.
#include "lakehouse/gold_publisher.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "common/civil_time.hpp"
#include "common/decimal_text.hpp"
#include "pg/copy_text.hpp"

namespace sl::lakehouse {

namespace {

constexpr std::string_view k_prime_sportive = "gold.prime_sportive";
constexpr std::string_view k_wellbeing = "gold.wellbeing";
constexpr std::string_view k_kpi_summary = "gold.kpi_summary";
constexpr std::string_view k_kpi_by_bu = "gold.kpi_by_bu";
constexpr std::string_view k_activity_monthly = "gold.activity_monthly";
constexpr std::string_view k_v_prime_sportive = "gold.v_prime_sportive";
constexpr std::string_view k_v_wellbeing = "gold.v_wellbeing";

// Published tables: their DDL and the columns the COPY fills, in the order the rows are written
// (published_at is left to its default, the transaction's start time, the same for every row).
struct GoldTable {
  std::string_view name;
  std::string_view create;
  std::string_view copy_columns;
};

constexpr GoldTable k_prime_sportive_table{
    k_prime_sportive,
    "CREATE TABLE IF NOT EXISTS gold.prime_sportive ("
    "year integer NOT NULL, employee_id bigint NOT NULL, nom text NOT NULL, prenom text NOT NULL, "
    "business_unit text NOT NULL, salaire_brut_eur numeric(12,2) NOT NULL, "
    "moyen_deplacement text NOT NULL, distance_km double precision, distance_source text, "
    "distance_estimate boolean NOT NULL, threshold_km double precision, eligible boolean NOT NULL, "
    "reason text NOT NULL, reason_text text NOT NULL, declaration_anomaly boolean NOT NULL, "
    "prime_eur numeric(12,2) NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
    "PRIMARY KEY (year, employee_id))",
    "year, employee_id, nom, prenom, business_unit, salaire_brut_eur, moyen_deplacement, "
    "distance_km, distance_source, distance_estimate, threshold_km, eligible, reason, reason_text, "
    "declaration_anomaly, prime_eur"};

constexpr GoldTable k_wellbeing_table{
    k_wellbeing,
    "CREATE TABLE IF NOT EXISTS gold.wellbeing ("
    "year integer NOT NULL, employee_id bigint NOT NULL, nom text NOT NULL, prenom text NOT NULL, "
    "business_unit text NOT NULL, activities integer NOT NULL, first_activity timestamp, "
    "last_activity timestamp, eligible boolean NOT NULL, days integer NOT NULL, "
    "activities_missing integer NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
    "PRIMARY KEY (year, employee_id))",
    "year, employee_id, nom, prenom, business_unit, activities, first_activity, last_activity, "
    "eligible, days, activities_missing"};

constexpr GoldTable k_kpi_summary_table{
    k_kpi_summary,
    "CREATE TABLE IF NOT EXISTS gold.kpi_summary ("
    "year integer NOT NULL, employees bigint NOT NULL, sporty_commuters bigint NOT NULL, "
    "eligible_bonus bigint NOT NULL, total_bonus_eur numeric(12,2) NOT NULL, "
    "max_bonus_eur numeric(12,2) NOT NULL, declaration_anomalies bigint NOT NULL, "
    "unknown_distances bigint NOT NULL, wellbeing_eligible bigint NOT NULL, "
    "wellbeing_days bigint NOT NULL, activities bigint NOT NULL, dq_errors bigint NOT NULL, "
    "dq_warnings bigint NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
    "PRIMARY KEY (year))",
    "year, employees, sporty_commuters, eligible_bonus, total_bonus_eur, max_bonus_eur, "
    "declaration_anomalies, unknown_distances, wellbeing_eligible, wellbeing_days, activities, "
    "dq_errors, dq_warnings"};

constexpr GoldTable k_kpi_by_bu_table{
    k_kpi_by_bu,
    "CREATE TABLE IF NOT EXISTS gold.kpi_by_bu ("
    "year integer NOT NULL, business_unit text NOT NULL, employees bigint NOT NULL, "
    "eligible_bonus bigint NOT NULL, total_bonus_eur numeric(12,2) NOT NULL, "
    "wellbeing_eligible bigint NOT NULL, activities bigint NOT NULL, "
    "published_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (year, business_unit))",
    "year, business_unit, employees, eligible_bonus, total_bonus_eur, wellbeing_eligible, "
    "activities"};

constexpr GoldTable k_activity_monthly_table{
    k_activity_monthly,
    "CREATE TABLE IF NOT EXISTS gold.activity_monthly ("
    "year integer NOT NULL, month integer NOT NULL CHECK (month BETWEEN 1 AND 12), "
    "sport_type text NOT NULL, activities bigint NOT NULL, distance_km double precision NOT NULL, "
    "moving_hours double precision NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
    "PRIMARY KEY (year, month, sport_type))",
    "year, month, sport_type, activities, distance_km, moving_hours"};

// The seed's views: the names and French columns its Power BI reports use.
constexpr std::string_view k_create_v_prime_sportive =
    "CREATE OR REPLACE VIEW gold.v_prime_sportive AS SELECT "
    "year AS annee, employee_id AS id_salarie, nom, prenom, business_unit AS bu, "
    "salaire_brut_eur AS salaire_brut, moyen_deplacement, distance_km, "
    "distance_source AS source_distance, threshold_km AS seuil_km, eligible, "
    "reason_text AS motif, prime_eur FROM gold.prime_sportive";

constexpr std::string_view k_create_v_wellbeing =
    "CREATE OR REPLACE VIEW gold.v_wellbeing AS SELECT "
    "year AS annee, employee_id AS id_salarie, nom, prenom, business_unit AS bu, "
    "activities AS nb_activites, first_activity AS premiere_activite, "
    "last_activity AS derniere_activite, eligible, days AS jours_bien_etre FROM gold.wellbeing";

// One COPY text line, field by field in the table's COPY column order (each in its SQL type's
// input syntax, \N for NULL), then end().
class CopyLine {
 public:
  explicit CopyLine(std::string& out) : out_(out) {}
  void end() { out_ += '\n'; }

  CopyLine& text(std::string_view value) {
    separate();
    pg::append_copy_text(out_, value);
    return *this;
  }
  // "" (no value, as the Gold structs say it) → NULL.
  CopyLine& text_or_null(std::string_view value) {
    if (value.empty()) return null();
    return text(value);
  }
  CopyLine& integer(int64_t value) {
    separate();
    pg::append_copy_number(out_, value);
    return *this;
  }
  // Exact: the cents' decimal text (154700 → "1547.00"), never through a double.
  CopyLine& euros(int64_t cents) {
    separate();
    out_ += decimal_text(cents, 2);
    return *this;
  }
  CopyLine& number(std::optional<double> value) {
    if (!value) return null();
    separate();
    // to_chars would write "nan"/"inf", which float8 input does not all accept ("-nan").
    if (std::isnan(*value)) {
      out_ += "NaN";
    } else if (std::isinf(*value)) {
      out_ += *value > 0 ? "Infinity" : "-Infinity";
    } else {
      pg::append_copy_number(out_, *value);  // shortest text that reads back as the same double
    }
    return *this;
  }
  CopyLine& boolean(bool value) {
    separate();
    out_ += value ? 't' : 'f';
    return *this;
  }
  // Local time in µs since the epoch → "2025-03-01 07:45:00.000000" for a `timestamp` column.
  CopyLine& local_timestamp(std::optional<int64_t> micros) {
    if (!micros) return null();
    separate();
    out_ += format_timestamp_us(*micros, ' ', false);
    return *this;
  }

 private:
  CopyLine& null() {
    separate();
    out_ += pg::k_copy_null;
    return *this;
  }
  void separate() {
    if (!first_) out_ += '\t';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

std::string prime_sportive_rows(const std::vector<PrimeSportive>& rows) {
  std::string out;
  for (const auto& r : rows) {
    CopyLine(out)
        .integer(r.year)
        .integer(r.employee_id)
        .text(r.nom)
        .text(r.prenom)
        .text(r.business_unit)
        .euros(r.salaire_brut_cents)
        .text(r.moyen_deplacement)
        .number(r.distance_km)
        .text_or_null(r.distance_source)
        .boolean(r.distance_estimate)
        .number(r.threshold_km)
        .boolean(r.eligible)
        .text(r.reason)
        .text(r.reason_text)
        .boolean(r.declaration_anomaly)
        .euros(r.prime_cents)
        .end();
  }
  return out;
}

std::string wellbeing_rows(const std::vector<Wellbeing>& rows) {
  std::string out;
  for (const auto& r : rows) {
    CopyLine(out)
        .integer(r.year)
        .integer(r.employee_id)
        .text(r.nom)
        .text(r.prenom)
        .text(r.business_unit)
        .integer(r.activities)
        .local_timestamp(r.first_activity_us)
        .local_timestamp(r.last_activity_us)
        .boolean(r.eligible)
        .integer(r.days)
        .integer(r.missing)
        .end();
  }
  return out;
}

std::string kpi_summary_rows(const KpiSummary& s) {
  std::string out;
  CopyLine(out)
      .integer(s.year)
      .integer(s.employees)
      .integer(s.sporty_commuters)
      .integer(s.eligible_bonus)
      .euros(s.total_bonus_cents)
      .euros(s.max_bonus_cents)
      .integer(s.declaration_anomalies)
      .integer(s.unknown_distances)
      .integer(s.wellbeing_eligible)
      .integer(s.wellbeing_days)
      .integer(s.activities)
      .integer(s.dq_errors)
      .integer(s.dq_warnings)
      .end();
  return out;
}

std::string kpi_by_bu_rows(const std::vector<KpiByBu>& rows) {
  std::string out;
  for (const auto& r : rows) {
    CopyLine(out)
        .integer(r.year)
        .text(r.business_unit)
        .integer(r.employees)
        .integer(r.eligible_bonus)
        .euros(r.total_bonus_cents)
        .integer(r.wellbeing_eligible)
        .integer(r.activities)
        .end();
  }
  return out;
}

std::string activity_monthly_rows(const std::vector<ActivityMonthly>& rows) {
  std::string out;
  for (const auto& r : rows) {
    CopyLine(out)
        .integer(r.year)
        .integer(r.month)
        .text(r.sport_type)
        .integer(r.activities)
        .number(r.distance_km)
        .number(r.moving_hours)
        .end();
  }
  return out;
}

// Every row must belong to the summary's year: the DELETE of that year is what replaces them.
template <class Row>
Status check_year(const std::vector<Row>& rows, int32_t year, std::string_view table) {
  for (const auto& r : rows) {
    if (r.year != year)
      return make_error(Errc::invalid_argument, std::string(table) + ": a row of year " +
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
  SL_TRY(check_year(gold.prime_sportive, year, k_prime_sportive));
  SL_TRY(check_year(gold.wellbeing, year, k_wellbeing));
  SL_TRY(check_year(gold.by_bu, year, k_kpi_by_bu));
  SL_TRY(check_year(gold.monthly, year, k_activity_monthly));
  return {};
}

// The error of a failed step, prefixed by the object it concerns.
template <class T>
Status in_context(const Result<T>& result, std::string_view context) {
  if (!result) return result.error().with_context(context);
  return {};
}

// DELETE the year's rows, COPY the new ones; `rows` is the COPY text of `expected` lines.
Status replace_year(pg::Connection& sql, const GoldTable& table, int32_t year,
                    const std::string& rows, size_t expected) {
  SL_TRY(sql.exec_params("DELETE FROM " + std::string(table.name) + " WHERE year = $1",
                         {std::to_string(year)}));
  SL_ASSIGN_OR_RETURN(auto copy, sql.copy_in("COPY " + std::string(table.name) + " (" +
                                             std::string(table.copy_columns) + ") FROM STDIN"));
  if (!rows.empty()) SL_TRY(copy.put(rows));
  SL_ASSIGN_OR_RETURN(uint64_t stored, copy.finish());
  if (stored != expected)
    return make_error(Errc::internal, "COPY stored " + std::to_string(stored) + " rows of " +
                                          std::to_string(expected));
  return {};
}

// One table's new rows for the year, as COPY text (built before BEGIN: no IO, short transaction).
struct TableRows {
  const GoldTable& table;
  std::string rows;
  size_t count = 0;
};

// Steps 1 (after BEGIN) to 3 of the header; the caller commits or rolls back.
Status publish_steps(pg::Connection& sql, int32_t year, const std::vector<TableRows>& tables) {
  // CREATE ... IF NOT EXISTS fails (unique violation) when another transaction creates the same
  // object at the same time: concurrent publishers queue here until the holder ends.
  SL_TRY(in_context(sql.exec("SELECT pg_advisory_xact_lock(hashtext('sportlake.gold.publish'))"),
                    "gold"));
  SL_TRY(in_context(sql.exec("CREATE SCHEMA IF NOT EXISTS gold"), "gold"));
  for (const auto& t : tables) SL_TRY(in_context(sql.exec(t.table.create), t.table.name));
  SL_TRY(in_context(sql.exec(k_create_v_prime_sportive), k_v_prime_sportive));
  SL_TRY(in_context(sql.exec(k_create_v_wellbeing), k_v_wellbeing));
  for (const auto& t : tables)
    SL_TRY(in_context(replace_year(sql, t.table, year, t.rows, t.count), t.table.name));
  return {};
}

}  // namespace

Status publish_gold(pg::Connection& sql, const Gold& gold) {
  SL_TRY(check_one_year(gold));
  const int32_t year = gold.summary.year;
  std::vector<TableRows> tables;
  tables.push_back({k_prime_sportive_table, prime_sportive_rows(gold.prime_sportive),
                    gold.prime_sportive.size()});
  tables.push_back({k_wellbeing_table, wellbeing_rows(gold.wellbeing), gold.wellbeing.size()});
  tables.push_back({k_kpi_summary_table, kpi_summary_rows(gold.summary), 1});
  tables.push_back({k_kpi_by_bu_table, kpi_by_bu_rows(gold.by_bu), gold.by_bu.size()});
  tables.push_back(
      {k_activity_monthly_table, activity_monthly_rows(gold.monthly), gold.monthly.size()});

  SL_TRY(in_context(sql.exec("BEGIN"), "gold"));
  if (auto status = publish_steps(sql, year, tables); !status) {
    (void)sql.exec("ROLLBACK");
    return status;
  }
  // Only now do readers see the new rows of the year, all of them at once.
  SL_TRY(in_context(sql.exec("COMMIT"), "gold: commit"));
  spdlog::info(
      "gold {}: published to PostgreSQL: {} prime_sportive, {} wellbeing, {} kpi_by_bu, {} "
      "activity_monthly rows",
      year, gold.prime_sportive.size(), gold.wellbeing.size(), gold.by_bu.size(),
      gold.monthly.size());
  return {};
}

}  // namespace sl::lakehouse
