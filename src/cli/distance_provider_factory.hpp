// The configuration shared by the commands that locate addresses or read distances: the
// workplace, the communes file, the reward rules.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/context.hpp"
#include "common/result.hpp"
#include "integrations/distance_provider.hpp"
#include "integrations/gazetteer.hpp"
#include "rewards/rules.hpp"

namespace sl::cli {

// maps.destination (DESTINATION).
std::string workplace(const Context& ctx);
// The communes file of maps.gazetteer (default: data/geo/france_cities.csv of the install).
Result<integrations::Gazetteer> load_gazetteer(const Context& ctx);
// rules.* (bonus rate, thresholds, well-being minimum and days); errors name the key.
Result<rewards::RewardRules> reward_rules(const Context& ctx);
// The distance provider of `choice` ("" = maps.provider): auto = Google Distance Matrix with a
// key (API_KEY_MAPS), else the offline estimate over `gazetteer` (loaded here; it must outlive
// the provider).
Result<std::unique_ptr<integrations::DistanceProvider>> make_distance_provider(
    const Context& ctx, const std::string& choice,
    std::optional<integrations::Gazetteer>& gazetteer);
// rules.year, else the current year.
Result<int> reference_year(const Context& ctx);

}  // namespace sl::cli
