// Cluster: a private PostgreSQL cluster in one folder (initdb, start, stop, status).
//
// Layout under `dir`: data/ (PGDATA), run/ (unix socket), port (the TCP port chosen at first
// start, kept so restarts keep their address), server.log. The server listens on the socket and on
// 127.0.0.1 only, with wal_level=logical and room for replication slots. When the process runs as
// root, initdb and the server run as the `postgres` system user (initdb refuses root) and the
// folder is owned by it. The superuser is always named `postgres`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace sl::pg {

struct ClusterOptions {
  std::filesystem::path dir;
  int port = 0;                       // 0: the remembered port, else a free one
  std::string database = "rh_sport";  // created at first start
};

struct ClusterStatus {
  bool initialized = false;
  bool running = false;
  int pid = 0;
  int port = 0;
  std::filesystem::path data_dir;
  std::string version;  // "15.18" once initialized
};

class Cluster {
 public:
  explicit Cluster(ClusterOptions options);

  // 1. initdb when data/ has no PG_VERSION (first start);
  // 2. choose the port (configured, remembered, or free) and write it to `port`;
  // 3. pg_ctl start -w; 4. create the database when missing.
  // Idempotent: a running cluster is left as is.
  Status start();
  // Fast shutdown (pg_ctl stop -m fast -w); idempotent.
  Status stop();
  Result<ClusterStatus> status() const;

  // libpq keyword/value string for `dbname` over the unix socket.
  std::string conninfo(const std::string& dbname) const;
  // postgresql:// URL over TCP 127.0.0.1 (for tools outside this host's socket folder).
  std::string url(const std::string& dbname) const;
  int port() const { return port_; }
  const ClusterOptions& options() const { return options_; }
  std::filesystem::path data_dir() const { return options_.dir / "data"; }
  std::filesystem::path socket_dir() const { return options_.dir / "run"; }

 private:
  Status initdb();
  Status choose_port();
  Status ensure_database();
  Result<std::string> run_tool(const std::string& tool, std::vector<std::string> args) const;

  ClusterOptions options_;
  int port_ = 0;
};

// Folder holding initdb/pg_ctl/postgres: $SPORTLAKE_PG_BINDIR, else the newest
// /usr/lib/postgresql/<version>/bin, else `pg_config --bindir`.
Result<std::filesystem::path> server_bindir();

}  // namespace sl::pg
