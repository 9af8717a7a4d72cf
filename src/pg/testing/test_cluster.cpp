// TestCluster: starts a throw-away cluster once per test process.
#include "pg/testing/test_cluster.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace sl::pg::testing {

TestCluster& TestCluster::instance() {
  static TestCluster cluster;
  return cluster;
}

TestCluster::TestCluster() {
  dir_ = std::make_unique<fs::TempDir>("sl-pgtest");
  // The server may run as the `postgres` user: it must be able to reach the folder.
  ::chmod(dir_->path().c_str(), 0755);
  ClusterOptions options;
  options.dir = dir_->path() / "pg";
  options.database = "sportlake_test";
  cluster_ = std::make_unique<Cluster>(options);
  auto started = cluster_->start();
  if (!started) {
    std::fprintf(stderr, "TestCluster: cannot start PostgreSQL: %s\n",
                 started.error().to_string().c_str());
    std::abort();
  }
}

TestCluster::~TestCluster() {
  if (cluster_) (void)cluster_->stop();
}

std::string TestCluster::create_database(const std::string& prefix) {
  std::string name =
      prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(next_database_++);
  auto conn = Connection::open(conninfo());
  EXPECT_TRUE(conn.ok()) << conn.error().to_string();
  auto created = conn->exec("CREATE DATABASE " + quote_identifier(name));
  EXPECT_TRUE(created.ok()) << created.error().to_string();
  return conninfo(name);
}

Connection TestCluster::connect(const std::string& dbname) const {
  auto conn = Connection::open(conninfo(dbname));
  if (!conn) {
    std::fprintf(stderr, "TestCluster: %s\n", conn.error().to_string().c_str());
    std::abort();
  }
  return std::move(*conn);
}

}  // namespace sl::pg::testing
