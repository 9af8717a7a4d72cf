// `sportlake db start|stop|status|psql|url|bi-user`: the embedded PostgreSQL cluster (or the
// external one).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/fs.hpp"
#include "common/process.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

int fail(const char* verb, const Error& error) {
  fmt::print(stderr, "sportlake db {}: {}\n", verb, error.to_string());
  return 1;
}

// "127.0.0.1" or "[::1]" for URLs.
std::string url_host(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

// The TCP address BI tools reach the embedded cluster on; an error saying how to open one.
Result<std::string> bi_tcp_host(const pg::Cluster& cluster) {
  const std::string host = cluster.tcp_host();
  if (host.empty())
    return make_error(Errc::unavailable,
                      "the embedded database listens on its private socket only; set "
                      "embedded.listen (e.g. SPORTLAKE_PG_LISTEN=127.0.0.1), then `sportlake db "
                      "stop` and `sportlake db start`");
  return host;
}

// The BI role's connection strings for the tools (README "BI tools").
Status print_bi_user(const pg::Cluster& cluster, bool show_password) {
  const auto& o = cluster.options();
  SL_ASSIGN_OR_RETURN(const std::string host, bi_tcp_host(cluster));
  SL_ASSIGN_OR_RETURN(auto password, cluster.password(o.bi_role));
  const std::string port = std::to_string(cluster.port());
  const std::string shown = show_password ? password : "<password>";
  fmt::print("role      {} (read-only, schema {} only)\n", o.bi_role, o.bi_schema);
  fmt::print("server    {}:{}   database {}\n", host, port, o.database);
  if (show_password)
    fmt::print("password  {}\n", password);
  else
    fmt::print("password  in {} (--show-password puts it in the strings below)\n",
               cluster.password_file(o.bi_role).string());
  fmt::print("libpq     postgresql://{}:{}@{}:{}/{}\n", o.bi_role, shown, url_host(host), port,
             o.database);
  fmt::print("JDBC      jdbc:postgresql://{}:{}/{}?user={}&password={}&currentSchema={}\n",
             url_host(host), port, o.database, o.bi_role, shown, o.bi_schema);
  fmt::print(
      "ODBC      Driver={{PostgreSQL Unicode}};Server={};Port={};Database={};Uid={};Pwd={};\n",
      host, port, o.database, o.bi_role, shown);
  fmt::print(
      "Power BI  Get Data > PostgreSQL database: Server {}:{}, Database {}; then Database "
      "credentials: User name {}, the password above\n",
      host, port, o.database, o.bi_role);
  return {};
}

// A Power BI data source file (.pbids, Microsoft's "Power BI data source files" format, version
// 0.1) for the BI role: opening it in Power BI Desktop opens Get Data > PostgreSQL on this server
// and database; Power BI then asks for the credentials (a .pbids cannot hold them, and the
// password never goes into it). 0600 like every file sportlake writes.
//
// {"version":"0.1","connections":[{"details":{"protocol":"postgresql","address":{"server":
//  "127.0.0.1:5432","database":"rh_sport"}},"options":{},"mode":"DirectQuery"}]}
Status write_pbids(const pg::Cluster& cluster, const std::string& file, const std::string& mode) {
  SL_ASSIGN_OR_RETURN(const std::string host, bi_tcp_host(cluster));
  nlohmann::ordered_json connection = {{"details",
                                        {{"protocol", "postgresql"},
                                         {"address",
                                          {{"server", fmt::format("{}:{}", host, cluster.port())},
                                           {"database", cluster.options().database}}}}},
                                       {"options", nlohmann::ordered_json::object()},
                                       {"mode", mode}};
  nlohmann::ordered_json pbids = {{"version", "0.1"}, {"connections", {connection}}};
  SL_TRY(fs::write_file_atomic(file, pbids.dump(2) + "\n", 0600));
  fmt::print(
      "pbids     {} written: open it in Power BI Desktop, then Database credentials: User name "
      "{}, the password in {}\n",
      file, cluster.options().bi_role, cluster.password_file(cluster.options().bi_role).string());
  return {};
}

}  // namespace

void add_db_command(CLI::App& app, Context& ctx) {
  auto* db = app.add_subcommand(
      "db", "manage the embedded PostgreSQL cluster (under $SPORTLAKE_HOME/postgres)");
  db->require_subcommand(1);

  db->add_subcommand("start", "initialise (first time) and start the embedded cluster")
      ->callback([&ctx] {
        if (!ctx.settings.embedded_database) {
          fmt::print("an external database is configured; nothing to start\n");
          return;
        }
        auto cluster = pg::embedded_cluster(ctx.config);
        if (auto started = cluster.start(); !started) {
          ctx.exit_code = fail("start", started.error());
          return;
        }
        const std::string host = cluster.tcp_host();
        fmt::print("PostgreSQL running on its private socket {} (port {}){} (data: {})\n",
                   cluster.socket_dir().string(), cluster.port(),
                   host.empty() ? "" : fmt::format(", on TCP {}:{}", host, cluster.port()),
                   cluster.data_dir().string());
      });

  db->add_subcommand("stop", "stop the embedded cluster (fast shutdown)")->callback([&ctx] {
    auto cluster = pg::embedded_cluster(ctx.config);
    if (auto stopped = cluster.stop(); !stopped) {
      ctx.exit_code = fail("stop", stopped.error());
      return;
    }
    fmt::print("PostgreSQL stopped\n");
  });

  auto* status = db->add_subcommand("status", "is the embedded cluster running? (exit 3 when not)");
  static bool status_json = false;
  status->add_flag("--json", status_json, "print a JSON object");
  status->callback([&ctx] {
    if (!ctx.settings.embedded_database) {
      fmt::print("external database configured\n");
      return;
    }
    auto cluster = pg::embedded_cluster(ctx.config);
    auto st = cluster.status();
    if (!st) {
      ctx.exit_code = fail("status", st.error());
      return;
    }
    if (status_json) {
      nlohmann::json out = {{"initialized", st->initialized},
                            {"running", st->running},
                            {"pid", st->pid},
                            {"port", st->port},
                            {"data_dir", st->data_dir.string()},
                            {"version", st->version}};
      fmt::print("{}\n", out.dump());
    } else if (!st->initialized) {
      fmt::print("not initialised ({}); `sportlake db start` creates it\n", st->data_dir.string());
    } else {
      fmt::print("PostgreSQL {} {} (pid {}, port {}, data {})\n", st->version,
                 st->running ? "running" : "stopped", st->pid, st->port, st->data_dir.string());
    }
    // pg_ctl's convention: 3 means "not running".
    if (!st->running) ctx.exit_code = 3;
  });

  auto* psql = db->add_subcommand("psql",
                                  "open psql on the configured database (the embedded cluster's "
                                  "superuser, over its private socket; extra arguments are passed "
                                  "on)");
  static std::vector<std::string> psql_args;
  psql->add_option("args", psql_args, "arguments for psql");
  psql->callback([&ctx] {
    auto conninfo = pg::resolve_admin_conninfo(ctx.config);
    if (!conninfo) {
      ctx.exit_code = fail("psql", conninfo.error());
      return;
    }
    std::vector<std::string> argv = {"psql", *conninfo};
    argv.insert(argv.end(), psql_args.begin(), psql_args.end());
    auto error = process::exec(argv);
    ctx.exit_code = fail("psql", error);
  });

  auto* url = db->add_subcommand("url",
                                 "print the connection string the jobs use (the embedded cluster: "
                                 "the jobs' role over its private socket)");
  // Benchmarks and administrators reset tables (TRUNCATE, DDL) that the jobs' role may not touch;
  // the superuser's string names only the private socket, which no other account can reach.
  static bool admin = false;
  url->add_flag("--admin", admin,
                "the superuser's string instead (embedded cluster: over its private socket)");
  url->callback([&ctx] {
    auto conninfo =
        admin ? pg::resolve_admin_conninfo(ctx.config) : pg::resolve_conninfo(ctx.config);
    if (!conninfo) {
      ctx.exit_code = fail("url", conninfo.error());
      return;
    }
    fmt::print("{}\n", *conninfo);
  });

  auto* bi = db->add_subcommand(
      "bi-user",
      "print the read-only BI role's connection strings (libpq, JDBC, ODBC, Power BI) for the "
      "gold schema; needs embedded.listen");
  static bool show_password = false;
  bi->add_flag("--show-password", show_password,
               "put the password in the strings (default: where it is stored)");
  static std::string pbids_file;
  static std::string pbids_mode = "DirectQuery";
  bi->add_option("--pbids", pbids_file,
                 "also write a Power BI connection file (.pbids, 0600, no password) to FILE");
  bi->add_option("--pbids-mode", pbids_mode,
                 "the .pbids connection mode: DirectQuery (default: the rows stay in the "
                 "database) or Import")
      ->check(CLI::IsMember({"DirectQuery", "Import"}));
  bi->callback([&ctx] {
    if (!ctx.settings.embedded_database) {
      ctx.exit_code = fail("bi-user", make_error(Errc::invalid_argument,
                                                 "an external database is configured: its "
                                                 "administrator creates the BI role"));
      return;
    }
    auto cluster = pg::embedded_cluster(ctx.config);
    if (auto started = cluster.start(); !started) {
      ctx.exit_code = fail("bi-user", started.error());
      return;
    }
    if (auto printed = print_bi_user(cluster, show_password); !printed) {
      ctx.exit_code = fail("bi-user", printed.error());
      return;
    }
    if (pbids_file.empty()) return;
    if (auto written = write_pbids(cluster, pbids_file, pbids_mode); !written)
      ctx.exit_code = fail("bi-user", written.error());
  });
}

}  // namespace sl::cli
