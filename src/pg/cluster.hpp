// Cluster: a private PostgreSQL cluster in one folder (initdb, start, stop, status).
//
// Layout under `dir`: data/ (PGDATA), run/ (unix socket, 0700), port (the port chosen at first
// start, kept so restarts keep their address), server.log. The server listens on its socket only;
// on TCP only when `listen` names addresses, and there every connection needs SCRAM-SHA-256 with
// a generated password (the superuser is refused over TCP). When the process runs as root, initdb
// and the server run as the `postgres` system user (initdb refuses root), the folder is owned by
// it, and the parent folder is made traversable by that user's group only (mode 0710).
//
// Roles (README "The embedded cluster"): the superuser `postgres` (setup and migrations, socket
// only); `jobs_role` (LOGIN REPLICATION, read/write on the tables of schema public, owner of
// `bi_schema`, not superuser); `bi_role` (read-only, schema `bi_schema` only). Their passwords are
// generated at first start into `secrets_dir`/<role>.password (0600).
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
  // listen_addresses ("127.0.0.1", "127.0.0.1,::1", "*"); empty: the unix socket only.
  std::string listen;
  std::filesystem::path secrets_dir;  // empty: <dir>/secrets
  std::string jobs_role = "sportlake_jobs";
  std::string bi_role = "sportlake_bi";
  std::string bi_schema = "gold";
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
  // 3. write pg_hba.conf, pg_ctl start -w (listen_addresses from `listen`);
  // 4. create the database when missing; 5. the roles, their passwords and privileges, once
  //    per cluster (again when a password file is missing).
  // Idempotent: a running cluster is left as is (a changed `listen` needs stop + start).
  Status start();
  // Fast shutdown (pg_ctl stop -m fast -w); idempotent.
  Status stop();
  Result<ClusterStatus> status() const;

  // libpq keyword/value string for `dbname` over the unix socket, as the superuser or `role`.
  std::string conninfo(const std::string& dbname) const;
  std::string conninfo(const std::string& dbname, const std::string& role) const;
  // The generated password of `role` (jobs_role or bi_role) and the file holding it.
  std::filesystem::path password_file(const std::string& role) const;
  Result<std::string> password(const std::string& role) const;
  // The TCP host a client should use: the first address of `listen` (127.0.0.1 for a wildcard);
  // empty when the cluster does not listen on TCP.
  std::string tcp_host() const;
  int port() const { return port_; }
  const ClusterOptions& options() const { return options_; }
  std::filesystem::path data_dir() const { return options_.dir / "data"; }
  std::filesystem::path socket_dir() const { return options_.dir / "run"; }

 private:
  Status initdb();
  Status choose_port();
  Status write_hba() const;
  Status ensure_database();
  Status ensure_roles();
  std::filesystem::path secrets_dir() const;
  Result<std::string> run_tool(const std::string& tool, std::vector<std::string> args) const;

  ClusterOptions options_;
  int port_ = 0;
};

// Folder holding initdb/pg_ctl/postgres: $SPORTLAKE_PG_BINDIR, else the newest
// /usr/lib/postgresql/<version>/bin, else `pg_config --bindir`.
Result<std::filesystem::path> server_bindir();

}  // namespace sl::pg
