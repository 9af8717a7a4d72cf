// OfflineDistance: the distance estimate without any network: both addresses located on their
// commune's point (Gazetteer), the great-circle distance between them × a detour factor (1.3 by
// default: road distance is about 1.3× the straight line, reference/external-apis.md §6.4).
// Every answer is flagged `estimate`, and its detail says how the home was located (exact,
// postcode_mismatch, no_postcode, postcode_only) so data-quality checks can report it. The
// travel mode does not change the estimate.
#pragma once

#include <optional>
#include <utility>

#include "integrations/distance_provider.hpp"
#include "integrations/gazetteer.hpp"

namespace sl::integrations {

class OfflineDistance final : public DistanceProvider {
 public:
  // `destination_point`: the workplace's coordinates when known (configuration); otherwise the
  // destination address is located like the homes.
  OfflineDistance(const Gazetteer& gazetteer, double detour_factor = 1.3,
                  std::optional<std::pair<double, double>> destination_point = std::nullopt)
      : gazetteer_(gazetteer), detour_factor_(detour_factor), destination_(destination_point) {}

  std::string_view name() const override { return "offline"; }
  Result<std::vector<DistanceAnswer>> distances(const std::vector<DistanceQuery>& queries,
                                                std::string_view destination) override;

 private:
  const Gazetteer& gazetteer_;
  double detour_factor_;
  std::optional<std::pair<double, double>> destination_;
};

}  // namespace sl::integrations
