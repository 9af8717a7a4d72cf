// Connection against a real PostgreSQL: queries, parameters, NULLs, COPY, errors with SQLSTATE.
#include <gtest/gtest.h>

#include "pg/connection.hpp"
#include "pg/testing/test_cluster.hpp"

namespace sl::pg {
namespace {

using testing::TestCluster;

TEST(Connection, QueriesWithParametersAndNulls) {
  auto conn = Connection::open(TestCluster::instance().create_database());
  ASSERT_TRUE(conn.ok()) << conn.error().to_string();
  ASSERT_TRUE(conn->exec("CREATE TABLE t (id int PRIMARY KEY, name text)").ok());
  auto inserted = conn->exec_params("INSERT INTO t VALUES ($1, $2), ($3, $4)",
                                    {"1", "Élodie", "2", std::nullopt});
  ASSERT_TRUE(inserted.ok()) << inserted.error().to_string();
  EXPECT_EQ(inserted->affected_rows(), 2u);
  auto rows = conn->exec("SELECT id, name FROM t ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows(), 2);
  EXPECT_EQ(rows->column_name(1), "name");
  EXPECT_EQ(rows->value(0, 1), "Élodie");
  EXPECT_TRUE(rows->is_null(1, 1));
  EXPECT_EQ(rows->optional_value(1, 1), std::nullopt);
}

TEST(Connection, CopyInStoresRowsAndReportsBadData) {
  auto conn = Connection::open(TestCluster::instance().create_database());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->exec("CREATE TABLE t (id int, d date)").ok());
  {
    auto copy = conn->copy_in("COPY t FROM STDIN (FORMAT csv)");
    ASSERT_TRUE(copy.ok()) << copy.error().to_string();
    ASSERT_TRUE(copy->put("1,2024-01-31\n2,").ok());
    ASSERT_TRUE(copy->put("2024-02-29\n").ok());
    auto rows = copy->finish();
    ASSERT_TRUE(rows.ok()) << rows.error().to_string();
    EXPECT_EQ(*rows, 2u);
  }
  {
    auto copy = conn->copy_in("COPY t FROM STDIN (FORMAT csv)");
    ASSERT_TRUE(copy.ok());
    ASSERT_TRUE(copy->put("3,2023-02-29\n").ok());
    auto rows = copy->finish();
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.error().message.find("22008"), std::string::npos) << rows.error().message;
  }
  // The connection is usable again after a failed COPY.
  auto count = conn->exec("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->value(0, 0), "2");
}

TEST(Connection, ErrorsCarrySqlstateAndStatement) {
  auto conn = Connection::open(TestCluster::instance().create_database());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->exec("CREATE TABLE t (id int PRIMARY KEY)").ok());
  ASSERT_TRUE(conn->exec("INSERT INTO t VALUES (1)").ok());
  auto dup = conn->exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Errc::invalid_argument);
  EXPECT_NE(dup.error().message.find("23505"), std::string::npos) << dup.error().message;
  EXPECT_NE(dup.error().message.find("INSERT INTO t"), std::string::npos);
}

TEST(Connection, UnreachableServerIsUnavailable) {
  auto conn = Connection::open("host=127.0.0.1 port=1 dbname=x connect_timeout=2");
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code, Errc::unavailable);
  EXPECT_TRUE(retryable(conn.error().code));
}

}  // namespace
}  // namespace sl::pg
