// The Silver and Gold Delta tables as BI users and the tests read them: names, types, nullability
// and order of every column, and how a row's values (nulls, "" as null, cents, days, µs) land.
#include "lakehouse/lake_tables.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/civil_time.hpp"

namespace sl::lakehouse {
namespace {

constexpr int64_t k_us_per_hour = 3'600'000'000LL;

std::string describe(const parquet::Field& f) {
  std::string out = f.name + " " + std::string(parquet::type_name(f.type.id));
  if (f.type.id == parquet::TypeId::decimal)
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
      out += (c ? " | " : "") + parquet::to_debug_string(batch.columns[c], row);
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
       .calories = 612.5},
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
               .reason = "mode inconnu"},
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
      "start_date_local timestamp, commute boolean, calories double\n"
      "900 | 7 | \"Sortie\" | \"Run\" | 10500.5 | 3000 | 3100 | 1700000000000000 | "
      "1700003600000000 | true | 612.5\n"
      "901 | 8 | \"\" | \"\" | null | null | null | null | null | false | null\n"
      "commutes: employee_id int64 not null, adresse_complete string, moyen_deplacement string, "
      "travel_mode string, distance_m double, distance_source string, distance_estimate boolean, "
      "address_match string, commune string\n"
      "7 | \"1 Rue A, 34970 Lattes\" | \"Marche/running\" | \"walking\" | 4200 | \"offline\" | "
      "true | \"exact\" | \"Lattes\"\n"
      "8 | \"ailleurs\" | \"voiture\" | null | null | null | false | null | null\n"
      "dq_issues: table_name string not null, row_key string, rule string not null, severity "
      "string not null, reason string\n"
      "\"employees\" | \"8\" | \"mode_known\" | \"error\" | \"mode inconnu\"\n"
      "\"activities\" | \"\" | \"r\" | \"info\" | \"\"\n");
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
            "2025 | 3 | \"Run\" | 11 | 0.1 | 9.75\n");
}

}  // namespace
}  // namespace sl::lakehouse
