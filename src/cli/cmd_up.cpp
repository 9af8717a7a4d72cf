// `sportlake up`: every service of the embedded mode in one process, like `docker-compose up` did
// for the seed: the Bronze ingest, the Slack notifier, the distance worker (each on its own
// replication slot, each a thread), a periodic Silver/Gold refresh and the dashboard. Ctrl-C (or
// SIGTERM) stops them all cleanly: each finishes its transaction and acknowledges what it made
// durable. A service that fails is logged and started again after a pause (5 s doubling to 2 min),
// so a database restart or a Slack outage does not stop the others.
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/dashboard_server.hpp"
#include "cli/lake_storage.hpp"
#include "cli/maps_config.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "lakehouse/activity_notifier.hpp"
#include "lakehouse/bronze_ingest.hpp"
#include "lakehouse/distance_job.hpp"
#include "lakehouse/refresh_job.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

std::atomic<bool> g_stop{false};
void request_stop(int) {
  g_stop = true;
}

struct UpOptions {
  double refresh_interval = 60;
  bool no_notify = false;
  bool no_distances = false;
  bool no_serve = false;
};

// Sleeps up to `duration`, waking early on stop.
void pause_for(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!g_stop && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// Runs `service` until stop, starting it again after a failure.
void supervise(const std::string& name, const std::function<Status()>& service) {
  auto backoff = std::chrono::milliseconds(5000);
  while (!g_stop) {
    auto status = service();
    if (g_stop) break;
    if (status) {
      backoff = std::chrono::milliseconds(5000);
      continue;
    }
    spdlog::error("{}: {}; starting again in {} s", name, status.error().to_string(),
                  backoff.count() / 1000);
    pause_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(120000));
  }
  spdlog::info("{}: stopped", name);
}

Status run_up(Context& ctx, const UpOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));  // starts the cluster
  { SL_TRY(open_source_database(ctx)); }  // migrations and publication before the services
  const std::string slot_prefix = ctx.config.get_string("cdc.slot", "sportlake");
  const std::string publication = ctx.config.get_string("cdc.publication", "sportlake_pub");
  const auto lake = ctx.config.lake_root();
  const delta::Lake lake_tables = open_lake(ctx);
  auto stop = [] { return g_stop.load(); };
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);

  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    supervise("ingest", [&]() -> Status {
      SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
      lakehouse::BronzeIngestOptions o;
      o.conninfo = conninfo;
      o.slot = slot_prefix + "_bronze";
      o.publication = publication;
      o.lake = &lake_tables;
      o.stop_requested = stop;
      SL_TRY(run_bronze_job(sql, o));
      return {};
    });
  });
  if (!opt.no_notify) {
    threads.emplace_back([&] {
      supervise("notify", [&]() -> Status {
        SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
        lakehouse::NotifierOptions o;
        o.stop_requested = stop;
        SL_TRY(run_notify_job(sql, {conninfo, slot_prefix + "_notify", publication},
                              {.webhook_url = ctx.config.get_string("slack.webhook_url", "")}, o));
        return {};
      });
    });
  }
  if (!opt.no_distances) {
    threads.emplace_back([&] {
      supervise("distances", [&]() -> Status {
        SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
        std::optional<integrations::Gazetteer> gazetteer;
        SL_ASSIGN_OR_RETURN(auto provider, make_distance_provider(ctx, "", gazetteer));
        lakehouse::DistanceWorkerOptions o;
        o.destination = workplace(ctx);
        o.stop_requested = stop;
        SL_TRY(run_distance_follow_job(sql, {conninfo, slot_prefix + "_distances", publication},
                                       *provider, o));
        return {};
      });
    });
  }
  threads.emplace_back([&] {
    supervise("refresh", [&]() -> Status {
      SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
      SL_ASSIGN_OR_RETURN(auto gazetteer, load_gazetteer(ctx));
      while (!g_stop) {
        lakehouse::RefreshOptions o;
        o.lake = &lake_tables;
        SL_ASSIGN_OR_RETURN(o.rules, reward_rules(ctx));
        SL_ASSIGN_OR_RETURN(o.year, reference_year(ctx));
        o.destination = workplace(ctx);
        o.gazetteer = &gazetteer;
        o.now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        auto refreshed = lakehouse::run_refresh(o, &sql);
        // Before the first ingest there is nothing to refresh: not an error worth a backoff.
        if (!refreshed && refreshed.error().code != Errc::not_found) return refreshed.error();
        pause_for(std::chrono::milliseconds(static_cast<int64_t>(opt.refresh_interval * 1000)));
      }
      return {};
    });
  });
  if (!opt.no_serve) {
    threads.emplace_back(
        [&] { supervise("serve", [&]() -> Status { return run_dashboard(ctx, "", g_stop); }); });
  }
  fmt::print(
      "sportlake up: ingest → {}/bronze, notify ({}), distances, refresh every {} s; Ctrl-C "
      "stops\n",
      lake.string(), ctx.config.get_string("slack.webhook_url", "").empty() ? "log" : "Slack",
      opt.refresh_interval);
  std::fflush(stdout);
  for (auto& t : threads) t.join();
  fmt::print("sportlake up: stopped\n");
  return {};
}

}  // namespace

void add_up_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "up",
      "run every service of the embedded mode in one process: ingest, notify, distances "
      "(follow) and a periodic refresh; Ctrl-C stops them cleanly");
  static UpOptions opt;
  cmd->add_option("--refresh-interval", opt.refresh_interval,
                  "seconds between two Silver/Gold refreshes (default 60)");
  cmd->add_flag("--no-notify", opt.no_notify, "without the Slack notifier");
  cmd->add_flag("--no-distances", opt.no_distances, "without the distance worker");
  cmd->add_flag("--no-serve", opt.no_serve, "without the dashboard");
  cmd->callback([&ctx] {
    if (auto st = run_up(ctx, opt); !st) {
      fmt::print(stderr, "sportlake up: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
