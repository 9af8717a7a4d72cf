// `sportlake db start|stop|status|psql|url`: the embedded PostgreSQL cluster (or the external one).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/process.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

int fail(const char* verb, const Error& error) {
  fmt::print(stderr, "sportlake db {}: {}\n", verb, error.to_string());
  return 1;
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
        fmt::print("PostgreSQL running on 127.0.0.1:{} (data: {})\n", cluster.port(),
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

  auto* psql = db->add_subcommand(
      "psql", "open psql on the configured database (extra arguments are passed on)");
  static std::vector<std::string> psql_args;
  psql->add_option("args", psql_args, "arguments for psql");
  psql->callback([&ctx] {
    auto conninfo = pg::resolve_conninfo(ctx.config);
    if (!conninfo) {
      ctx.exit_code = fail("psql", conninfo.error());
      return;
    }
    std::vector<std::string> argv = {"psql", *conninfo};
    argv.insert(argv.end(), psql_args.begin(), psql_args.end());
    auto error = process::exec(argv);
    ctx.exit_code = fail("psql", error);
  });

  db->add_subcommand("url", "print the connection string of the configured database")
      ->callback([&ctx] {
        auto conninfo = pg::resolve_conninfo(ctx.config);
        if (!conninfo) {
          ctx.exit_code = fail("url", conninfo.error());
          return;
        }
        fmt::print("{}\n", *conninfo);
      });
}

}  // namespace sl::cli
