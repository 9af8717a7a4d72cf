#include "common/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/fs.hpp"

namespace sl::config {
namespace {

TEST(Dotenv, ParsesSeedFile) {
  auto pairs = parse_dotenv(
      "# seed .env\nAPI_KEY_MAPS=\"KEY\"\nDESTINATION=\"1362 Av. des Platanes, 34970 Lattes\"\n"
      "export DB_PORT=5433 # comment\n\nSLACK_WEBHOOK_URL='https://example.invalid/x'\r\n",
      ".env");
  ASSERT_TRUE(pairs.ok()) << pairs.error().to_string();
  ASSERT_EQ(pairs->size(), 4u);
  EXPECT_EQ((*pairs)[0], (std::pair<std::string, std::string>{"API_KEY_MAPS", "KEY"}));
  EXPECT_EQ((*pairs)[1].second, "1362 Av. des Platanes, 34970 Lattes");
  EXPECT_EQ((*pairs)[2], (std::pair<std::string, std::string>{"DB_PORT", "5433"}));
  EXPECT_EQ((*pairs)[3].second, "https://example.invalid/x");
}

TEST(Dotenv, BadLineNamesPlace) {
  auto pairs = parse_dotenv("A=1\nnot a setting\n", "x/.env");
  ASSERT_FALSE(pairs.ok());
  EXPECT_NE(pairs.error().message.find("x/.env:2"), std::string::npos);
}

TEST(Config, PrecedenceTomlDotenvEnvironment) {
  fs::TempDir dir;
  ASSERT_TRUE(
      fs::write_file_atomic(dir.path() / "sportlake.toml",
                            "home = \"/srv/sl\"\n[database]\nhost = \"toml-host\"\nport = 6000\n"
                            "[rules]\nbonus_rate = 0.07\n")
          .ok());
  ASSERT_TRUE(
      fs::write_file_atomic(dir.path() / ".env", "DB_HOST=dotenv-host\nDB_NAME=fromdotenv\n").ok());
  ::setenv("DB_NAME", "fromenv", 1);
  auto config = load({.toml_path = (dir.path() / "sportlake.toml").string(),
                      .dotenv_path = (dir.path() / ".env").string()});
  ::unsetenv("DB_NAME");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->get_string("database.host"), "dotenv-host");
  EXPECT_EQ(config->get_string("database.name"), "fromenv");
  EXPECT_EQ(*config->get_int("database.port", 0), 6000);
  EXPECT_DOUBLE_EQ(*config->get_double("rules.bonus_rate", 0), 0.07);
  EXPECT_EQ(config->home(), "/srv/sl");
  EXPECT_EQ(config->lake_root(), "/srv/sl/delta");
  EXPECT_FALSE(config->embedded_database());
  EXPECT_EQ(config->get_string("maps.destination"), "1362 Av. des Platanes, 34970 Lattes");
}

TEST(Config, ObjectStoreLakeRootKeptAsWritten) {
  ::setenv("SPORTLAKE_LAKE_ROOT", "s3://bkt/lake/prod", 1);
  auto config = load({.toml_path = "", .dotenv_path = ""});
  ::unsetenv("SPORTLAKE_LAKE_ROOT");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->lake_root().string(), "s3://bkt/lake/prod");
}

TEST(Config, BadTomlNamesLine) {
  fs::TempDir dir;
  ASSERT_TRUE(fs::write_file_atomic(dir.path() / "bad.toml", "home = \"x\"\n[rules\n").ok());
  auto config = load({.toml_path = (dir.path() / "bad.toml").string(), .dotenv_path = ""});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("bad.toml:2"), std::string::npos);
}

TEST(Config, NonNumericSettingIsAnError) {
  Config config;
  config.set("rules.walk_max_km", "fifteen");
  auto value = config.get_int("rules.walk_max_km", 15);
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.error().message.find("rules.walk_max_km"), std::string::npos);
}

TEST(Config, FindNumberFallsBackToTheKeyTable) {
  Config config;
  EXPECT_EQ(*config.find_double("rules.bike_max_km"), 25.0);  // the key table's default
  config.set("rules.bike_max_km", "");
  EXPECT_EQ(*config.find_double("rules.bike_max_km"), 25.0);  // empty = not set
  config.set("rules.bike_max_km", "30.5");
  EXPECT_EQ(*config.find_double("rules.bike_max_km"), 30.5);
  EXPECT_FALSE(config.find_int("rules.year")->has_value());  // no default
  config.set("rules.year", "2024");
  EXPECT_EQ(*config.find_int("rules.year"), 2024);
  config.set("rules.year", "2024x");
  auto bad = config.find_int("rules.year");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'rules.year' = '2024x'"), std::string::npos);
}

}  // namespace
}  // namespace sl::config
