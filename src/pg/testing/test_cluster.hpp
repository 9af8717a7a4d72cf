// TestCluster: one private PostgreSQL cluster per test process, for integration tests of any
// module.
#pragma once

#include <memory>
#include <string>

#include "common/fs.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"

namespace sl::pg::testing {

class TestCluster {
 public:
  // The process-wide cluster, started on first use in a temporary folder on a free port and
  // stopped and removed at process exit. Aborts the test (gtest failure) when it cannot start.
  static TestCluster& instance();

  // A fresh, empty database with a unique name (for test isolation); returns its conninfo.
  std::string create_database(const std::string& prefix = "t");
  std::string conninfo(const std::string& dbname = "postgres") const {
    return cluster_->conninfo(dbname);
  }
  Connection connect(const std::string& dbname = "postgres") const;
  Cluster& cluster() { return *cluster_; }

  ~TestCluster();

 private:
  TestCluster();
  std::unique_ptr<fs::TempDir> dir_;
  std::unique_ptr<Cluster> cluster_;
  int next_database_ = 0;
};

}  // namespace sl::pg::testing
