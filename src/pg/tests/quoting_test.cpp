#include <gtest/gtest.h>

#include "common/config.hpp"
#include "pg/connection.hpp"
#include "pg/database.hpp"

namespace sl::pg {
namespace {

TEST(Quoting, IdentifiersAndLiterals) {
  EXPECT_EQ(quote_identifier("rh_employees"), "\"rh_employees\"");
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

TEST(ResolveConninfo, ExternalDatabaseFromSeedVariables) {
  config::Config config;
  config.set("database.host", "db.internal");
  config.set("database.port", "5433");
  config.set("database.user", "rh");
  config.set("database.password", "p'w");
  auto conninfo = resolve_conninfo(config);
  ASSERT_TRUE(conninfo.ok());
  EXPECT_EQ(*conninfo,
            "host='db.internal' port='5433' dbname='rh_sport' user='rh' password='p\\'w'");
}

TEST(ResolveConninfo, UrlWins) {
  config::Config config;
  config.set("database.url", "postgresql://u@h/db");
  config.set("database.host", "ignored");
  EXPECT_EQ(*resolve_conninfo(config), "postgresql://u@h/db");
}

}  // namespace
}  // namespace sl::pg
