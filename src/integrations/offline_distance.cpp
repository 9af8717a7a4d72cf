// Offline distance estimates.
#include "integrations/offline_distance.hpp"

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
  if (destination_) {
    to = *destination_;
  } else {
    auto located = gazetteer_.locate(destination);
    if (!located)
      return make_error(Errc::invalid_argument, "offline distances: the destination '" +
                                                    std::string(destination) +
                                                    "' is not a known French commune");
    to = {located->commune->latitude, located->commune->longitude};
  }
  std::vector<DistanceAnswer> answers;
  answers.reserve(queries.size());
  for (const auto& q : queries) {
    DistanceAnswer a;
    a.estimate = true;
    auto home = gazetteer_.locate(q.origin);
    if (!home) {
      a.status = DistanceAnswer::Status::not_found;
      a.detail = "no commune found in the address";
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
