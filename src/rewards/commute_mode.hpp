// The four commute modes of the HR file ("Moyen de déplacement") and what each implies: whether
// it can earn the sport bonus, its distance threshold, and the travel mode its distance is
// measured with (walking or bicycling, as Google's APIs name them).
#pragma once

#include <optional>
#include <string_view>

#include "rewards/rules.hpp"

namespace sl::rewards {

enum class CommuteMode {
  walk_run,          // "Marche/running"
  bike_scooter,      // "Vélo/Trottinette/Autres"
  car,               // "véhicule thermique/électrique"
  public_transport,  // "Transports en commun"
};

// The mode of the HR file's label (exact spelling, as the loader stores it); nullopt otherwise.
std::optional<CommuteMode> parse_commute_mode(std::string_view label);
std::string_view commute_mode_label(CommuteMode mode);

bool is_sporty(CommuteMode mode);
// The maximum home → work distance of a sporty mode under `rules`; nullopt for the others.
std::optional<double> threshold_km(CommuteMode mode, const RewardRules& rules);
// "walking" or "bicycling" for a sporty mode (how its distance is measured); "" otherwise.
std::string_view travel_mode(CommuteMode mode);

}  // namespace sl::rewards
