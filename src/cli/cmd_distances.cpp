// `sportlake distances`: the home → work distances of the sporty commuters into distance_cache
// (lakehouse/distance_job.hpp), from Google (with API_KEY_MAPS) or the offline estimate.
#include <fmt/core.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/distance_provider_factory.hpp"
#include "cli/job_options.hpp"
#include "cli/slot_jobs.hpp"
#include "cli/source_database.hpp"
#include "cli/stop_signal.hpp"
#include "lakehouse/distance_job.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

struct DistancesOptions : DistanceFollowFlags {
  std::string provider;  // "" = maps.provider
  bool refresh = false;
  bool follow = false;
  bool json = false;
};

// Exit 4 when some addresses failed (the others were stored): like `load`'s rejected rows.
Status run_distances(Context& ctx, const DistancesOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
  std::optional<integrations::Gazetteer> gazetteer;
  SL_ASSIGN_OR_RETURN(auto provider,
                      make_distance_provider(ctx.settings.maps, opt.provider, gazetteer));
  lakehouse::DistanceRefresh done;
  if (opt.follow) {
    SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
    const auto job = distance_follow_job(ctx.settings, conninfo, opt);
    stop_on_signals();
    SL_ASSIGN_OR_RETURN(done, run_distance_follow_job(sql, job, *provider));
  } else {
    SL_ASSIGN_OR_RETURN(done, lakehouse::refresh_distances(
                                  sql, *provider, ctx.settings.maps.destination, opt.refresh));
  }
  std::string failed_ids;
  for (int64_t id : done.failed_employees)
    failed_ids += (failed_ids.empty() ? "" : ",") + std::to_string(id);
  if (opt.json)
    fmt::print(
        "{{\"provider\":\"{}\",\"asked\":{},\"ok\":{},\"not_found\":{},\"errors\":{},"
        "\"failed\":{},\"failed_employees\":[{}]}}\n",
        provider->name(), done.asked, done.ok, done.not_found, done.errors, done.failed,
        failed_ids);
  else
    fmt::print(
        "distances ({}): {} addresses asked: {} ok, {} not located or routed, {} errors, {} "
        "failed\n",
        provider->name(), done.asked, done.ok, done.not_found, done.errors, done.failed);
  if (done.failed > 0) {
    fmt::print(stderr,
               "sportlake distances: no distance for employee(s) {} (see job_failures, "
               "`sportlake status`); the others were stored\n",
               failed_ids);
    ctx.exit_code = 4;
  }
  return {};
}

}  // namespace

void add_distances_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "distances",
      "home → work distances of the sporty commuters (walking / bicycling by declared mode) into "
      "distance_cache: Google with API_KEY_MAPS, else the offline estimate");
  static DistancesOptions opt;
  cmd->add_option("--provider", opt.provider,
                  "auto (default: maps.provider), google-matrix, google-routes or offline");
  cmd->add_flag("--refresh", opt.refresh, "ask again for addresses already cached");
  cmd->add_flag("--follow", opt.follow,
                "then keep following employee changes (own slot) and compute what they need");
  cmd->add_option("--slot", opt.slot,
                  "replication slot of --follow (default: cdc.slot + \"_distances\")");
  cmd->add_option("--source", opt.source,
                  "with --follow: slot (its own replication slot) or kafka (the rh_employees topic "
                  "<kafka.topic_prefix>.<schema>.rh_employees on KAFKA_BOOTSTRAP_SERVERS, in a "
                  "consumer group; offsets committed once the refresh they trigger is stored)")
      ->check(CLI::IsMember({"slot", "kafka"}));
  cmd->add_option("--group", opt.group,
                  "--source kafka: the consumer group (default: kafka.group + \"_distances\")");
  cmd->add_option("--idle-exit", opt.idle_exit, "with --follow: stop after SECONDS idle");
  cmd->add_flag("--json", opt.json, "print the figures as JSON");
  cmd->callback([&ctx] {
    if (auto st = run_distances(ctx, opt); !st) {
      fmt::print(stderr, "sportlake distances: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
