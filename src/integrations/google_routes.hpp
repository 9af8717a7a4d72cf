// GoogleRoutes: home → work distances from the Routes API computeRouteMatrix (the Distance
// Matrix replacement), reference/external-apis.md §3.
//
// Request (one per travel mode and per ≤ 49 origins: 50 address waypoints with the destination):
//   POST {base}
//   Content-Type: application/json
//   X-Goog-Api-Key: KEY
//   X-Goog-FieldMask: originIndex,destinationIndex,status,condition,distanceMeters,duration
//   {"origins":[{"waypoint":{"address":"A"}},…],"destinations":[{"waypoint":{"address":"D"}}],
//    "travelMode":"WALK"|"BICYCLE"|"DRIVE","languageCode":"fr-FR","regionCode":"FR",
//    "units":"METRIC"}
// No routingPreference: it is refused for WALK and BICYCLE, and DRIVE's default is fine.
//
// Response grammar (HTTP 200; proto3 JSON, so default values may be omitted):
//   reply   := [element...]                       any order: indexed by originIndex
//   element := {"originIndex"?: int (0), "destinationIndex"?: int (0),
//               "status"?: {"code"?: int (0), "message"?: text},   missing or code 0 = OK
//               "condition"?: ROUTE_EXISTS | ROUTE_NOT_FOUND
//                           | ROUTE_MATRIX_ELEMENT_CONDITION_UNSPECIFIED,
//               "distanceMeters"?: int (0), "duration"?: "<seconds>s" ("0s")}
//   error   := {"error":{"code": int, "message": text, "status": text}}   with HTTP 4xx/5xx
//
// What an answer means:
// - retried with exponential backoff (base × 1, 2, 4…, at most `max_retries` times), then
//   Errc::unavailable: HTTP 429, HTTP 5xx, transport failures (computeRouteMatrix only reads,
//   so sending it again after a timeout is harmless);
// - Errc::invalid_argument at once: other HTTP 4xx (bad request, invalid key, API not enabled),
//   with Google's error status and message;
// - Errc::parse: a 2xx body that is not the array above; Errc::corrupt: an element outside the
//   request, twice for one origin, or no element for an origin;
// - per element: status code ≠ 0 → not_found when the code is 5 (NOT_FOUND) or the message
//   mentions geocoding, else error; condition ROUTE_EXISTS → ok (metres, seconds),
//   ROUTE_NOT_FOUND → no_route, anything else → error. `detail` holds the condition or status.
// Error messages name the provider, never the key. Not thread-safe (one HttpClient).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integrations/distance_provider.hpp"
#include "integrations/http_client.hpp"

namespace sl::integrations {

struct GoogleRoutesOptions {
  int max_retries = 4;                           // after the first attempt
  std::chrono::milliseconds backoff_base{1000};  // wait before retry n: base × 2^(n-1)
  std::chrono::milliseconds timeout{10000};      // per HTTP request
  std::chrono::milliseconds connect_timeout{5000};
};

class GoogleRoutes final : public DistanceProvider {
 public:
  static constexpr std::string_view k_default_url =
      "https://routes.googleapis.com/distanceMatrix/v2:computeRouteMatrix";
  static constexpr size_t k_max_origins = 49;  // ≤ 50 address waypoints, destination included
  static constexpr std::string_view k_field_mask =
      "originIndex,destinationIndex,status,condition,distanceMeters,duration";

  explicit GoogleRoutes(std::string api_key, std::string base_url = std::string(k_default_url),
                        GoogleRoutesOptions options = {});

  std::string_view name() const override { return "google_routes"; }

  // Queries whose travel_mode is not walking, bicycling or driving make the whole call an
  // Errc::invalid_argument before anything is sent. Blank origins are answered not_found
  // without being sent (one of them would fail the whole request).
  Result<std::vector<DistanceAnswer>> distances(const std::vector<DistanceQuery>& queries,
                                                std::string_view destination) override;

 private:
  // One request (≤ 49 origins, one mode) with its retries: one answer per origin, in order.
  Result<std::vector<DistanceAnswer>> fetch_batch(const std::vector<std::string_view>& origins,
                                                  std::string_view travel_mode,
                                                  std::string_view destination);

  std::string api_key_;
  std::string base_url_;
  GoogleRoutesOptions options_;
  HttpClient http_;
};

// "walking" → "WALK", "bicycling" → "BICYCLE", "driving" → "DRIVE"; "" for anything else.
std::string_view routes_travel_mode(std::string_view distance_matrix_mode);

// The request body for one batch (exposed for tests). `travel_mode` is a Routes name ("WALK").
std::string route_matrix_body(const std::vector<std::string_view>& origins,
                              std::string_view destination, std::string_view travel_mode);

// A proto3 JSON duration ("1305s", "12.5s") in whole seconds (rounded); nullopt when malformed,
// negative or beyond the proto3 Duration range (315,576,000,000 s).
std::optional<int64_t> parse_proto_duration(std::string_view text);

// One computeRouteMatrix reply read (pure: no IO): one answer per origin, in origin order.
Result<std::vector<DistanceAnswer>> parse_route_matrix(std::string_view body, size_t origin_count);

}  // namespace sl::integrations
