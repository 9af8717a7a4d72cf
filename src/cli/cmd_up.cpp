// `sportlake up`: every service of the embedded mode in one process, like `docker-compose up` did
// for the seed: the Bronze ingest, the Slack notifier, the distance worker (each on its own
// replication slot, each a thread), a periodic Silver/Gold refresh, the table maintenance and the
// dashboard. Ctrl-C (or SIGTERM) stops them all cleanly: each finishes its transaction and
// acknowledges what it made durable. A service that fails is logged and started again after a pause (5 s doubling to 2 min),
// so a database restart or a Slack outage does not stop the others.
// `--kafka`: the same against a broker — a publish role (`cdc --sink kafka --schemas` on its own
// slot) and ingest, notify and distances each reading the topics in its own consumer group, as
// their `--source kafka` commands do on other machines.
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/dashboard_server.hpp"
#include "cli/distance_provider_factory.hpp"
#include "cli/job_options.hpp"
#include "cli/lake_maintenance.hpp"
#include "cli/lake_storage.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "common/memory_tuning.hpp"
#include "common/process.hpp"
#include "lakehouse/refresh_job.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

struct UpOptions {
  double refresh_interval = 60;
  bool no_notify = false;
  bool no_distances = false;
  bool no_serve = false;
  bool no_auth = false;
  bool no_maintain = false;
  double maintain_interval = -1;  // -1: maintenance.interval
  bool kafka = false;
  bool no_publish = false;  // --kafka: the topics come from elsewhere (another publisher, Debezium)
  size_t memory_mb = 120;   // the resident size `up` is held to (issue 16)
};

// The refresh's share of `up`'s memory budget: the services hold ~45 MB at 10,000 rows/s, a
// compaction or the dashboard's index build ~40 MB more for a moment; a full rebuild (the first
// refresh that finds Bronze, or one after a settings change) under `refresh`'s default 768 MiB
// held a whole small lake's Silver at once (+95 MB for 305,000 activities: lakehouse/README).
constexpr size_t k_refresh_share = 4;

// Sleeps up to `duration`, waking early on stop.
void pause_for(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop_requested() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// A compaction's output row groups in `up` (decoded bytes): at the default 16 MiB, compacting
// 15 s of Bronze at 10,000 rows/s took +45 MB of resident memory, +12 MB at 4 MiB.
constexpr size_t k_maintenance_row_group_bytes = size_t{4} << 20;

// The maintenance service: a pass over the lake every `interval`, at the lowest CPU and IO
// priority, within the pass budget. Compaction on Bronze only: Silver and Gold are rewritten by
// the refresh (an OPTIMIZE removing the files an overwrite removes would make one of them fail);
// checkpoints on every table; log cleanup and vacuum (which list every file) every
// `cleanup_interval`.
Status run_maintenance(const delta::Lake& lake, const MaintenanceSettings& settings,
                       double interval_s) {
  SL_ASSIGN_OR_RETURN(auto policy, maintenance_policy(settings));
  SL_ASSIGN_OR_RETURN(auto cleanup_interval_s, settings.cleanup_interval_s);
  SL_ASSIGN_OR_RETURN(auto budget_mb, settings.budget_mb);
  policy.stop = [] { return stop_requested(); };
  policy.row_group_bytes = k_maintenance_row_group_bytes;
  std::optional<std::chrono::steady_clock::time_point> last_cleanup;
  while (!stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    policy.cleanup = !last_cleanup || now - *last_cleanup >= millis(cleanup_interval_s);
    if (policy.cleanup) last_cleanup = now;
    uint64_t budget = static_cast<uint64_t>(budget_mb) << 20;
    auto report = [](const std::string& table, const Result<delta::TableMaintenance>& outcome) {
      if (!outcome) return spdlog::warn("maintain: {}: {}", table, outcome.error().to_string());
      if (outcome->compactions || outcome->conflicts || outcome->checkpoint ||
          outcome->log_files_deleted || outcome->files_vacuumed.value_or(0))
        spdlog::info("maintain: {}: {}", table, outcome->summary());
    };
    for (const bool bronze : {true, false}) {
      policy.compact = bronze;
      SL_ASSIGN_OR_RETURN(auto tables, bronze ? lake_table_locations(lake, {delta::Layer::bronze})
                                              : lake_table_locations(lake, {delta::Layer::silver,
                                                                            delta::Layer::gold}));
      const auto pass = maintain_tables(lake, tables, policy, budget, report);
      budget -= std::min(budget, pass.bytes_rewritten);
    }
    release_free_memory();  // the compactions' buffers
    pause_for(millis(interval_s));
  }
  return {};
}

// Runs `service` until stop, starting it again after a failure.
void supervise(const std::string& name, const std::function<Status()>& service) {
  auto backoff = std::chrono::milliseconds(5000);
  while (!stop_requested()) {
    auto status = service();
    if (stop_requested()) break;
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
  // A service that runs for days is held to a resident-size budget (README, issue 16).
  tune_memory_allocator(MemoryProfile::service);
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));  // starts the cluster
  { SL_TRY(open_source_database(ctx)); }  // migrations and publication before the services
  const Settings& settings = ctx.settings;
  const auto& stop = stop_on_signals();
  const delta::Lake lake = open_lake(ctx);
  if (opt.kafka && settings.kafka.bootstrap_servers.empty())
    return make_error(Errc::invalid_argument,
                      "--kafka: no brokers (set KAFKA_BOOTSTRAP_SERVERS or kafka.bootstrap_servers)");
  // A bad cdc.* publisher setting stops `up` at once rather than the publish role in a loop.
  if (opt.kafka && !opt.no_publish && !settings.cdc.publisher)
    return settings.cdc.publisher.error();
  // Each consuming role reads its own slot, or with --kafka the topics in its own group.
  const std::string source = opt.kafka ? "kafka" : "slot";

  std::vector<std::thread> threads;
  if (opt.kafka && !opt.no_publish) {
    threads.emplace_back([&] {
      supervise("publish", [&]() -> Status {
        SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
        return run_publish_job(sql, settings, conninfo);
      });
    });
  }
  threads.emplace_back([&] {
    supervise("ingest", [&]() -> Status {
      IngestFlags flags;
      flags.source = source;
      if (opt.kafka) {
        SL_TRY(run_bronze_kafka_job(settings.kafka, settings.cdc.topic_prefix,
                                    bronze_ingest_options(settings, conninfo, lake, flags)));
        return {};
      }
      SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
      SL_TRY(run_bronze_job(sql, bronze_ingest_options(settings, conninfo, lake, flags)));
      return {};
    });
  });
  if (!opt.no_notify) {
    threads.emplace_back([&] {
      supervise("notify", [&]() -> Status {
        SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
        NotifyFlags flags;
        flags.source = source;
        SL_TRY(run_notify_job(sql, notify_job(settings, conninfo, flags)));
        return {};
      });
    });
  }
  if (!opt.no_distances) {
    threads.emplace_back([&] {
      supervise("distances", [&]() -> Status {
        SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
        std::optional<integrations::Gazetteer> gazetteer;
        SL_ASSIGN_OR_RETURN(auto provider, make_distance_provider(settings.maps, "", gazetteer));
        DistanceFollowFlags flags;
        flags.source = source;
        SL_TRY(run_distance_follow_job(sql, distance_follow_job(settings, conninfo, flags),
                                       *provider));
        return {};
      });
    });
  }
  threads.emplace_back([&] {
    supervise("refresh", [&]() -> Status {
      SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
      SL_ASSIGN_OR_RETURN(auto gazetteer, load_gazetteer(settings.maps));
      while (!stop_requested()) {
        SL_ASSIGN_OR_RETURN(auto options, refresh_options(settings, lake, 0, gazetteer));
        options.memory_budget_bytes = (opt.memory_mb << 20) / k_refresh_share;
        auto refreshed = lakehouse::run_refresh(options, &sql);
        // Before the first ingest there is nothing to refresh: not an error worth a backoff.
        release_free_memory();  // what the refresh freed, wherever it sits in the heap
        if (!refreshed && refreshed.error().code != Errc::not_found) return refreshed.error();
        pause_for(millis(opt.refresh_interval));
      }
      return {};
    });
  });
  const bool maintain = !opt.no_maintain && settings.maintenance.enabled;
  if (maintain) {
    SL_ASSIGN_OR_RETURN(double interval, settings.maintenance.interval_s);
    if (opt.maintain_interval > 0) interval = opt.maintain_interval;
    threads.emplace_back([&lake, &settings, interval] {
      process::lower_thread_priority();
      supervise("maintain", [&]() -> Status {
        return run_maintenance(lake, settings.maintenance, interval);
      });
    });
  }
  if (!opt.no_serve) {
    threads.emplace_back([&] {
      supervise("serve", [&]() -> Status {
        return run_dashboard(ctx, {.listen = "", .no_auth = opt.no_auth}, stop);
      });
    });
  }
  fmt::print(
      "sportlake up: {}ingest → {}/bronze, notify ({}), distances, refresh every {} s, {}; Ctrl-C "
      "stops\n",
      opt.kafka ? fmt::format("{}Kafka {} → ", opt.no_publish ? "" : "publish → ",
                              settings.kafka.bootstrap_servers)
                : std::string(),
      settings.lake_root.string(), settings.slack_webhook_url.empty() ? "log" : "Slack",
      opt.refresh_interval, maintain ? "table maintenance" : "no table maintenance");
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
  cmd->add_option("--memory-mb", opt.memory_mb,
                  "the resident size (MiB) up is held to; its refresh rebuilds Silver within a "
                  "quarter of it (refresh --memory-mb; default 120)");
  cmd->add_flag("--kafka", opt.kafka,
                "scale-out mode on KAFKA_BOOTSTRAP_SERVERS: a publish role (cdc --sink kafka "
                "--schemas, slot cdc.slot + \"_publish\") and ingest, notify and distances "
                "reading the topics, each in its own consumer group (kafka.group + \"_<role>\")");
  cmd->add_flag("--no-publish", opt.no_publish,
                "with --kafka: without the publish role (the topics come from another publisher "
                "or a Debezium connector)");
  cmd->add_flag("--no-notify", opt.no_notify, "without the Slack notifier");
  cmd->add_flag("--no-distances", opt.no_distances, "without the distance worker");
  cmd->add_flag("--no-serve", opt.no_serve, "without the dashboard");
  cmd->add_flag("--no-maintain", opt.no_maintain,
                "without the table maintenance service (maintenance.enabled=false does the same)");
  cmd->add_option("--maintain-interval", opt.maintain_interval,
                  "seconds between two maintenance passes (default: maintenance.interval, 15)");
  cmd->add_flag("--no-auth", opt.no_auth,
                "the dashboard without tokens (a loopback address only; everyone reads every row)");
  cmd->callback([&ctx] {
    if (auto st = run_up(ctx, opt); !st) {
      fmt::print(stderr, "sportlake up: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
