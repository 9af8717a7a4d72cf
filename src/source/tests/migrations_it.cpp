// Migrations against a real PostgreSQL: idempotent, concurrent-safe, publication in place.
#include <gtest/gtest.h>

#include <thread>

#include "pg/testing/test_cluster.hpp"
#include "source/migrations.hpp"

namespace sl::source {
namespace {

using pg::testing::TestCluster;

TEST(Migrations, ApplyOnceThenNothing) {
  auto conninfo = TestCluster::instance().create_database("mig");
  auto conn = pg::Connection::open(conninfo);
  ASSERT_TRUE(conn.ok());
  auto first = migrate(*conn, "sportlake_pub");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, static_cast<int>(migrations().size()));
  EXPECT_EQ(first->applied.size(), migrations().size());
  auto second = migrate(*conn, "sportlake_pub");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->applied.empty());

  // The seed's exact columns.
  auto columns = conn->exec(
      "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
      "information_schema.columns "
      "WHERE table_name = 'rh_employees'");
  EXPECT_EQ(columns->value(0, 0),
            "id,nom,prenom,date_naissance,date_embauche,business_unit,salaire_brut,contrat,nb_"
            "conges_payes,"
            "adresse_complete,moyen_deplacement");
  auto published = conn->exec(
      "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables WHERE "
      "pubname = 'sportlake_pub'");
  EXPECT_EQ(published->value(0, 0),
            "distance_cache,job_failures,rh_employees,sport_activities,strava_activities");
  for (const char* table :
       {"distance_cache", "notification_outbox", "job_failures", "schema_version"}) {
    auto found = conn->exec_params("SELECT 1 FROM pg_tables WHERE tablename = $1", {table});
    EXPECT_EQ(found->rows(), 1) << table;
  }
}

TEST(Migrations, ConcurrentMigratorsApplyEachVersionOnce) {
  auto conninfo = TestCluster::instance().create_database("migc");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto conn = pg::Connection::open(conninfo);
      if (!conn || !migrate(*conn, "sportlake_pub")) failures++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto conn = pg::Connection::open(conninfo);
  auto versions = conn->exec("SELECT count(*) FROM schema_version");
  EXPECT_EQ(versions->value(0, 0), std::to_string(migrations().size()));
}

}  // namespace
}  // namespace sl::source
