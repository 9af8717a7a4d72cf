// DistanceProvider: home → work distances for a batch of addresses, by travel mode. Three
// implementations: Google Distance Matrix (legacy), Google Routes computeRouteMatrix, and the
// offline gazetteer estimate (great-circle × detour factor, flagged as an estimate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace sl::integrations {

struct DistanceQuery {
  std::string origin;       // the home address as written
  std::string travel_mode;  // "walking", "bicycling" or "driving" (Distance Matrix names)
};

struct DistanceAnswer {
  // ok: distance known; not_found: the address could not be located; no_route: located, no
  // route in that mode; error: this element failed (the others may be fine).
  enum class Status { ok, not_found, no_route, error };
  Status status = Status::error;
  std::optional<double> distance_m;
  std::optional<int64_t> duration_s;
  bool estimate = false;  // an offline estimate, not a routed distance
  std::string detail;     // the provider's element status or why it is not ok
};

std::string_view status_name(DistanceAnswer::Status status);  // "ok", "not_found"...

class DistanceProvider {
 public:
  virtual ~DistanceProvider() = default;
  // "google_distance_matrix", "google_routes" or "offline": the cache's `provider` column.
  virtual std::string_view name() const = 0;
  // One answer per query, in the queries' order. A failure of the whole request that retries
  // did not fix (invalid key, billing off, quota, 4xx) is an error naming the provider: nothing
  // is answered, so nothing wrong is cached.
  virtual Result<std::vector<DistanceAnswer>> distances(const std::vector<DistanceQuery>& queries,
                                                        std::string_view destination) = 0;
};

}  // namespace sl::integrations
