// Cluster lifecycle against real PostgreSQL binaries: first start, restart, stale pid, status.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "common/fs.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"

namespace sl::pg {
namespace {

// libpq keyword/value string over TCP on 127.0.0.1.
std::string tcp_conninfo(const Cluster& cluster, const std::string& user,
                         const std::string& password) {
  return "host=127.0.0.1 port=" + std::to_string(cluster.port()) +
         " dbname=rh_sport connect_timeout=5 user=" + user +
         (password.empty() ? "" : " password=" + password);
}

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
  // By default the private socket is the only way in: nothing listens on TCP.
  auto tcp = Connection::open(tcp_conninfo(again, "postgres", ""));
  EXPECT_FALSE(tcp.ok());
  ASSERT_TRUE(again.stop().ok());
}

TEST_F(ClusterLifecycle, TcpWhenAskedNeedsScramAndRefusesTheSuperuser) {
  ClusterOptions o = options();
  o.listen = "127.0.0.1";
  Cluster cluster(o);
  ASSERT_TRUE(cluster.start().ok());
  auto bi_password = cluster.password(o.bi_role);
  ASSERT_TRUE(bi_password.ok()) << bi_password.error().to_string();
  EXPECT_EQ(bi_password->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(cluster.password_file(o.bi_role).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto superuser = Connection::open(tcp_conninfo(cluster, "postgres", ""));
  ASSERT_FALSE(superuser.ok());
  EXPECT_NE(superuser.error().message.find("rejects connection"), std::string::npos)
      << superuser.error().message;
  EXPECT_FALSE(Connection::open(tcp_conninfo(cluster, o.jobs_role, "")).ok());
  EXPECT_FALSE(Connection::open(tcp_conninfo(cluster, o.bi_role, "wrong")).ok());
  auto bi = Connection::open(tcp_conninfo(cluster, o.bi_role, *bi_password));
  ASSERT_TRUE(bi.ok()) << bi.error().to_string();
  auto method = bi->exec("SELECT current_user, current_setting('password_encryption')");
  ASSERT_TRUE(method.ok());
  EXPECT_EQ(method->value(0, 0), o.bi_role);
  EXPECT_EQ(method->value(0, 1), "scram-sha-256");
  ASSERT_TRUE(cluster.stop().ok());
}

TEST_F(ClusterLifecycle, JobsRoleReplicatesButIsNoSuperuserBiRoleSeesOnlyItsSchema) {
  Cluster cluster(options());
  ASSERT_TRUE(cluster.start().ok());
  {
    auto admin = Connection::open(cluster.conninfo("rh_sport"));
    ASSERT_TRUE(admin.ok());
    // A table made after the setup (as the migrations do) is the jobs' to read and write.
    ASSERT_TRUE(admin->exec("CREATE TABLE public.salaries (id int, amount numeric); "
                            "INSERT INTO salaries VALUES (1, 50000)")
                    .ok());
  }
  auto jobs = Connection::open(cluster.conninfo("rh_sport", "sportlake_jobs"));
  ASSERT_TRUE(jobs.ok()) << jobs.error().to_string();
  auto role = jobs->exec(
      "SELECT rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user");
  ASSERT_TRUE(role.ok());
  EXPECT_EQ(role->value(0, 0), "f");
  EXPECT_EQ(role->value(0, 1), "t");
  EXPECT_TRUE(jobs->exec("UPDATE salaries SET amount = amount + 1").ok());
  EXPECT_FALSE(jobs->exec("COPY (SELECT 1) TO PROGRAM 'true'").ok());
  EXPECT_FALSE(jobs->exec("DROP TABLE salaries").ok());
  EXPECT_TRUE(jobs->exec("CREATE TABLE gold.kpi (v int); INSERT INTO gold.kpi VALUES (7)").ok());

  auto bi = Connection::open(cluster.conninfo("rh_sport", "sportlake_bi"));
  ASSERT_TRUE(bi.ok()) << bi.error().to_string();
  auto kpi = bi->exec("SELECT v FROM kpi");  // search_path = gold
  ASSERT_TRUE(kpi.ok()) << kpi.error().to_string();
  EXPECT_EQ(kpi->value(0, 0), "7");
  auto salaries = bi->exec("SELECT amount FROM public.salaries");
  ASSERT_FALSE(salaries.ok());
  EXPECT_NE(salaries.error().message.find("42501"), std::string::npos)
      << salaries.error().message;
  EXPECT_FALSE(bi->exec("INSERT INTO gold.kpi VALUES (8)").ok());
  ASSERT_TRUE(cluster.stop().ok());
}

// A cluster made by an older sportlake trusted every user on 127.0.0.1: its next start closes it.
TEST_F(ClusterLifecycle, AnOlderTrustingClusterIsClosedAtItsNextStart) {
  Cluster cluster(options());
  ASSERT_TRUE(cluster.start().ok());
  ASSERT_TRUE(cluster.stop().ok());
  {
    std::ofstream hba(cluster.data_dir() / "pg_hba.conf");
    hba << "local all all trust\nhost all all 127.0.0.1/32 trust\n";
    std::ofstream conf(cluster.data_dir() / "postgresql.auto.conf", std::ios::app);
    conf << "listen_addresses = '127.0.0.1'\n";
  }
  Cluster again(options());
  ASSERT_TRUE(again.start().ok());
  EXPECT_FALSE(Connection::open(tcp_conninfo(again, "postgres", "")).ok());
  EXPECT_TRUE(Connection::open(again.conninfo("rh_sport")).ok());
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
  ClusterOptions tcp = options();
  tcp.listen = "127.0.0.1";  // socket-only clusters in two folders may share a port number
  Cluster first(tcp);
  ASSERT_TRUE(first.start().ok());
  ClusterOptions other = tcp;
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
