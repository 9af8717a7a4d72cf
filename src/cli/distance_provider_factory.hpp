// Building the distance provider the settings ask for (Google Distance Matrix, Google Routes or the
// offline estimate) and the communes file (gazetteer) the offline estimate and the refresh read.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/settings.hpp"
#include "common/result.hpp"
#include "integrations/distance_provider.hpp"
#include "integrations/gazetteer.hpp"

namespace sl::cli {

// The communes file of maps.gazetteer.
Result<integrations::Gazetteer> load_gazetteer(const MapsSettings& maps);

// The distance provider of `choice` ("" = maps.provider): auto = Google Distance Matrix with a
// key (API_KEY_MAPS), else the offline estimate over `gazetteer` (loaded here; it must outlive
// the provider).
Result<std::unique_ptr<integrations::DistanceProvider>> make_distance_provider(
    const MapsSettings& maps, const std::string& choice,
    std::optional<integrations::Gazetteer>& gazetteer);

}  // namespace sl::cli
