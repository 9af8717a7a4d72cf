// Offline distance estimates.
#include "integrations/offline_distance.hpp"

#include <fmt/format.h>

#include <numbers>

namespace sl::integrations {

std::string_view status_name(DistanceAnswer::Status status) {
  switch (status) {
    case DistanceAnswer::Status::ok:
      return "ok";
    case DistanceAnswer::Status::not_found:
      return "not_found";
    case DistanceAnswer::Status::no_route:
      return "no_route";
    case DistanceAnswer::Status::error:
      return "error";
  }
  return "";
}

Result<std::vector<DistanceAnswer>> OfflineDistance::distances(
    const std::vector<DistanceQuery>& queries, std::string_view destination) {
  std::pair<double, double> to;
  auto workplace = gazetteer_.locate(destination);
  if (destination_) {
    to = *destination_;
  } else {
    if (!workplace)
      return make_error(Errc::invalid_argument, "offline distances: the destination '" +
                                                    std::string(destination) +
                                                    "' is not a known French commune");
    to = {workplace->commune->latitude, workplace->commune->longitude};
  }
  // A home in the workplace's commune is somewhere in it, not on its point: the mean distance
  // between two points of a disc of the commune's size, 128/(45π)·R ≈ 0.905·R, computed once.
  std::optional<double> within_km;
  auto within_commune_km = [&] {
    if (!within_km)
      within_km =
          128.0 / (45.0 * std::numbers::pi) * gazetteer_.disc_radius_km(*workplace->commune);
    return *within_km;
  };
  std::vector<DistanceAnswer> answers;
  answers.reserve(queries.size());
  for (const auto& q : queries) {
    DistanceAnswer a;
    a.estimate = true;
    auto home = gazetteer_.locate(q.origin);
    if (!home) {
      a.status = DistanceAnswer::Status::not_found;
      a.detail = "no commune found in the address";
    } else if (workplace && home->commune->insee == workplace->commune->insee) {
      a.status = DistanceAnswer::Status::ok;
      a.distance_m = within_commune_km() * detour_factor_ * 1000.0;
      a.detail = fmt::format(
          "{}: {} ({}): within the workplace's commune, mean distance inside a disc of the "
          "commune's size (radius {:.1f} km), not a route",
          match_name(home->match), home->commune->name, home->commune->insee,
          gazetteer_.disc_radius_km(*home->commune));
    } else {
      a.status = DistanceAnswer::Status::ok;
      a.distance_m =
          great_circle_km(home->commune->latitude, home->commune->longitude, to.first, to.second) *
          detour_factor_ * 1000.0;
      a.detail = std::string(match_name(home->match)) + ": " + home->commune->name + " (" +
                 home->commune->insee + ")";
    }
    answers.push_back(std::move(a));
  }
  return answers;
}

}  // namespace sl::integrations
