// Cluster lifecycle against real PostgreSQL binaries: first start, restart, stale pid, status.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "common/fs.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"

namespace sl::pg {
namespace {

class ClusterLifecycle : public ::testing::Test {
 protected:
  void SetUp() override { ::chmod(dir_.path().c_str(), 0755); }
  ClusterOptions options() const {
    return {.dir = dir_.path() / "pg", .port = 0, .database = "rh_sport"};
  }
  fs::TempDir dir_{"sl-cluster"};
};

TEST_F(ClusterLifecycle, StartRestartKeepsDataAndPort) {
  Cluster cluster(options());
  auto before = cluster.status();
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->initialized);
  EXPECT_FALSE(before->running);

  ASSERT_TRUE(cluster.start().ok());
  auto running = cluster.status();
  ASSERT_TRUE(running.ok());
  EXPECT_TRUE(running->running);
  EXPECT_GT(running->pid, 0);
  EXPECT_EQ(running->version, "15");
  int port = cluster.port();
  EXPECT_EQ(running->port, port);
  ASSERT_TRUE(cluster.start().ok());  // idempotent

  {
    auto conn = Connection::open(cluster.conninfo("rh_sport"));
    ASSERT_TRUE(conn.ok()) << conn.error().to_string();
    ASSERT_TRUE(
        conn->exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')").ok());
    auto wal = conn->exec("SHOW wal_level");
    EXPECT_EQ(wal->value(0, 0), "logical");
  }
  ASSERT_TRUE(cluster.stop().ok());
  EXPECT_FALSE(cluster.status()->running);
  ASSERT_TRUE(cluster.stop().ok());  // idempotent

  Cluster again(options());  // a new process would build it from the folder alone
  ASSERT_TRUE(again.start().ok());
  EXPECT_EQ(again.port(), port);
  auto conn = Connection::open(again.conninfo("rh_sport"));
  ASSERT_TRUE(conn.ok());
  auto kept = conn->exec("SELECT v FROM kept");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->value(0, 0), "still here");
  // Also reachable over TCP on 127.0.0.1.
  auto tcp = Connection::open(again.url("rh_sport"));
  EXPECT_TRUE(tcp.ok()) << tcp.error().to_string();
  ASSERT_TRUE(again.stop().ok());
}

TEST_F(ClusterLifecycle, RecoversFromKilledPostmaster) {
  Cluster cluster(options());
  ASSERT_TRUE(cluster.start().ok());
  int pid = cluster.status()->pid;
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Give the orphaned backends a moment to notice the postmaster is gone.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(cluster.status()->running);
  auto restarted = cluster.start();
  ASSERT_TRUE(restarted.ok()) << restarted.error().to_string();
  EXPECT_TRUE(cluster.status()->running);
  EXPECT_TRUE(Connection::open(cluster.conninfo("rh_sport")).ok());
  ASSERT_TRUE(cluster.stop().ok());
}

TEST_F(ClusterLifecycle, BusyConfiguredPortIsAClearError) {
  Cluster first(options());
  ASSERT_TRUE(first.start().ok());
  ClusterOptions other = options();
  other.dir = dir_.path() / "other";
  other.port = first.port();
  Cluster second(other);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("already in use"), std::string::npos)
      << started.error().message;
  ASSERT_TRUE(first.stop().ok());
}

TEST_F(ClusterLifecycle, FilesBelongToPostgresWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "only meaningful when the tests run as root";
  Cluster cluster(options());
  ASSERT_TRUE(cluster.start().ok());
  struct stat st {};
  ASSERT_EQ(::stat(cluster.data_dir().c_str(), &st), 0);
  EXPECT_NE(st.st_uid, 0u);
  ASSERT_TRUE(cluster.stop().ok());
}

}  // namespace
}  // namespace sl::pg
