// Loading the HR and sport files into a real PostgreSQL: upsert counts, rejects, simulation.
#include <gtest/gtest.h>

#include "common/fs.hpp"
#include "pg/testing/test_cluster.hpp"
#include "source/activity_writer.hpp"
#include "source/loader.hpp"
#include "source/migrations.hpp"

namespace sl::source {
namespace {

using pg::testing::TestCluster;

constexpr std::string_view k_header =
    "ID salarié,Nom,Prénom,Date de naissance,BU,Date d'embauche,Salaire brut,Type de contrat,"
    "Nombre de jours de CP,Adresse du domicile,Moyen de déplacement\n";

std::string employee_row(int id, std::string_view salary = "40000") {
  return std::to_string(id) + ",Nom" + std::to_string(id) + ",Prénom,6/7/1990,R&D,14/12/2020," +
         std::string(salary) + ",CDI,25,\"" + std::to_string(id) +
         " Rue du Port, 34970 Lattes\",Marche/running\n";
}

class Loader : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = pg::Connection::open(TestCluster::instance().create_database("load"));
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<pg::Connection>(std::move(*conn));
    ASSERT_TRUE(migrate(*conn_, "sportlake_pub").ok());
  }
  std::filesystem::path write(std::string_view name, const std::string& content) {
    auto path = dir_.path() / name;
    EXPECT_TRUE(fs::write_file_atomic(path, content).ok());
    return path;
  }
  std::string count(const std::string& sql) { return std::string(conn_->exec(sql)->value(0, 0)); }

  fs::TempDir dir_{"sl-load"};
  std::unique_ptr<pg::Connection> conn_;
};

TEST_F(Loader, LoadingTwiceChangesNothingAndAChangedRowIsAnUpdate) {
  std::string text(k_header);
  for (int id = 1; id <= 10; ++id) text += employee_row(id);
  auto file = write("rh.csv", text);
  auto first = load_employees(*conn_, file, dir_.path() / "rejects");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(first->inserted, 10u);
  EXPECT_EQ(first->updated, 0u);

  auto xmin_before = count("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM rh_employees");
  auto second = load_employees(*conn_, file, dir_.path() / "rejects");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 0u);
  EXPECT_EQ(second->updated, 0u);
  EXPECT_EQ(second->unchanged, 10u);
  EXPECT_EQ(count("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM rh_employees"), xmin_before)
      << "an unchanged row must not be rewritten (no CDC event)";

  std::string changed(k_header);
  for (int id = 1; id <= 10; ++id) changed += employee_row(id, id == 4 ? "45000" : "40000");
  auto third = load_employees(*conn_, write("rh.csv", changed), dir_.path() / "rejects");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->updated, 1u);
  EXPECT_EQ(third->unchanged, 9u);
  EXPECT_EQ(count("SELECT salaire_brut FROM rh_employees WHERE id = 4"), "45000.00");
}

TEST_F(Loader, FiveBadRowsAmongAHundredGoodOnes) {
  std::string text(k_header);
  for (int id = 1; id <= 100; ++id) {
    text += employee_row(id);
    if (id == 20) text += "201,A,B,31/02/1990,R&D,1/1/2020,30000,CDI,25,x,Marche/running\n";
    if (id == 40) text += "202,A,B,1/2/1990,R&D,1/1/2020,trente mille,CDI,25,x,Marche/running\n";
    if (id == 60) text += "203,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,x,Hélicoptère\n";
    if (id == 80) text += "204,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25\n";
    if (id == 90) text += employee_row(5);
  }
  auto report = load_employees(*conn_, write("data_rh.csv", text), dir_.path() / "rejects");
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->inserted, 100u);
  ASSERT_EQ(report->rejects.size(), 5u);
  EXPECT_EQ(report->rejects[0].to_string("data_rh.csv"),
            "data_rh.csv:22: Date de naissance: '31/02/1990' is not a valid date (d/m/Y)");
  EXPECT_EQ(report->rejects[1].to_string("data_rh.csv"),
            "data_rh.csv:43: Salaire brut: 'trente mille' is not a number");
  EXPECT_EQ(report->rejects[2].to_string("data_rh.csv"),
            "data_rh.csv:64: Moyen de déplacement: 'Hélicoptère' is not a known commute mode");
  EXPECT_EQ(report->rejects[3].to_string("data_rh.csv"),
            "data_rh.csv:85: row: has 9 columns, expected 11");
  EXPECT_EQ(report->rejects[4].to_string("data_rh.csv"),
            "data_rh.csv:96: ID salarié: duplicate id 5 (first seen on line 6)");
  EXPECT_EQ(count("SELECT count(*) FROM rh_employees"), "100");
  auto rejects = fs::read_file(report->rejects_file);
  ASSERT_TRUE(rejects.ok());
  EXPECT_NE(
      rejects->find(
          "22,Date de naissance,'31/02/1990' is not a valid date (d/m/Y),\"201,A,B,31/02/1990"),
      std::string::npos)
      << *rejects;
}

TEST_F(Loader, SampleFilesThenSimulatedActivities) {
  const char* source_dir = std::getenv("SL_SOURCE_DIR");
  if (source_dir == nullptr) GTEST_SKIP() << "SL_SOURCE_DIR not set (run through ctest)";
  std::filesystem::path sample = std::filesystem::path(source_dir) / "data" / "sample";
  auto rh = load_employees(*conn_, sample / "data_rh.csv", dir_.path() / "rejects");
  ASSERT_TRUE(rh.ok()) << rh.error().to_string();
  EXPECT_EQ(rh->inserted, 161u);
  EXPECT_TRUE(rh->rejects.empty());
  auto sport = load_sports(*conn_, sample / "data_sport.csv", dir_.path() / "rejects");
  ASSERT_TRUE(sport.ok()) << sport.error().to_string();
  EXPECT_EQ(sport->inserted, 161u);
  EXPECT_EQ(count("SELECT count(*) FROM sport_activities WHERE pratique_sport IS NOT NULL"), "95");

  auto practitioners = read_practitioners(*conn_);
  ASSERT_TRUE(practitioners.ok());
  EXPECT_EQ(practitioners->size(), 95u);
  auto first_id = next_activity_id(*conn_);
  ASSERT_TRUE(first_id.ok());
  ActivityGenerator gen(*practitioners, 12, *first_id);
  auto history = gen.backfill(12, 1764028800);
  auto stored = insert_activities(*conn_, history, 1764028800);
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  EXPECT_EQ(*stored, history.size());
  EXPECT_GT(history.size(), 2000u) << "a year of history is several thousand rows";
  EXPECT_EQ(
      count("SELECT count(*) FROM strava_activities WHERE raw_payload->>'id' = activity_id::text"),
      std::to_string(history.size()));
  EXPECT_EQ(*next_activity_id(*conn_), *first_id + static_cast<int64_t>(history.size()));

  // An activity outside its limits (field_limits.hpp) is refused by name; nothing is written.
  auto more = gen.backfill(1, 1764028800);
  ASSERT_GE(more.size(), 2u);
  more[1].distance_m = -1;
  auto refused = insert_activities(*conn_, more, 1764028800);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "activity " + std::to_string(more[1].activity_id) +
                                         ": distance_m: -1 is not in 0..1000000");
  EXPECT_EQ(count("SELECT count(*) FROM strava_activities"), std::to_string(history.size()));
}

TEST_F(Loader, SportRowsOfUnknownEmployeesAreRejected) {
  std::string rh(k_header);
  rh += employee_row(1);
  ASSERT_TRUE(load_employees(*conn_, write("rh.csv", rh), dir_.path()).ok());
  auto report = load_sports(
      *conn_, write("sport.csv", "ID salarié,Pratique d'un sport\n1,Judo\n999,Tennis\n"),
      dir_.path());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->inserted, 1u);
  ASSERT_EQ(report->rejects.size(), 1u);
  EXPECT_EQ(
      report->rejects[0].to_string("sport.csv"),
      "sport.csv:3: ID salarié: employee 999 is not in rh_employees (load the HR file first)");
}

}  // namespace
}  // namespace sl::source
