// Private cluster management through initdb and pg_ctl.
#include "pg/cluster.hpp"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "common/fs.hpp"
#include "common/process.hpp"
#include "pg/connection.hpp"

namespace sl::pg {

namespace stdfs = std::filesystem;

namespace {

constexpr const char* k_system_user = "postgres";

bool running_as_root() {
  return ::geteuid() == 0;
}

// A TCP port on 127.0.0.1 that is free right now (the kernel picks it).
Result<int> free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return make_error(Errc::io, "pg: cannot create a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return make_error(Errc::io, "pg: cannot find a free port on 127.0.0.1");
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

bool port_in_use(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool in_use = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0;
  ::close(fd);
  return in_use;
}

Status chown_to_system_user(const stdfs::path& path) {
  auto outcome = process::run(
      {"chown", "-R", std::string(k_system_user) + ":" + k_system_user, path.string()});
  if (!outcome) return outcome.error();
  if (!outcome->succeeded()) {
    return make_error(
        Errc::io, "pg: cannot give '" + path.string() + "' to user postgres: " + outcome->output);
  }
  return {};
}

// As root the server runs as `postgres`, which must traverse `parent` (SPORTLAKE_HOME) to reach
// the cluster's folder. A parent already traversable by everyone is left as is; else it is given
// to the `postgres` group with g=x only: that user can pass through it to the folder it owns, and
// list or read nothing else (every other entry is 0700/0600 root's), while other users stay out.
Status let_system_user_traverse(const stdfs::path& parent) {
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0)
    return make_error(Errc::io, "pg: cannot stat '" + parent.string() + "'");
  if ((st.st_mode & S_IXOTH) != 0) return {};
  const struct group* group = ::getgrnam(k_system_user);
  if (group == nullptr) return make_error(Errc::not_found, "pg: no `postgres` system group");
  if (st.st_gid != group->gr_gid) {
    if ((st.st_mode & S_IRWXG) != 0)
      return make_error(Errc::invalid_argument,
                        "pg: '" + parent.string() +
                            "' is open to another group; the postgres system user cannot be "
                            "let through it without opening it wider (chmod g-rwx it, or use a "
                            "non-root user)");
    if (::chown(parent.c_str(), static_cast<uid_t>(-1), group->gr_gid) != 0)
      return make_error(Errc::io, "pg: cannot give '" + parent.string() + "' to group postgres");
  }
  if (::chmod(parent.c_str(), (st.st_mode & 07777) | S_IXGRP) != 0)
    return make_error(Errc::io, "pg: cannot chmod '" + parent.string() + "'");
  return {};
}

// A folder that only its owner may enter, whatever the umask.
Status private_directory(const stdfs::path& path) {
  SL_TRY(fs::ensure_directory(path));
  if (::chmod(path.c_str(), 0700) != 0)
    return make_error(Errc::io, "pg: cannot chmod 0700 '" + path.string() + "'");
  return {};
}

// 32 characters of [A-Za-z0-9] from the kernel's CSPRNG (about 190 bits).
Result<std::string> generate_password() {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < 32) {
    unsigned char bytes[64];
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
      return make_error(Errc::io, "pg: getrandom failed");
    for (unsigned char b : bytes) {
      // 248 = 4 * 62: rejection keeps every character equally likely.
      if (b < 248 && out.size() < 32) out += k_alphabet[b % k_alphabet.size()];
    }
  }
  return out;
}

// listen_addresses goes through pg_ctl's shell: host names, addresses, commas and `*` only.
bool valid_listen(const std::string& listen) {
  for (char c : listen) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != ':' && c != ',' &&
        c != '*' && c != '-')
      return false;
  }
  return true;
}

// Bumped when ensure_roles grants something new, so existing clusters get it at their next start.
constexpr const char* k_access_version = "sportlake access v1";

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
    text.pop_back();
  return text;
}

}  // namespace

Result<stdfs::path> server_bindir() {
  if (const char* env = std::getenv("SPORTLAKE_PG_BINDIR"); env && *env) return stdfs::path(env);
  stdfs::path best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && stdfs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  if (!best.empty()) return best;
  auto outcome = process::run({"pg_config", "--bindir"});
  if (outcome && outcome->succeeded()) {
    stdfs::path dir = trim(outcome->output);
    if (stdfs::exists(dir / "initdb")) return dir;
  }
  return make_error(Errc::not_found,
                    "pg: no PostgreSQL server binaries found (install postgresql-15, or set "
                    "SPORTLAKE_PG_BINDIR)");
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
  if (auto text = fs::read_file(options_.dir / "port")) port_ = std::atoi(text->c_str());
  if (options_.port != 0) port_ = options_.port;
}

Result<std::string> Cluster::run_tool(const std::string& tool,
                                      std::vector<std::string> args) const {
  SL_ASSIGN_OR_RETURN(auto bindir, server_bindir());
  std::vector<std::string> argv;
  if (running_as_root()) argv = {"runuser", "-u", k_system_user, "--"};
  argv.push_back((bindir / tool).string());
  for (auto& a : args) argv.push_back(std::move(a));
  SL_ASSIGN_OR_RETURN(auto outcome, process::run(argv));
  if (!outcome.succeeded()) {
    return make_error(Errc::io, "pg: `" + process::render(argv) + "` failed (exit " +
                                    std::to_string(outcome.exit_code) +
                                    "): " + trim(outcome.output));
  }
  return outcome.output;
}

Status Cluster::initdb() {
  SL_TRY(private_directory(options_.dir));
  SL_TRY(private_directory(socket_dir()));
  if (running_as_root()) {
    SL_TRY(let_system_user_traverse(options_.dir.parent_path()));
    SL_TRY(chown_to_system_user(options_.dir));
  }
  // pg_hba.conf is rewritten before every start (write_hba); until then nothing but the socket.
  SL_TRY(run_tool("initdb", {"-D", data_dir().string(), "-U", "postgres", "--auth-local=trust",
                             "--auth-host=reject", "--encoding=UTF8", "--locale=C",
                             "--no-instructions"}));
  // Settings for CDC and durability. listen_addresses and unix_socket_permissions are given on
  // the command line at each start (they override this file), from embedded.listen.
  std::ofstream conf(data_dir() / "postgresql.auto.conf", std::ios::app);
  conf << "# written by sportlake at initdb\n"
          "unix_socket_directories = '"
       << socket_dir().string()
       << "'\n"
          "password_encryption = 'scram-sha-256'\n"
          "wal_level = logical\n"
          "max_replication_slots = 20\n"
          "max_wal_senders = 20\n"
          "synchronous_commit = on\n"
          "fsync = on\n"
          "max_connections = 100\n"
          "shared_buffers = 128MB\n"
          "timezone = 'UTC'\n"
          "log_timezone = 'UTC'\n";
  conf.close();
  if (!conf)
    return make_error(Errc::io,
                      "pg: cannot write " + (data_dir() / "postgresql.auto.conf").string());
  return {};
}

Status Cluster::choose_port() {
  if (port_ == 0 || (options_.port == 0 && port_in_use(port_))) {
    SL_ASSIGN_OR_RETURN(port_, free_port());
  } else if (port_in_use(port_)) {
    return make_error(Errc::unavailable, "pg: port " + std::to_string(port_) +
                                             " on 127.0.0.1 is already in use (set embedded.port / "
                                             "SPORTLAKE_PG_PORT to another one)");
  }
  return fs::write_file_atomic(options_.dir / "port", std::to_string(port_) + "\n");
}

// pg_hba.conf, rewritten before each start (a cluster made by an older sportlake, whose file
// trusted 127.0.0.1, is fixed at its next start):
// - the socket: trust — its folder is 0700, only the cluster's OS user (and root) can reach it;
// - TCP: the superuser is refused; the two roles, on the application database only, with
//   SCRAM-SHA-256; everything else (other databases, physical replication) refused.
Status Cluster::write_hba() const {
  const std::string db = "\"" + options_.database + "\"";
  const std::string roles = "\"" + options_.jobs_role + "\",\"" + options_.bi_role + "\"";
  std::string hba =
      "# written by sportlake at each start (src/pg/README.md, \"The embedded cluster\")\n"
      "# TYPE  DATABASE     USER      ADDRESS      METHOD\n"
      "local   all          all                    trust\n"
      "host    all          postgres  0.0.0.0/0    reject\n"
      "host    all          postgres  ::/0         reject\n";
  for (const char* address : {"0.0.0.0/0", "::/0"})
    hba += "host    " + db + "  " + roles + "  " + address + "  scram-sha-256\n";
  hba +=
      "host    all          all       0.0.0.0/0    reject\n"
      "host    all          all       ::/0         reject\n"
      "host    replication  all       0.0.0.0/0    reject\n"
      "host    replication  all       ::/0         reject\n";
  const auto path = data_dir() / "pg_hba.conf";
  SL_TRY(fs::write_file_atomic(path, hba, 0600));
  if (running_as_root()) SL_TRY(chown_to_system_user(path));
  return {};
}

Status Cluster::start() {
  if (!valid_listen(options_.listen))
    return make_error(Errc::invalid_argument,
                      "pg: embedded.listen '" + options_.listen +
                          "' is not a list of addresses (e.g. 127.0.0.1 or 127.0.0.1,::1)");
  SL_ASSIGN_OR_RETURN(auto current, status());
  if (current.running) {
    port_ = current.port;
    SL_TRY(ensure_database());
    return ensure_roles();
  }
  if (!current.initialized) SL_TRY(initdb());
  SL_TRY(private_directory(options_.dir));
  SL_TRY(private_directory(socket_dir()));
  SL_TRY(choose_port());
  SL_TRY(write_hba());
  if (running_as_root()) {
    SL_TRY(let_system_user_traverse(options_.dir.parent_path()));
    SL_TRY(chown_to_system_user(options_.dir));
    auto reachable = process::run({"runuser", "-u", k_system_user, "--", "test", "-w",
                                   data_dir().string()});
    if (!reachable || !reachable->succeeded())
      return make_error(Errc::io, "pg: the postgres system user cannot reach '" +
                                      data_dir().string() +
                                      "': a folder above it is closed to others; choose a "
                                      "SPORTLAKE_HOME others may traverse to, or run sportlake "
                                      "as a non-root user");
  }
  if (!options_.listen.empty() && options_.listen != "localhost" &&
      options_.listen.rfind("127.", 0) != 0 && options_.listen != "::1")
    spdlog::warn(
        "pg: the embedded cluster listens on {} beyond loopback: SCRAM protects the passwords, "
        "not the data (no TLS); prefer an SSH tunnel or an external database",
        options_.listen);
  // pg_ctl -w waits until the server accepts connections; a stale postmaster.pid left by a
  // killed server is detected and replaced by the postmaster itself. The -o string goes through
  // a shell: `listen` was checked above (no quote, no space).
  auto started = run_tool(
      "pg_ctl",
      {"start", "-w", "-t", "60", "-D", data_dir().string(), "-l",
       (options_.dir / "server.log").string(), "-o",
       "-p " + std::to_string(port_) + " -c listen_addresses='" + options_.listen +
           "' -c unix_socket_permissions=0700"});
  if (!started) {
    std::string log_tail;
    if (auto log = fs::read_file(options_.dir / "server.log")) {
      log_tail = log->size() > 800 ? log->substr(log->size() - 800) : *log;
    }
    return make_error(started.error().code,
                      started.error().message + "\nserver.log: " + trim(log_tail));
  }
  SL_TRY(ensure_database());
  return ensure_roles();
}

stdfs::path Cluster::secrets_dir() const {
  return options_.secrets_dir.empty() ? options_.dir / "secrets" : options_.secrets_dir;
}

stdfs::path Cluster::password_file(const std::string& role) const {
  return secrets_dir() / (role + ".password");
}

Result<std::string> Cluster::password(const std::string& role) const {
  SL_ASSIGN_OR_RETURN(auto text, fs::read_file(password_file(role)));
  return trim(text);
}

// The roles, their passwords and privileges (cluster.hpp). Done once per cluster (the version
// is a comment on the jobs role), again when a password file is missing (a new password is
// generated and set); in one transaction under an advisory lock, so concurrent starters (the
// services of `up`) neither race nor see half of it.
Status Cluster::ensure_roles() {
  SL_ASSIGN_OR_RETURN(auto conn, Connection::open(conninfo(options_.database)));
  const std::string& jobs = options_.jobs_role;
  const std::string& bi = options_.bi_role;
  SL_ASSIGN_OR_RETURN(auto marker,
                      conn.exec_params("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles "
                                       "WHERE rolname = $1",
                                       {jobs}));
  const bool current = marker.rows() == 1 && marker.value(0, 0) == k_access_version;
  if (current && stdfs::exists(password_file(jobs)) && stdfs::exists(password_file(bi)))
    return {};

  SL_TRY(private_directory(secrets_dir()));
  SL_TRY(write_hba());  // a running cluster of an older sportlake: its trust lines go now
  SL_TRY(conn.exec("BEGIN"));
  auto run = [&]() -> Status {
    SL_TRY(conn.exec("SELECT pg_advisory_xact_lock(hashtext('sportlake.cluster.roles'))"));
    const std::string qjobs = quote_identifier(jobs), qbi = quote_identifier(bi);
    const std::string qdb = quote_identifier(options_.database);
    const std::string qschema = quote_identifier(options_.bi_schema);
    for (const std::string* role : {&jobs, &bi}) {
      SL_ASSIGN_OR_RETURN(auto found,
                          conn.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", {*role}));
      if (found.rows() == 0) SL_TRY(conn.exec("CREATE ROLE " + quote_identifier(*role)));
      auto secret = password(*role);
      if (!secret) {
        SL_ASSIGN_OR_RETURN(auto generated, generate_password());
        SL_TRY(fs::write_file_atomic(password_file(*role), generated + "\n", 0600));
        secret = generated;
      }
      SL_ASSIGN_OR_RETURN(auto verifier, conn.scram_verifier(*role, *secret));
      const bool is_jobs = role == &jobs;
      SL_TRY(conn.exec("ALTER ROLE " + quote_identifier(*role) +
                       " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS " +
                       (is_jobs ? "REPLICATION" : "NOREPLICATION") + " PASSWORD " +
                       quote_literal(verifier)));
    }
    // The application database: only these roles (and the superuser) may connect or use temp.
    SL_TRY(conn.exec("REVOKE ALL ON DATABASE " + qdb + " FROM PUBLIC"));
    SL_TRY(conn.exec("GRANT CONNECT, TEMPORARY ON DATABASE " + qdb + " TO " + qjobs));
    SL_TRY(conn.exec("GRANT CONNECT ON DATABASE " + qdb + " TO " + qbi));
    // Schema public (the source tables, made by the migrations as the superuser): the jobs read
    // and write rows, nothing more (no DDL, no TRUNCATE); the BI role does not even see it.
    SL_TRY(conn.exec("REVOKE ALL ON SCHEMA public FROM PUBLIC"));
    SL_TRY(conn.exec("GRANT USAGE ON SCHEMA public TO " + qjobs));
    SL_TRY(conn.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " +
                     qjobs));
    SL_TRY(conn.exec("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + qjobs));
    SL_TRY(conn.exec(
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT, INSERT, "
        "UPDATE, DELETE ON TABLES TO " +
        qjobs));
    SL_TRY(conn.exec(
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT USAGE, SELECT, UPDATE "
        "ON SEQUENCES TO " +
        qjobs));
    // The BI schema belongs to the jobs (the refresh publishes there: CREATE TABLE/VIEW, DELETE,
    // COPY); what a superuser made there before is handed over.
    SL_TRY(conn.exec("CREATE SCHEMA IF NOT EXISTS " + qschema + " AUTHORIZATION " + qjobs));
    SL_TRY(conn.exec("ALTER SCHEMA " + qschema + " OWNER TO " + qjobs));
    SL_ASSIGN_OR_RETURN(
        auto foreign,
        conn.exec_params("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON "
                         "n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', "
                         "'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> $2",
                         {options_.bi_schema, jobs}));
    for (int r = 0; r < foreign.rows(); ++r) {
      const std::string kind = foreign.value(r, 1) == "v"   ? "VIEW"
                               : foreign.value(r, 1) == "m" ? "MATERIALIZED VIEW"
                               : foreign.value(r, 1) == "S" ? "SEQUENCE"
                                                            : "TABLE";
      SL_TRY(conn.exec("ALTER " + kind + " " + qschema + "." +
                       quote_identifier(foreign.value(r, 0)) + " OWNER TO " + qjobs));
    }
    // The BI role: read-only, that schema only (tables and views the jobs create there later
    // included).
    SL_TRY(conn.exec("GRANT USAGE ON SCHEMA " + qschema + " TO " + qbi));
    SL_TRY(conn.exec("GRANT SELECT ON ALL TABLES IN SCHEMA " + qschema + " TO " + qbi));
    SL_TRY(conn.exec("ALTER DEFAULT PRIVILEGES FOR ROLE " + qjobs + " IN SCHEMA " + qschema +
                     " GRANT SELECT ON TABLES TO " + qbi));
    SL_TRY(conn.exec("ALTER ROLE " + qbi + " SET default_transaction_read_only = on"));
    SL_TRY(conn.exec("ALTER ROLE " + qbi + " SET search_path = " + qschema));
    SL_TRY(conn.exec("COMMENT ON ROLE " + qjobs + " IS " + quote_literal(k_access_version)));
    return {};
  };
  if (auto status = run(); !status) {
    (void)conn.exec("ROLLBACK");
    return status.error().with_context("pg: roles");
  }
  SL_TRY(conn.exec("COMMIT"));
  SL_TRY(conn.exec("SELECT pg_reload_conf()"));
  return {};
}

Status Cluster::ensure_database() {
  SL_ASSIGN_OR_RETURN(auto conn, Connection::open(conninfo("postgres")));
  SL_ASSIGN_OR_RETURN(auto found, conn.exec_params("SELECT 1 FROM pg_database WHERE datname = $1",
                                                   {options_.database}));
  if (found.rows() == 0) {
    auto created = conn.exec("CREATE DATABASE " + quote_identifier(options_.database));
    // Two starters may race to create it; losing the race is fine.
    if (!created && created.error().message.find("42P04") == std::string::npos)
      return created.error();
  }
  return {};
}

Status Cluster::stop() {
  SL_ASSIGN_OR_RETURN(auto current, status());
  if (!current.running) return {};
  SL_TRY(run_tool("pg_ctl", {"stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir().string()}));
  return {};
}

Result<ClusterStatus> Cluster::status() const {
  ClusterStatus out;
  out.data_dir = data_dir();
  out.port = port_;
  auto version = fs::read_file(data_dir() / "PG_VERSION");
  out.initialized = version.ok();
  if (!out.initialized) return out;
  out.version = trim(*version);
  // postmaster.pid: line 1 pid, line 4 port. The pid must be alive and be a postgres process.
  auto pid_file = fs::read_file(data_dir() / "postmaster.pid");
  if (pid_file) {
    int pid = std::atoi(pid_file->c_str());
    std::string comm;
    if (pid > 0) {
      std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
      std::getline(in, comm);
    }
    if (pid > 0 && (comm == "postgres" || comm == "postmaster")) {
      out.running = true;
      out.pid = pid;
      size_t line = 0, start = 0;
      for (size_t i = 0; i < pid_file->size() && line < 3; ++i) {
        if ((*pid_file)[i] == '\n') {
          ++line;
          start = i + 1;
        }
      }
      if (line == 3) out.port = std::atoi(pid_file->c_str() + start);
    }
  }
  if (auto v = fs::read_file(options_.dir / "port"); v && out.port == 0)
    out.port = std::atoi(v->c_str());
  return out;
}

std::string Cluster::conninfo(const std::string& dbname) const {
  return conninfo(dbname, "postgres");
}

std::string Cluster::conninfo(const std::string& dbname, const std::string& role) const {
  return "host=" + socket_dir().string() + " port=" + std::to_string(port_) + " dbname=" + dbname +
         " user=" + role;
}

std::string Cluster::tcp_host() const {
  std::string first = options_.listen.substr(0, options_.listen.find(','));
  if (first == "*" || first == "0.0.0.0") return "127.0.0.1";
  if (first == "::") return "::1";
  return first;
}

}  // namespace sl::pg
