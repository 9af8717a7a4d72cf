// Lake: table locations by layer, storage from the factory, listing a layer's tables.
#include "delta/lake.hpp"

#include <gtest/gtest.h>

#include "common/fs.hpp"
#include "delta/local_storage.hpp"

namespace sl::delta {
namespace {

Lake local_lake(const std::filesystem::path& root) {
  return Lake(root.string() + "/",
              [](const std::string& location) { return std::make_unique<LocalStorage>(location); });
}

TEST(Lake, TablesLiveUnderTheirLayer) {
  fs::TempDir dir("sl-lake");
  Lake lake = local_lake(dir.path());
  EXPECT_EQ(lake.root(), dir.path().string());
  EXPECT_EQ(lake.location(Layer::gold, "kpi_summary"), dir.path().string() + "/gold/kpi_summary");
  auto storage = lake.table(Layer::bronze, "rh_employees");
  ASSERT_TRUE(storage->put("_delta_log/00000000000000000000.json", "{}\n").ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "bronze/rh_employees/_delta_log"));
}

TEST(Lake, ListsTheTablesOfALayer) {
  fs::TempDir dir("sl-lake");
  Lake lake = local_lake(dir.path());
  auto none = lake.tables(Layer::silver);
  ASSERT_TRUE(none.ok()) << none.error().to_string();
  EXPECT_TRUE(none->empty());  // the layer does not exist yet
  for (const char* name : {"strava_activities", "rh_employees", "hr.payroll"}) {
    auto storage = lake.table(Layer::bronze, name);
    ASSERT_TRUE(storage->put("_delta_log/00000000000000000000.json", "{}\n").ok());
    ASSERT_TRUE(storage->put("_delta_log/00000000000000000001.json", "{}\n").ok());
    ASSERT_TRUE(storage->put("part-0.parquet", "x").ok());
  }
  // Not tables: a directory without a log, a stray file.
  ASSERT_TRUE(lake.table(Layer::bronze, "scratch")->put("notes.txt", "x").ok());
  auto tables = lake.tables(Layer::bronze);
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(*tables, (std::vector<std::string>{"hr.payroll", "rh_employees", "strava_activities"}));
}

}  // namespace
}  // namespace sl::delta
