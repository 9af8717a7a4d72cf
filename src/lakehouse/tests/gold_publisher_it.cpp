// publish_gold against a real PostgreSQL: the tables and views BI tools read, per-year
// replacement, a row PostgreSQL refuses left out (the others published), and a failed
// publication that leaves the previous one as it was.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/civil_time.hpp"
#include "lakehouse/gold_publisher.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::lakehouse {
namespace {

using pg::testing::TestCluster;

constexpr int64_t k_us_per_second = 1'000'000;

// Local time → µs since the epoch, as the Gold structs hold it.
int64_t local_us(int64_t year, int month, int day, int hour, int minute, double second) {
  int64_t days = days_from_civil({year, month, day});
  return (days * 86400 + hour * 3600 + minute * 60) * k_us_per_second +
         static_cast<int64_t>(second * k_us_per_second);
}

// Three employees: one eligible to the bonus (1547.00 €), one too far, one driving (no distance).
Gold sample_gold(int32_t year) {
  Gold gold;
  gold.prime_sportive = {
      {.year = year,
       .employee_id = 101,
       .nom = "Martin",
       .prenom = "Alice",
       .business_unit = "Marketing",
       .salaire_brut_cents = 3'094'000,
       .moyen_deplacement = "Vélo/Trottinette/Autres",
       .distance_km = 12.5,
       .distance_source = "offline",
       .distance_estimate = true,
       .threshold_km = 25,
       .eligible = true,
       .reason = "eligible",
       .reason_text = "Éligible : 12,5 km à vélo (seuil 25 km)",
       .prime_cents = 154'700},
      {.year = year,
       .employee_id = 102,
       .nom = "Durand",
       .prenom = "Bob",
       .business_unit = "R&D",
       .salaire_brut_cents = 4'200'050,
       .moyen_deplacement = "Marche/running",
       .distance_km = 20.1,
       .distance_source = "google_distance_matrix",
       .threshold_km = 15,
       .eligible = false,
       .reason = "over_threshold",
       .reason_text = "Non éligible : 20,1 km à pied, au-delà du seuil de 15 km",
       .declaration_anomaly = true,
       .prime_cents = 0},
      // COPY's escapes: a tab, a backslash, quotes and a newline must read back as written.
      {.year = year,
       .employee_id = 103,
       .nom = "d'Arc\tPetit",
       .prenom = "Zoé \"Zo\" \\",
       .business_unit = "R&D",
       .salaire_brut_cents = 2'800'000,
       .moyen_deplacement = "véhicule thermique/électrique",
       .eligible = false,
       .reason = "not_sporty_mode",
       .reason_text = "Non éligible :\nmode non sportif",
       .prime_cents = 0},
  };
  gold.wellbeing = {
      {.year = year,
       .employee_id = 101,
       .nom = "Martin",
       .prenom = "Alice",
       .business_unit = "Marketing",
       .activities = 18,
       .first_activity_us = local_us(year, 1, 6, 7, 30, 0),
       .last_activity_us = local_us(year, 12, 20, 18, 5, 30.25),
       .eligible = true,
       .days = 5},
      {.year = year,
       .employee_id = 102,
       .nom = "Durand",
       .prenom = "Bob",
       .business_unit = "R&D",
       .activities = 3,
       .first_activity_us = local_us(year, 3, 1, 12, 0, 0),
       .last_activity_us = local_us(year, 3, 9, 12, 0, 0),
       .eligible = false,
       .missing = 12},
      {.year = year,
       .employee_id = 103,
       .nom = "d'Arc\tPetit",
       .prenom = "Zoé \"Zo\" \\",
       .business_unit = "R&D",
       .missing = 15},
  };
  gold.summary = {.year = year,
                  .employees = 3,
                  .sporty_commuters = 2,
                  .eligible_bonus = 1,
                  .total_bonus_cents = 154'700,
                  .max_bonus_cents = 364'700,
                  .declaration_anomalies = 1,
                  .unknown_distances = 0,
                  .wellbeing_eligible = 1,
                  .wellbeing_days = 5,
                  .activities = 21,
                  .dq_errors = 0,
                  .dq_warnings = 2};
  gold.by_bu = {
      {.year = year,
       .business_unit = "Marketing",
       .employees = 1,
       .eligible_bonus = 1,
       .total_bonus_cents = 154'700,
       .wellbeing_eligible = 1,
       .activities = 18},
      {.year = year, .business_unit = "R&D", .employees = 2, .activities = 3},
  };
  gold.monthly = {
      {.year = year,
       .month = 1,
       .sport_type = "Ride",
       .activities = 10,
       .distance_km = 152.25,
       .moving_hours = 7.5},
      {.year = year,
       .month = 3,
       .sport_type = "Run",
       .activities = 11,
       .distance_km = 0.1,
       .moving_hours = 9.75},
  };
  return gold;
}

// 2024: one employee fewer (Zoé not yet hired), a smaller bonus.
Gold sample_gold_2024() {
  Gold gold = sample_gold(2024);
  gold.prime_sportive.pop_back();
  gold.wellbeing.pop_back();
  gold.prime_sportive[0].prime_cents = 150'000;
  gold.summary.employees = 2;
  gold.summary.total_bonus_cents = 150'000;
  gold.by_bu = {gold.by_bu[0]};
  gold.by_bu[0].total_bonus_cents = 150'000;
  gold.monthly.pop_back();
  return gold;
}

class GoldPublisher : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = TestCluster::instance().create_database("gold");
    auto conn = pg::Connection::open(conninfo_);
    ASSERT_TRUE(conn.ok()) << conn.error().to_string();
    sql_ = std::make_unique<pg::Connection>(std::move(*conn));
  }

  // The first column of the first row as text ("NULL" for SQL NULL), or the error.
  std::string scalar(const std::string& query) {
    auto result = sql_->exec(query);
    if (!result) return "error: " + result.error().to_string();
    if (result->rows() == 0) return "no row";
    return result->optional_value(0, 0).value_or("NULL");
  }

  std::string count(const std::string& table, int32_t year) {
    return scalar("SELECT count(*) FROM " + table + " WHERE year = " + std::to_string(year));
  }

  // "table:rows" for every Gold table's rows of `year`, to compare publications.
  std::string counts(int32_t year) {
    std::string out;
    for (const char* table : {"gold.prime_sportive", "gold.wellbeing", "gold.kpi_summary",
                              "gold.kpi_by_bu", "gold.activity_monthly"}) {
      out += std::string(table) + ":" + count(table, year) + " ";
    }
    return out;
  }

  std::string columns(const std::string& relation) {
    return scalar(
        "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
        "FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = '" +
        relation + "'");
  }

  std::string conninfo_;
  std::unique_ptr<pg::Connection> sql_;
};

TEST_F(GoldPublisher, CreatesTablesAndViewsWithTheSeedsFrenchColumns) {
  auto published = publish_gold(*sql_, sample_gold(2025));
  ASSERT_TRUE(published.ok()) << published.error().to_string();

  EXPECT_EQ(counts(2025),
            "gold.prime_sportive:3 gold.wellbeing:3 gold.kpi_summary:1 gold.kpi_by_bu:2 "
            "gold.activity_monthly:2 ");
  EXPECT_EQ(columns("v_prime_sportive"),
            "annee integer, id_salarie bigint, nom text, prenom text, bu text, salaire_brut "
            "numeric, moyen_deplacement text, distance_km double precision, source_distance text, "
            "seuil_km double precision, eligible boolean, motif text, prime_eur numeric");
  EXPECT_EQ(columns("v_wellbeing"),
            "annee integer, id_salarie bigint, nom text, prenom text, bu text, nb_activites "
            "integer, premiere_activite timestamp without time zone, derniere_activite timestamp "
            "without time zone, eligible boolean, jours_bien_etre integer");
  EXPECT_EQ(scalar("SELECT string_agg(column_name || ' ' || numeric_precision || ',' || "
                   "numeric_scale, '; ' ORDER BY column_name) FROM information_schema.columns "
                   "WHERE table_schema = 'gold' AND data_type = 'numeric' AND table_name NOT LIKE "
                   "'v\\_%'"),
            "max_bonus_eur 12,2; prime_eur 12,2; salaire_brut_eur 12,2; total_bonus_eur 12,2; "
            "total_bonus_eur 12,2");
  EXPECT_EQ(
      scalar("SELECT string_agg(t.relname || ':' || array_to_string(array(SELECT "
             "a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
             "ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ','), ' ' "
             "ORDER BY t.relname) FROM pg_index i "
             "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = "
             "t.relnamespace WHERE n.nspname = 'gold' AND i.indisprimary"),
      "activity_monthly:year,month,sport_type kpi_by_bu:year,business_unit "
      "kpi_summary:year prime_sportive:year,employee_id wellbeing:year,employee_id");

  // Money exact in euros; NULL distance, source and threshold for the driver.
  auto bonus = sql_->exec(
      "SELECT id_salarie, salaire_brut::text, prime_eur::text, distance_km, source_distance, "
      "seuil_km, eligible, motif, nom, prenom, bu FROM gold.v_prime_sportive "
      "WHERE annee = 2025 ORDER BY id_salarie");
  ASSERT_TRUE(bonus.ok()) << bonus.error().to_string();
  ASSERT_EQ(bonus->rows(), 3);
  EXPECT_EQ(bonus->value(0, 1), "30940.00");
  EXPECT_EQ(bonus->value(0, 2), "1547.00");
  EXPECT_EQ(bonus->value(0, 3), "12.5");
  EXPECT_EQ(bonus->value(0, 4), "offline");
  EXPECT_EQ(bonus->value(0, 5), "25");
  EXPECT_EQ(bonus->value(0, 6), "t");
  EXPECT_EQ(bonus->value(0, 7), "Éligible : 12,5 km à vélo (seuil 25 km)");
  EXPECT_EQ(bonus->value(1, 1), "42000.50");
  EXPECT_EQ(bonus->value(1, 2), "0.00");
  EXPECT_EQ(bonus->value(1, 6), "f");
  EXPECT_EQ(bonus->value(1, 10), "R&D");
  EXPECT_EQ(bonus->value(2, 0), "103");
  EXPECT_TRUE(bonus->is_null(2, 3));
  EXPECT_TRUE(bonus->is_null(2, 4));
  EXPECT_TRUE(bonus->is_null(2, 5));
  EXPECT_EQ(bonus->value(2, 6), "f");
  EXPECT_EQ(bonus->value(2, 7), "Non éligible :\nmode non sportif");
  EXPECT_EQ(bonus->value(2, 8), "d'Arc\tPetit");
  EXPECT_EQ(bonus->value(2, 9), "Zoé \"Zo\" \\");
  EXPECT_EQ(scalar("SELECT sum(prime_eur)::text FROM gold.v_prime_sportive"), "1547.00");
  EXPECT_EQ(scalar("SELECT distance_estimate::text || ' ' || declaration_anomaly::text || ' ' || "
                   "reason FROM gold.prime_sportive WHERE employee_id = 102"),
            "false true over_threshold");

  auto wellbeing = sql_->exec(
      "SELECT id_salarie, nb_activites, premiere_activite::text, derniere_activite::text, "
      "eligible, jours_bien_etre FROM gold.v_wellbeing WHERE annee = 2025 ORDER BY id_salarie");
  ASSERT_TRUE(wellbeing.ok()) << wellbeing.error().to_string();
  ASSERT_EQ(wellbeing->rows(), 3);
  EXPECT_EQ(wellbeing->value(0, 1), "18");
  EXPECT_EQ(wellbeing->value(0, 2), "2025-01-06 07:30:00");
  EXPECT_EQ(wellbeing->value(0, 3), "2025-12-20 18:05:30.25");
  EXPECT_EQ(wellbeing->value(0, 4), "t");
  EXPECT_EQ(wellbeing->value(0, 5), "5");
  EXPECT_TRUE(wellbeing->is_null(2, 2));
  EXPECT_TRUE(wellbeing->is_null(2, 3));
  EXPECT_EQ(wellbeing->value(2, 1), "0");
  EXPECT_EQ(scalar("SELECT activities_missing FROM gold.wellbeing WHERE employee_id = 102"), "12");

  EXPECT_EQ(scalar("SELECT concat_ws(' ', employees, sporty_commuters, eligible_bonus, "
                   "total_bonus_eur, max_bonus_eur, declaration_anomalies, unknown_distances, "
                   "wellbeing_eligible, wellbeing_days, activities, dq_errors, dq_warnings) "
                   "FROM gold.kpi_summary WHERE year = 2025"),
            "3 2 1 1547.00 3647.00 1 0 1 5 21 0 2");
  EXPECT_EQ(scalar("SELECT string_agg(concat_ws(' ', business_unit, employees, eligible_bonus, "
                   "total_bonus_eur, wellbeing_eligible, activities), '; ' ORDER BY "
                   "business_unit) FROM gold.kpi_by_bu"),
            "Marketing 1 1 1547.00 1 18; R&D 2 0 0.00 0 3");
  EXPECT_EQ(scalar("SELECT string_agg(concat_ws(' ', month, sport_type, activities, distance_km, "
                   "moving_hours), '; ' ORDER BY month) FROM gold.activity_monthly"),
            "1 Ride 10 152.25 7.5; 3 Run 11 0.1 9.75");
  // Every row stamped by the one publishing transaction.
  EXPECT_EQ(scalar("SELECT count(DISTINCT published_at) || ' ' || bool_and(published_at <= now()) "
                   "FROM (SELECT published_at FROM gold.prime_sportive UNION ALL SELECT "
                   "published_at FROM gold.kpi_summary) p"),
            "1 true");
}

TEST_F(GoldPublisher, RepublishingReplacesOnlyThatYear) {
  const std::string full_2025 =
      "gold.prime_sportive:3 gold.wellbeing:3 gold.kpi_summary:1 gold.kpi_by_bu:2 "
      "gold.activity_monthly:2 ";
  auto first = publish_gold(*sql_, sample_gold(2025));
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(counts(2025), full_2025);
  auto again = publish_gold(*sql_, sample_gold(2025));
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(counts(2025), full_2025);

  auto older = publish_gold(*sql_, sample_gold_2024());
  ASSERT_TRUE(older.ok()) << older.error().to_string();
  EXPECT_EQ(counts(2024),
            "gold.prime_sportive:2 gold.wellbeing:2 gold.kpi_summary:1 gold.kpi_by_bu:1 "
            "gold.activity_monthly:1 ");
  EXPECT_EQ(counts(2025), full_2025);
  EXPECT_EQ(scalar("SELECT string_agg(annee || ':' || prime_eur, ' ' ORDER BY annee) FROM "
                   "gold.v_prime_sportive WHERE id_salarie = 101"),
            "2024:1500.00 2025:1547.00");

  // 2025 recomputed without employee 103 and a new bonus: the stale row goes, 2024 stays.
  Gold recomputed = sample_gold(2025);
  recomputed.prime_sportive.pop_back();
  recomputed.prime_sportive[0].prime_cents = 160'001;
  auto replaced = publish_gold(*sql_, recomputed);
  ASSERT_TRUE(replaced.ok()) << replaced.error().to_string();
  EXPECT_EQ(count("gold.prime_sportive", 2025), "2");
  EXPECT_EQ(scalar("SELECT string_agg(annee || ':' || prime_eur, ' ' ORDER BY annee) FROM "
                   "gold.v_prime_sportive WHERE id_salarie = 101"),
            "2024:1500.00 2025:1600.01");
  EXPECT_EQ(counts(2024),
            "gold.prime_sportive:2 gold.wellbeing:2 gold.kpi_summary:1 gold.kpi_by_bu:1 "
            "gold.activity_monthly:1 ");
}

TEST_F(GoldPublisher, ARefusedRowIsLeftOutAndTheOthersArePublished) {
  auto first = publish_gold(*sql_, sample_gold(2025));
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_TRUE(first->rejected.empty());

  // A business unit's total overflows numeric(12,2): that row alone is refused.
  Gold broken = sample_gold(2025);
  broken.prime_sportive[0].prime_cents = 999'999;
  broken.prime_sportive.pop_back();
  broken.by_bu[1].total_bonus_cents = 10'000'000'000'000;  // 100 000 000 000.00 €
  auto published = publish_gold(*sql_, broken);
  ASSERT_TRUE(published.ok()) << published.error().to_string();
  ASSERT_EQ(published->rejected.size(), 1u);
  EXPECT_EQ(published->rejected[0].table, "kpi_by_bu");
  EXPECT_NE(published->rejected[0].error.message.find("22003"), std::string::npos)
      << published->rejected[0].error.message;
  EXPECT_FALSE(published->rejected[0].employee_id.has_value());
  EXPECT_EQ(counts(2025),
            "gold.prime_sportive:2 gold.wellbeing:3 gold.kpi_summary:1 gold.kpi_by_bu:1 "
            "gold.activity_monthly:2 ");
  EXPECT_EQ(scalar("SELECT prime_eur::text FROM gold.v_prime_sportive WHERE id_salarie = 101"),
            "9999.99");

  // A row of the last table breaks its CHECK (month 13), and a bonus row its own: each is left
  // out, named with its employee when it has one; the connection is usable.
  Gold bad = sample_gold(2025);
  bad.monthly[1].month = 13;
  bad.prime_sportive[1].prime_cents = 10'000'000'000'000;
  published = publish_gold(*sql_, bad);
  ASSERT_TRUE(published.ok()) << published.error().to_string();
  ASSERT_EQ(published->rejected.size(), 2u);
  EXPECT_EQ(published->rejected[0].table, "prime_sportive");
  EXPECT_EQ(published->rejected[0].employee_id, bad.prime_sportive[1].employee_id);
  EXPECT_EQ(published->rejected[1].table, "activity_monthly");
  EXPECT_NE(published->rejected[1].error.message.find("23514"), std::string::npos);
  EXPECT_EQ(counts(2025),
            "gold.prime_sportive:2 gold.wellbeing:3 gold.kpi_summary:1 gold.kpi_by_bu:2 "
            "gold.activity_monthly:1 ");
  EXPECT_EQ(scalar("SELECT 1"), "1");
}

TEST_F(GoldPublisher, ConnectionInAnAbortedTransactionPublishesNothing) {
  auto first = publish_gold(*sql_, sample_gold(2025));
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  const std::string before = counts(2025);

  ASSERT_TRUE(sql_->exec("BEGIN").ok());
  ASSERT_FALSE(sql_->exec("SELECT 1 / 0").ok());
  Gold changed = sample_gold(2025);
  changed.prime_sportive[0].prime_cents = 1;
  auto failed = publish_gold(*sql_, changed);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("25P02"), std::string::npos) << failed.error().message;
  ASSERT_TRUE(sql_->exec("ROLLBACK").ok());

  EXPECT_EQ(counts(2025), before);
  EXPECT_EQ(scalar("SELECT prime_eur::text FROM gold.v_prime_sportive WHERE id_salarie = 101"),
            "1547.00");
}

TEST_F(GoldPublisher, RejectsAGoldOfSeveralYearsBeforeTouchingTheDatabase) {
  Gold mixed = sample_gold(2025);
  mixed.wellbeing[1].year = 2024;
  auto rejected = publish_gold(*sql_, mixed);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, Errc::invalid_argument);
  EXPECT_NE(rejected.error().message.find("gold.wellbeing"), std::string::npos);

  Gold no_year = sample_gold(2025);
  no_year.summary.year = 0;
  EXPECT_FALSE(publish_gold(*sql_, no_year).ok());
  EXPECT_EQ(scalar("SELECT to_regnamespace('gold') IS NULL"), "t");
}

TEST_F(GoldPublisher, ConcurrentFirstPublicationsBothSucceed) {
  // Both find no schema and no tables: without the publication lock one CREATE would fail.
  std::atomic<int> failures{0};
  std::vector<std::thread> publishers;
  for (int32_t year : {2024, 2025}) {
    publishers.emplace_back([&, year] {
      auto conn = pg::Connection::open(conninfo_);
      if (!conn || !publish_gold(*conn, sample_gold(year))) failures++;
    });
  }
  for (auto& t : publishers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(scalar("SELECT string_agg(year || ':' || n, ' ' ORDER BY year) FROM (SELECT year, "
                   "count(*) AS n FROM gold.prime_sportive GROUP BY year) y"),
            "2024:3 2025:3");
}

}  // namespace
}  // namespace sl::lakehouse
