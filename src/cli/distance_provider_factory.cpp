// Shared configuration readers.
#include "cli/maps_config.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "integrations/google_distance_matrix.hpp"
#include "integrations/google_routes.hpp"
#include "integrations/offline_distance.hpp"

namespace sl::cli {

std::string workplace(const Context& ctx) {
  return ctx.config.get_string("maps.destination", "1362 Av. des Platanes, 34970 Lattes");
}

Result<integrations::Gazetteer> load_gazetteer(const Context& ctx) {
  std::string path = ctx.config.get_string("maps.gazetteer", "");
  if (path.empty())
    path = (std::filesystem::path(SPORTLAKE_SOURCE_DIR) / "data/geo/france_cities.csv").string();
  return integrations::Gazetteer::load(path);
}

Result<rewards::RewardRules> reward_rules(const Context& ctx) {
  rewards::RewardRules r;
  SL_ASSIGN_OR_RETURN(r.bonus_rate, ctx.config.get_double("rules.bonus_rate", r.bonus_rate));
  SL_ASSIGN_OR_RETURN(r.walk_max_km, ctx.config.get_double("rules.walk_max_km", r.walk_max_km));
  SL_ASSIGN_OR_RETURN(r.bike_max_km, ctx.config.get_double("rules.bike_max_km", r.bike_max_km));
  SL_ASSIGN_OR_RETURN(auto minimum, ctx.config.get_int("rules.wellbeing_min_activities",
                                                       r.wellbeing_min_activities));
  SL_ASSIGN_OR_RETURN(auto days, ctx.config.get_int("rules.wellbeing_days", r.wellbeing_days));
  r.wellbeing_min_activities = static_cast<int>(minimum);
  r.wellbeing_days = static_cast<int>(days);
  if (r.bonus_rate < 0 || r.bonus_rate > 1 || r.walk_max_km <= 0 || r.bike_max_km <= 0 ||
      r.wellbeing_min_activities < 0 || r.wellbeing_days < 0)
    return make_error(Errc::invalid_argument,
                      "rules: the bonus rate must be within [0, 1], thresholds positive, the "
                      "well-being minimum and days not negative");
  return r;
}

Result<int> reference_year(const Context& ctx) {
  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  SL_ASSIGN_OR_RETURN(auto year, ctx.config.get_int("rules.year", static_cast<int>(today.year())));
  if (year < 1900 || year > 9999)
    return make_error(Errc::invalid_argument,
                      "rules.year " + std::to_string(year) + " is not a year");
  return static_cast<int>(year);
}

// The provider the configuration asks for: auto = Google Distance Matrix with a key, else the
// offline estimate. `gazetteer` must outlive the offline provider. (Also used by `up`.)
Result<std::unique_ptr<integrations::DistanceProvider>> make_distance_provider(
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

}  // namespace sl::cli
