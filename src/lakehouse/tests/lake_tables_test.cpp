// The Silver and Gold tables as BI users and the tests read them: names, types, nullability and
// order of every Delta column and how a row's values (nulls, "" as null, cents, days, µs) land;
// the PostgreSQL tables and views publish_gold creates; and, for every table, the Delta schema,
// the DDL, the COPY column list and COPY rows agreeing column for column.
#include "lakehouse/lake_tables.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/civil_time.hpp"
#include "lakehouse/gold_publisher.hpp"
#include "lakehouse/table_spec_sql.hpp"

namespace sl::lakehouse {
namespace {

constexpr int64_t k_us_per_hour = 3'600'000'000LL;

std::string describe(const columnar::Field& f) {
  std::string out = f.name + " " + std::string(columnar::type_name(f.type.id));
  if (f.type.id == columnar::TypeId::decimal)
    out += "(" + std::to_string(f.type.precision) + "," + std::to_string(f.type.scale) + ")";
  return out + (f.nullable ? "" : " not null");
}

// "table: col type, col type not null, ...\n" then one line per row, values separated by " | ".
std::string describe(const NamedBatch& table) {
  const auto& [name, batch] = table;
  std::string out = name + ":";
  for (size_t i = 0; i < batch.schema.size(); ++i)
    out += (i ? ", " : " ") + describe(batch.schema[i]);
  out += "\n";
  for (size_t row = 0; row < batch.num_rows; ++row) {
    for (size_t c = 0; c < batch.columns.size(); ++c)
      out += (c ? " | " : "") + columnar::to_debug_string(batch.columns[c], row);
    out += "\n";
  }
  return out;
}

std::string describe(const std::vector<NamedBatch>& tables) {
  std::string out;
  for (const auto& t : tables) out += describe(t);
  return out;
}

Silver sample_silver() {
  Silver s;
  s.employees = {
      {.id = 7,
       .nom = "Martin",
       .prenom = "Alice",
       .date_naissance = static_cast<int32_t>(days_from_civil({1990, 5, 17})),
       .date_embauche = static_cast<int32_t>(days_from_civil({2020, 1, 6})),
       .business_unit = "R&D",
       .salaire_brut_cents = 3'094'000,
       .contrat = "CDI",
       .nb_conges_payes = 25,
       .adresse_complete = "1 Rue A, 34970 Lattes",
       .moyen_deplacement = "Marche/running",
       .commute_mode = "walk_run",
       .sport_declared = "Runing",
       .sport = "Course à pied"},
      // No dates, no leave count, no sport: nulls, and "" sports read as null.
      {.id = 8, .nom = "", .commute_mode = "unknown"},
  };
  s.activities = {
      {.activity_id = 900,
       .employee_id = 7,
       .name = "Sortie",
       .sport_type = "Run",
       .distance_m = 10'500.5,
       .moving_time_s = 3'000,
       .elapsed_time_s = 3'100,
       .start_date_utc_us = 1'700'000'000LL * 1'000'000,
       .start_date_local_us = 1'700'000'000LL * 1'000'000 + k_us_per_hour,
       .commute = true,
       .calories = 612.5,
       .start_year = 2023,
       .start_month = 11},
      {.activity_id = 901, .employee_id = 8},
  };
  s.commutes = {
      {.employee_id = 7,
       .adresse_complete = "1 Rue A, 34970 Lattes",
       .moyen_deplacement = "Marche/running",
       .travel_mode = "walking",
       .distance_m = 4'200,
       .distance_source = "offline",
       .distance_estimate = true,
       .address_match = "exact",
       .commune = "Lattes"},
      {.employee_id = 8, .adresse_complete = "ailleurs", .moyen_deplacement = "voiture"},
  };
  s.issues = {{.table = "employees",
               .key = "8",
               .rule = "mode_known",
               .severity = "error",
               .reason = "mode inconnu",
               .employee_id = 8},
              {.table = "activities", .key = "", .rule = "r", .severity = "info"}};
  return s;
}

Gold sample_gold() {
  Gold g;
  g.prime_sportive = {
      {.year = 2025,
       .employee_id = 7,
       .nom = "Martin",
       .prenom = "Alice",
       .business_unit = "R&D",
       .salaire_brut_cents = 3'094'000,
       .moyen_deplacement = "Marche/running",
       .distance_km = 4.2,
       .distance_source = "offline",
       .distance_estimate = true,
       .threshold_km = 15,
       .eligible = true,
       .reason = "eligible",
       .reason_text = "Éligible",
       .declaration_anomaly = true,
       .prime_cents = 154'700},
      {.year = 2025, .employee_id = 8, .reason = "not_sporty_mode"},
  };
  g.wellbeing = {
      {.year = 2025,
       .employee_id = 7,
       .nom = "Martin",
       .prenom = "Alice",
       .business_unit = "R&D",
       .activities = 18,
       .first_activity_us = 1'736'150'400LL * 1'000'000,
       .last_activity_us = 1'766'150'400LL * 1'000'000 + 250'000,
       .eligible = true,
       .days = 5,
       .missing = 2},
      {.year = 2025, .employee_id = 8},
  };
  g.summary = {.year = 2025,
               .employees = 3,
               .sporty_commuters = 2,
               .eligible_bonus = 1,
               .total_bonus_cents = 154'700,
               .max_bonus_cents = 364'705,
               .declaration_anomalies = 4,
               .unknown_distances = 5,
               .wellbeing_eligible = 6,
               .wellbeing_days = 7,
               .activities = 21,
               .dq_errors = 8,
               .dq_warnings = 9};
  g.by_bu = {{.year = 2025,
              .business_unit = "R&D",
              .employees = 2,
              .eligible_bonus = 1,
              .total_bonus_cents = 154'700,
              .wellbeing_eligible = 1,
              .activities = 3}};
  g.monthly = {{.year = 2025,
                .month = 3,
                .sport_type = "Run",
                .activities = 11,
                .distance_km = 0.1,
                .moving_hours = 9.75}};
  g.distance_bins = {{.year = 2025, .travel_mode = "walking", .km = 4, .employees = 1}};
  g.wellbeing_shortfall = {{.year = 2025, .missing = 0, .employees = 1},
                           {.year = 2025, .missing = 15, .employees = 1}};
  return g;
}

TEST(LakeTables, SilverTablesKeepTheirColumnsAndValues) {
  EXPECT_EQ(
      describe(silver_tables(sample_silver())),
      "employees: id int64 not null, nom string, prenom string, date_naissance date, date_embauche "
      "date, business_unit string, salaire_brut decimal(12,2), contrat string, nb_conges_payes "
      "int32, adresse_complete string, moyen_deplacement string, commute_mode string, "
      "sport_declared string, sport string\n"
      "7 | \"Martin\" | \"Alice\" | 7441 | 18267 | \"R&D\" | 3094000 | \"CDI\" | 25 | \"1 Rue A, "
      "34970 Lattes\" | \"Marche/running\" | \"walk_run\" | \"Runing\" | \"Course à pied\"\n"
      "8 | \"\" | \"\" | null | null | \"\" | 0 | \"\" | null | \"\" | \"\" | \"unknown\" | null | "
      "null\n"
      "activities: activity_id int64 not null, employee_id int64, name string, sport_type string, "
      "distance_m double, moving_time_s int32, elapsed_time_s int32, start_date_utc timestamp, "
      "start_date_local timestamp, commute boolean, calories double, start_year int32 not null, "
      "start_month int32 not null\n"
      "900 | 7 | \"Sortie\" | \"Run\" | 10500.5 | 3000 | 3100 | 1700000000000000 | "
      "1700003600000000 | true | 612.5 | 2023 | 11\n"
      "901 | 8 | \"\" | \"\" | null | null | null | null | null | false | null | 0 | 0\n"
      "commutes: employee_id int64 not null, adresse_complete string, moyen_deplacement string, "
      "travel_mode string, distance_m double, distance_source string, distance_estimate boolean, "
      "address_match string, commune string\n"
      "7 | \"1 Rue A, 34970 Lattes\" | \"Marche/running\" | \"walking\" | 4200 | \"offline\" | "
      "true | \"exact\" | \"Lattes\"\n"
      "8 | \"ailleurs\" | \"voiture\" | null | null | null | false | null | null\n"
      "dq_issues: table_name string not null, row_key string, rule string not null, severity "
      "string not null, reason string, employee_id int64\n"
      "\"employees\" | \"8\" | \"mode_known\" | \"error\" | \"mode inconnu\" | 8\n"
      "\"activities\" | \"\" | \"r\" | \"info\" | \"\" | null\n");
}

TEST(LakeTables, GoldTablesKeepTheirColumnsAndValues) {
  EXPECT_EQ(describe(gold_tables(sample_gold())),
            "prime_sportive: year int32 not null, employee_id int64 not null, nom string, prenom "
            "string, business_unit string, salaire_brut decimal(12,2), moyen_deplacement string, "
            "distance_km double, distance_source string, distance_estimate boolean, threshold_km "
            "double, eligible boolean, reason string, reason_text string, declaration_anomaly "
            "boolean, prime_eur decimal(12,2)\n"
            "2025 | 7 | \"Martin\" | \"Alice\" | \"R&D\" | 3094000 | \"Marche/running\" | 4.2 | "
            "\"offline\" | true | 15 | true | \"eligible\" | \"Éligible\" | true | 154700\n"
            "2025 | 8 | \"\" | \"\" | \"\" | 0 | \"\" | null | null | false | null | false | "
            "\"not_sporty_mode\" | \"\" | false | 0\n"
            "wellbeing: year int32 not null, employee_id int64 not null, nom string, prenom "
            "string, business_unit string, activities int32, first_activity timestamp, "
            "last_activity timestamp, eligible boolean, days int32, missing int32\n"
            "2025 | 7 | \"Martin\" | \"Alice\" | \"R&D\" | 18 | 1736150400000000 | "
            "1766150400250000 | true | 5 | 2\n"
            "2025 | 8 | \"\" | \"\" | \"\" | 0 | null | null | false | 0 | 0\n"
            "kpi_summary: year int32 not null, employees int64, sporty_commuters int64, "
            "eligible_bonus int64, total_bonus_eur decimal(12,2), max_bonus_eur decimal(12,2), "
            "declaration_anomalies int64, unknown_distances int64, wellbeing_eligible int64, "
            "wellbeing_days int64, activities int64, dq_errors int64, dq_warnings int64\n"
            "2025 | 3 | 2 | 1 | 154700 | 364705 | 4 | 5 | 6 | 7 | 21 | 8 | 9\n"
            "kpi_by_bu: year int32 not null, business_unit string, employees int64, eligible_bonus "
            "int64, total_bonus_eur decimal(12,2), wellbeing_eligible int64, activities int64\n"
            "2025 | \"R&D\" | 2 | 1 | 154700 | 1 | 3\n"
            "activity_monthly: year int32 not null, month int32 not null, sport_type string, "
            "activities int64, distance_km double, moving_hours double\n"
            "2025 | 3 | \"Run\" | 11 | 0.1 | 9.75\n"
            "distance_bins: year int32 not null, travel_mode string, km int32 not null, "
            "employees int64\n"
            "2025 | \"walking\" | 4 | 1\n"
            "wellbeing_shortfall: year int32 not null, missing int32 not null, employees int64\n"
            "2025 | 0 | 1\n"
            "2025 | 15 | 1\n");
}

// The published schema as it was when the statements were written by hand: existing databases
// hold these tables, Power BI reports read these views.
TEST(LakeTables, GoldDdlIsThePublishedSchema) {
  const auto& g = gold_specs();
  EXPECT_EQ(
      gold_create_table_sql(g.prime_sportive.info),
      "CREATE TABLE IF NOT EXISTS gold.prime_sportive ("
      "year integer NOT NULL, employee_id bigint NOT NULL, nom text NOT NULL, prenom text NOT "
      "NULL, "
      "business_unit text NOT NULL, salaire_brut_eur numeric(12,2) NOT NULL, "
      "moyen_deplacement text NOT NULL, distance_km double precision, distance_source text, "
      "distance_estimate boolean NOT NULL, threshold_km double precision, eligible boolean NOT "
      "NULL, "
      "reason text NOT NULL, reason_text text NOT NULL, declaration_anomaly boolean NOT NULL, "
      "prime_eur numeric(12,2) NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
      "PRIMARY KEY (year, employee_id))");
  EXPECT_EQ(gold_create_table_sql(g.wellbeing.info),
            "CREATE TABLE IF NOT EXISTS gold.wellbeing ("
            "year integer NOT NULL, employee_id bigint NOT NULL, nom text NOT NULL, prenom text "
            "NOT NULL, "
            "business_unit text NOT NULL, activities integer NOT NULL, first_activity timestamp, "
            "last_activity timestamp, eligible boolean NOT NULL, days integer NOT NULL, "
            "activities_missing integer NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
            "PRIMARY KEY (year, employee_id))");
  EXPECT_EQ(
      gold_create_table_sql(g.kpi_summary.info),
      "CREATE TABLE IF NOT EXISTS gold.kpi_summary ("
      "year integer NOT NULL, employees bigint NOT NULL, sporty_commuters bigint NOT NULL, "
      "eligible_bonus bigint NOT NULL, total_bonus_eur numeric(12,2) NOT NULL, "
      "max_bonus_eur numeric(12,2) NOT NULL, declaration_anomalies bigint NOT NULL, "
      "unknown_distances bigint NOT NULL, wellbeing_eligible bigint NOT NULL, "
      "wellbeing_days bigint NOT NULL, activities bigint NOT NULL, dq_errors bigint NOT NULL, "
      "dq_warnings bigint NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
      "PRIMARY KEY (year))");
  EXPECT_EQ(gold_create_table_sql(g.kpi_by_bu.info),
            "CREATE TABLE IF NOT EXISTS gold.kpi_by_bu ("
            "year integer NOT NULL, business_unit text NOT NULL, employees bigint NOT NULL, "
            "eligible_bonus bigint NOT NULL, total_bonus_eur numeric(12,2) NOT NULL, "
            "wellbeing_eligible bigint NOT NULL, activities bigint NOT NULL, "
            "published_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (year, business_unit))");
  EXPECT_EQ(
      gold_create_table_sql(g.activity_monthly.info),
      "CREATE TABLE IF NOT EXISTS gold.activity_monthly ("
      "year integer NOT NULL, month integer NOT NULL CHECK (month BETWEEN 1 AND 12), "
      "sport_type text NOT NULL, activities bigint NOT NULL, distance_km double precision NOT "
      "NULL, "
      "moving_hours double precision NOT NULL, published_at timestamptz NOT NULL DEFAULT now(), "
      "PRIMARY KEY (year, month, sport_type))");

  EXPECT_EQ(gold_create_view_sql(g.prime_sportive.info),
            "CREATE OR REPLACE VIEW gold.v_prime_sportive AS SELECT "
            "year AS annee, employee_id AS id_salarie, nom, prenom, business_unit AS bu, "
            "salaire_brut_eur AS salaire_brut, moyen_deplacement, distance_km, "
            "distance_source AS source_distance, threshold_km AS seuil_km, eligible, "
            "reason_text AS motif, prime_eur FROM gold.prime_sportive");
  EXPECT_EQ(gold_create_view_sql(g.wellbeing.info),
            "CREATE OR REPLACE VIEW gold.v_wellbeing AS SELECT "
            "year AS annee, employee_id AS id_salarie, nom, prenom, business_unit AS bu, "
            "activities AS nb_activites, first_activity AS premiere_activite, "
            "last_activity AS derniere_activite, eligible, days AS jours_bien_etre "
            "FROM gold.wellbeing");
  for (const auto* t : {&g.kpi_summary.info, &g.kpi_by_bu.info, &g.activity_monthly.info})
    EXPECT_EQ(t->view, "") << t->name;
}

std::vector<std::string> split(const std::string& text, std::string_view separator = ", ") {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string::npos;
       start = at + separator.size())
    out.push_back(text.substr(start, at - start));
  out.push_back(text.substr(start));
  return out;
}

// The PostgreSQL type each lake type is published as, written out independently of the specs.
std::string expected_pg_type(const columnar::DataType& t) {
  switch (t.id) {
    case columnar::TypeId::string:
      return "text";
    case columnar::TypeId::int32:
      return "integer";
    case columnar::TypeId::int64:
      return "bigint";
    case columnar::TypeId::float64:
      return "double precision";
    case columnar::TypeId::boolean:
      return "boolean";
    case columnar::TypeId::date32:
      return "date";
    case columnar::TypeId::timestamp_us:
      return "timestamp";
    case columnar::TypeId::decimal:
      return "numeric(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    default:
      return "unexpected " + std::string(columnar::type_name(t.id));
  }
}

std::vector<const TableInfo*> every_table() {
  auto tables = silver_specs().tables();
  for (const auto* t : gold_specs().tables()) tables.push_back(t);
  return tables;
}

TEST(LakeTables, DeltaSchemaDdlAndCopyListAgreeColumnForColumn) {
  ASSERT_EQ(every_table().size(), 13u);
  std::set<std::string> renamed;
  for (const auto* table : every_table()) {
    SCOPED_TRACE(std::string(table->name));
    const auto fields = lake_schema(*table);
    const auto definitions = split(sql_column_definitions(*table));
    const auto copy_list = split(sql_column_list(*table));
    ASSERT_EQ(definitions.size(), fields.size());
    ASSERT_EQ(copy_list.size(), fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      SCOPED_TRACE(fields[i].name);
      // "<copy name> <type>[ NOT NULL][ CHECK (...)]"
      const std::string typed = copy_list[i] + " " + expected_pg_type(fields[i].type);
      EXPECT_EQ(definitions[i].substr(0, typed.size()), typed);
      const bool not_null = definitions[i].find(" NOT NULL") != std::string::npos;
      // A column the lake requires has a value in every row: PostgreSQL may require it too.
      EXPECT_TRUE(fields[i].nullable || not_null);
      EXPECT_EQ(not_null, !table->columns[i].may_be_null);
      if (copy_list[i] != fields[i].name)
        renamed.insert(std::string(table->name) + "." + fields[i].name + " " + copy_list[i]);
    }
    // A view shows columns of its table, in the table's order.
    if (!table->view.empty()) {
      size_t next = 0;
      for (const auto& shown : split(sql_view_columns(*table))) {
        const std::string source = shown.substr(0, shown.find(" AS "));
        size_t at = next;
        while (at < copy_list.size() && copy_list[at] != source) ++at;
        EXPECT_LT(at, copy_list.size()) << shown;
        next = at + 1;
      }
    }
  }
  EXPECT_EQ(renamed, (std::set<std::string>{"prime_sportive.salaire_brut salaire_brut_eur",
                                            "wellbeing.missing activities_missing"}));
}

// Field i of a COPY line is \N exactly where column i of the record batch is null.
template <class Row>
void expect_copy_rows_match_batch(const TableSpec<Row>& spec, std::span<const Row> rows) {
  SCOPED_TRACE(std::string(spec.info.name));
  const auto batch = record_batch(spec, rows);
  std::string text;
  append_copy_rows(text, spec, rows);
  auto lines = split(text, "\n");
  ASSERT_EQ(lines.size(), rows.size() + 1);  // each line ends with \n
  EXPECT_EQ(lines.back(), "");
  for (size_t row = 0; row < rows.size(); ++row) {
    const auto fields = split(lines[row], "\t");
    ASSERT_EQ(fields.size(), batch.columns.size());
    for (size_t c = 0; c < fields.size(); ++c)
      EXPECT_EQ(fields[c] == "\\N", columnar::to_debug_string(batch.columns[c], row) == "null")
          << batch.schema[c].name << " row " << row << ": " << fields[c];
  }
}

TEST(LakeTables, CopyRowsHoldTheBatchesNulls) {
  const Silver s = sample_silver();
  const auto& ss = silver_specs();
  expect_copy_rows_match_batch<Employee>(ss.employees, s.employees);
  expect_copy_rows_match_batch<Activity>(ss.activities, s.activities);
  expect_copy_rows_match_batch<Commute>(ss.commutes, s.commutes);
  expect_copy_rows_match_batch<DqIssue>(ss.dq_issues, s.issues);
  const Gold g = sample_gold();
  const auto& gs = gold_specs();
  expect_copy_rows_match_batch<PrimeSportive>(gs.prime_sportive, g.prime_sportive);
  expect_copy_rows_match_batch<Wellbeing>(gs.wellbeing, g.wellbeing);
  expect_copy_rows_match_batch<KpiSummary>(gs.kpi_summary, {&g.summary, 1});
  expect_copy_rows_match_batch<KpiByBu>(gs.kpi_by_bu, g.by_bu);
  expect_copy_rows_match_batch<ActivityMonthly>(gs.activity_monthly, g.monthly);
}

// What publish_gold sends for the first bonus row: cents as exact euros, the local time without
// zone, an empty distance source as NULL.
TEST(LakeTables, GoldCopyLine) {
  const Gold g = sample_gold();
  std::string text;
  append_copy_rows<PrimeSportive>(text, gold_specs().prime_sportive, g.prime_sportive);
  EXPECT_EQ(text,
            "2025\t7\tMartin\tAlice\tR&D\t30940.00\tMarche/running\t4.2\toffline\tt\t15\tt\t"
            "eligible\tÉligible\tt\t1547.00\n"
            "2025\t8\t\t\t\t0.00\t\t\\N\t\\N\tf\t\\N\tf\tnot_sporty_mode\t\tf\t0.00\n");
  text.clear();
  append_copy_rows<Wellbeing>(text, gold_specs().wellbeing, g.wellbeing);
  EXPECT_EQ(text,
            "2025\t7\tMartin\tAlice\tR&D\t18\t2025-01-06 08:00:00.000000\t"
            "2025-12-19 13:20:00.250000\tt\t5\t2\n"
            "2025\t8\t\t\t\t0\t\\N\t\\N\tf\t0\t0\n");
}

}  // namespace
}  // namespace sl::lakehouse
