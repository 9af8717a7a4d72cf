// The distance providers, built from the maps settings.
#include "cli/distance_provider_factory.hpp"

#include "integrations/google_distance_matrix.hpp"
#include "integrations/google_routes.hpp"
#include "integrations/offline_distance.hpp"

namespace sl::cli {

Result<integrations::Gazetteer> load_gazetteer(const MapsSettings& maps) {
  return integrations::Gazetteer::load(maps.gazetteer);
}

Result<std::unique_ptr<integrations::DistanceProvider>> make_distance_provider(
    const MapsSettings& maps, const std::string& choice,
    std::optional<integrations::Gazetteer>& gazetteer) {
  const std::string& key = maps.api_key;
  std::string kind = choice.empty() ? maps.provider : choice;
  if (kind == "auto") kind = key.empty() ? "offline" : "google-matrix";
  if ((kind == "google-matrix" || kind == "google-routes") && key.empty())
    return make_error(Errc::invalid_argument,
                      "the " + kind + " provider needs a Google key (API_KEY_MAPS)");
  if (kind == "google-matrix")
    return std::unique_ptr<integrations::DistanceProvider>(
        std::make_unique<integrations::GoogleDistanceMatrix>(
            key, maps.base_url + "/maps/api/distancematrix/json"));
  if (kind == "google-routes")
    return std::unique_ptr<integrations::DistanceProvider>(
        std::make_unique<integrations::GoogleRoutes>(
            key, maps.routes_base_url + "/distanceMatrix/v2:computeRouteMatrix"));
  if (kind != "offline")
    return make_error(
        Errc::invalid_argument,
        "unknown distance provider '" + kind + "' (auto, google-matrix, google-routes or offline)");
  SL_ASSIGN_OR_RETURN(auto loaded, load_gazetteer(maps));
  gazetteer.emplace(std::move(loaded));
  SL_ASSIGN_OR_RETURN(auto point, maps.destination_point);
  SL_ASSIGN_OR_RETURN(auto factor, maps.detour_factor);
  return std::unique_ptr<integrations::DistanceProvider>(
      std::make_unique<integrations::OfflineDistance>(*gazetteer, factor, point));
}

}  // namespace sl::cli
