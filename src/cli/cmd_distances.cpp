// `sportlake distances`: the home → work distances of the sporty commuters into distance_cache
// (lakehouse/distance_job.hpp), from Google (with API_KEY_MAPS) or the offline estimate.
#include <fmt/core.h>

#include <csignal>
#include <memory>

#include "cli/commands.hpp"
#include "cli/maps_config.hpp"
#include "cli/source_database.hpp"
#include "integrations/gazetteer.hpp"
#include "integrations/google_distance_matrix.hpp"
#include "integrations/google_routes.hpp"
#include "integrations/offline_distance.hpp"
#include "lakehouse/distance_job.hpp"
#include "pg/database.hpp"

namespace sl::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) {
  g_stop = 1;
}

struct DistancesOptions {
  std::string provider;  // "" = maps.provider
  bool refresh = false;
  bool follow = false;
  std::string slot;
  double idle_exit = 0;
  bool json = false;
};

// The provider the configuration asks for: auto = Google Distance Matrix with a key, else the
// offline estimate. `gazetteer` must outlive the offline provider.
Result<std::unique_ptr<integrations::DistanceProvider>> make_provider(
    const Context& ctx, const std::string& choice,
    std::optional<integrations::Gazetteer>& gazetteer) {
  const std::string key = ctx.config.get_string("maps.api_key", "");
  std::string kind = choice.empty() ? ctx.config.get_string("maps.provider", "auto") : choice;
  if (kind == "auto") kind = key.empty() ? "offline" : "google-matrix";
  if ((kind == "google-matrix" || kind == "google-routes") && key.empty())
    return make_error(Errc::invalid_argument,
                      "the " + kind + " provider needs a Google key (API_KEY_MAPS)");
  if (kind == "google-matrix")
    return std::unique_ptr<integrations::DistanceProvider>(
        std::make_unique<integrations::GoogleDistanceMatrix>(
            key, ctx.config.get_string("maps.base_url", "https://maps.googleapis.com") +
                     "/maps/api/distancematrix/json"));
  if (kind == "google-routes")
    return std::unique_ptr<integrations::DistanceProvider>(
        std::make_unique<integrations::GoogleRoutes>(
            key, ctx.config.get_string("maps.routes_base_url", "https://routes.googleapis.com") +
                     "/distanceMatrix/v2:computeRouteMatrix"));
  if (kind != "offline")
    return make_error(
        Errc::invalid_argument,
        "unknown distance provider '" + kind + "' (auto, google-matrix, google-routes or offline)");
  SL_ASSIGN_OR_RETURN(auto loaded, load_gazetteer(ctx));
  gazetteer.emplace(std::move(loaded));
  std::optional<std::pair<double, double>> point;
  const std::string configured = ctx.config.get_string("maps.destination_point", "");
  if (!configured.empty()) {
    double lat = 0, lng = 0;
    if (std::sscanf(configured.c_str(), "%lf,%lf", &lat, &lng) != 2)
      return make_error(Errc::invalid_argument,
                        "maps.destination_point '" + configured + "' is not \"lat,lng\"");
    point = std::pair{lat, lng};
  }
  double factor = 1.3;
  try {
    factor = std::stod(ctx.config.get_string("maps.detour_factor", "1.3"));
  } catch (...) {
    return make_error(Errc::invalid_argument, "maps.detour_factor is not a number");
  }
  return std::unique_ptr<integrations::DistanceProvider>(
      std::make_unique<integrations::OfflineDistance>(*gazetteer, factor, point));
}

Status run_distances(Context& ctx, const DistancesOptions& opt) {
  SL_ASSIGN_OR_RETURN(auto sql, open_source_database(ctx));
  std::optional<integrations::Gazetteer> gazetteer;
  SL_ASSIGN_OR_RETURN(auto provider, make_provider(ctx, opt.provider, gazetteer));
  const std::string destination = workplace(ctx);
  lakehouse::DistanceRefresh done;
  if (opt.follow) {
    SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config));
    lakehouse::DistanceWorkerOptions options;
    options.conninfo = conninfo;
    options.slot = opt.slot;
    options.publication = ctx.config.get_string("cdc.publication", "sportlake_pub");
    options.destination = destination;
    options.idle_exit = std::chrono::milliseconds(static_cast<int64_t>(opt.idle_exit * 1000));
    options.stop_requested = [] { return g_stop != 0; };
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    SL_ASSIGN_OR_RETURN(done, lakehouse::run_distance_worker(sql, *provider, options));
  } else {
    SL_ASSIGN_OR_RETURN(done,
                        lakehouse::refresh_distances(sql, *provider, destination, opt.refresh));
  }
  if (opt.json)
    fmt::print("{{\"provider\":\"{}\",\"asked\":{},\"ok\":{},\"not_found\":{},\"errors\":{}}}\n",
               provider->name(), done.asked, done.ok, done.not_found, done.errors);
  else
    fmt::print("distances ({}): {} addresses asked: {} ok, {} not located or routed, {} errors\n",
               provider->name(), done.asked, done.ok, done.not_found, done.errors);
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
  cmd->add_option("--idle-exit", opt.idle_exit, "with --follow: stop after SECONDS idle");
  cmd->add_flag("--json", opt.json, "print the figures as JSON");
  cmd->callback([&ctx] {
    DistancesOptions o = opt;
    if (o.slot.empty()) o.slot = ctx.config.get_string("cdc.slot", "sportlake") + "_distances";
    if (auto st = run_distances(ctx, o); !st) {
      fmt::print(stderr, "sportlake distances: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
