// Commute modes: labels, thresholds, travel modes.
#include "rewards/commute_mode.hpp"

namespace sl::rewards {

namespace {

struct ModeInfo {
  CommuteMode mode;
  std::string_view label;
};
constexpr ModeInfo k_modes[] = {
    {CommuteMode::walk_run, "Marche/running"},
    {CommuteMode::bike_scooter, "Vélo/Trottinette/Autres"},
    {CommuteMode::car, "véhicule thermique/électrique"},
    {CommuteMode::public_transport, "Transports en commun"},
};

}  // namespace

std::optional<CommuteMode> parse_commute_mode(std::string_view label) {
  for (const auto& m : k_modes)
    if (m.label == label) return m.mode;
  return std::nullopt;
}

std::string_view commute_mode_label(CommuteMode mode) {
  for (const auto& m : k_modes)
    if (m.mode == mode) return m.label;
  return {};
}

bool is_sporty(CommuteMode mode) {
  return mode == CommuteMode::walk_run || mode == CommuteMode::bike_scooter;
}

std::optional<double> threshold_km(CommuteMode mode, const RewardRules& rules) {
  switch (mode) {
    case CommuteMode::walk_run:
      return rules.walk_max_km;
    case CommuteMode::bike_scooter:
      return rules.bike_max_km;
    default:
      return std::nullopt;
  }
}

std::string_view travel_mode(CommuteMode mode) {
  switch (mode) {
    case CommuteMode::walk_run:
      return "walking";
    case CommuteMode::bike_scooter:
      return "bicycling";
    default:
      return "";
  }
}

}  // namespace sl::rewards
