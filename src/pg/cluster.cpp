// Private cluster management through initdb and pg_ctl.
#include "pg/cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

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
  SL_TRY(fs::ensure_directory(options_.dir));
  SL_TRY(fs::ensure_directory(socket_dir()));
  if (running_as_root()) SL_TRY(chown_to_system_user(options_.dir));
  SL_TRY(run_tool("initdb", {"-D", data_dir().string(), "-U", "postgres", "--auth=trust",
                             "--encoding=UTF8", "--locale=C", "--no-instructions"}));
  // Settings for CDC and durability; trust auth is safe because the server listens on the
  // private socket folder and 127.0.0.1 only (document: use an external database otherwise).
  std::ofstream conf(data_dir() / "postgresql.auto.conf", std::ios::app);
  conf << "# written by sportlake at initdb\n"
          "listen_addresses = '127.0.0.1'\n"
          "unix_socket_directories = '"
       << socket_dir().string()
       << "'\n"
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

Status Cluster::start() {
  SL_ASSIGN_OR_RETURN(auto current, status());
  if (current.running) {
    port_ = current.port;
    return ensure_database();
  }
  if (!current.initialized) SL_TRY(initdb());
  SL_TRY(fs::ensure_directory(socket_dir()));
  SL_TRY(choose_port());
  if (running_as_root()) SL_TRY(chown_to_system_user(options_.dir));
  // pg_ctl -w waits until the server accepts connections; a stale postmaster.pid left by a
  // killed server is detected and replaced by the postmaster itself.
  auto started = run_tool(
      "pg_ctl", {"start", "-w", "-t", "60", "-D", data_dir().string(), "-l",
                 (options_.dir / "server.log").string(), "-o", "-p " + std::to_string(port_)});
  if (!started) {
    std::string log_tail;
    if (auto log = fs::read_file(options_.dir / "server.log")) {
      log_tail = log->size() > 800 ? log->substr(log->size() - 800) : *log;
    }
    return make_error(started.error().code,
                      started.error().message + "\nserver.log: " + trim(log_tail));
  }
  return ensure_database();
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
  return "host=" + socket_dir().string() + " port=" + std::to_string(port_) + " dbname=" + dbname +
         " user=postgres";
}

std::string Cluster::url(const std::string& dbname) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

}  // namespace sl::pg
