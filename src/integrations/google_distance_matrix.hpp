// GoogleDistanceMatrix: home → work distances from the Google Distance Matrix API (Legacy),
// reference/external-apis.md §2.
//
// Request (one per travel mode and per ≤ 25 origins; the key travels in the query string):
//   GET {base}?origins=A%7CB%7C…&destinations=D&mode=walking&units=metric&language=fr&region=fr
//       &key=KEY
// Every address is percent-encoded (RFC 3986 unreserved characters kept), '|' joins the origins.
//
// Response grammar (HTTP 200 even for API-level errors):
//   reply   := {"status": TOP, "error_message"?: text, "rows": [row...], ...}
//   row     := {"elements": [element]}                 rows[i] answers origins[i]
//   element := {"status": ELEM, "distance"?: {"value": metres}, "duration"?: {"value": seconds}}
//   TOP     := OK | INVALID_REQUEST | MAX_ELEMENTS_EXCEEDED | MAX_DIMENSIONS_EXCEEDED
//            | OVER_DAILY_LIMIT | OVER_QUERY_LIMIT | REQUEST_DENIED | UNKNOWN_ERROR
//   ELEM    := OK | NOT_FOUND | ZERO_RESULTS | MAX_ROUTE_LENGTH_EXCEEDED
//
// What an answer means:
// - retried with exponential backoff (base × 1, 2, 4…, at most `max_retries` times), then
//   Errc::unavailable: OVER_QUERY_LIMIT, UNKNOWN_ERROR, HTTP 429, HTTP 5xx, transport failures
//   (a GET has no side effect);
// - Errc::invalid_argument at once: REQUEST_DENIED, OVER_DAILY_LIMIT, INVALID_REQUEST, MAX_*,
//   any other top-level status, other HTTP 4xx;
// - Errc::parse: a 2xx body that is not the JSON above; Errc::corrupt: a row count that differs
//   from the origin count, or a row without an element;
// - per element: OK → ok (metres, seconds), NOT_FOUND → not_found, ZERO_RESULTS and
//   MAX_ROUTE_LENGTH_EXCEEDED → no_route, anything else → error; `detail` holds the status.
// Error messages name the provider, the status and Google's error_message, never the key.
// Not thread-safe (one HttpClient).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "integrations/distance_provider.hpp"
#include "integrations/http_client.hpp"

namespace sl::integrations {

struct GoogleDistanceMatrixOptions {
  int max_retries = 4;                           // after the first attempt
  std::chrono::milliseconds backoff_base{1000};  // wait before retry n: base × 2^(n-1)
  std::chrono::milliseconds timeout{10000};      // per HTTP request
  std::chrono::milliseconds connect_timeout{5000};
};

class GoogleDistanceMatrix final : public DistanceProvider {
 public:
  static constexpr std::string_view k_default_url =
      "https://maps.googleapis.com/maps/api/distancematrix/json";
  static constexpr size_t k_max_origins = 25;  // MAX_DIMENSIONS_EXCEEDED above that

  explicit GoogleDistanceMatrix(std::string api_key,
                                std::string base_url = std::string(k_default_url),
                                GoogleDistanceMatrixOptions options = {});

  std::string_view name() const override { return "google_distance_matrix"; }

  // Queries whose travel_mode is not walking, bicycling or driving make the whole call an
  // Errc::invalid_argument before anything is sent. Blank origins are answered not_found
  // without being sent (one of them would turn the whole request into INVALID_REQUEST).
  Result<std::vector<DistanceAnswer>> distances(const std::vector<DistanceQuery>& queries,
                                                std::string_view destination) override;

 private:
  // One request (≤ 25 origins, one mode) with its retries: one answer per origin, in order.
  Result<std::vector<DistanceAnswer>> fetch_batch(const std::vector<std::string_view>& origins,
                                                  std::string_view travel_mode,
                                                  std::string_view destination);

  std::string api_key_;
  std::string base_url_;
  GoogleDistanceMatrixOptions options_;
  HttpClient http_;
};

// RFC 3986 percent-encoding for a query value: A–Z a–z 0–9 - . _ ~ kept, every other byte %XX
// (upper-case hex; a space is %20, UTF-8 bytes one by one).
std::string percent_encode(std::string_view text);

// The request URL for one batch (exposed for tests).
std::string distance_matrix_url(std::string_view base_url, std::string_view api_key,
                                const std::vector<std::string_view>& origins,
                                std::string_view destination, std::string_view travel_mode);

// One Distance Matrix reply read (pure: no IO). `answers` is filled only when status is "OK".
struct DistanceMatrixReply {
  std::string status;         // the top-level status
  std::string error_message;  // Google's explanation, "" when absent
  std::vector<DistanceAnswer> answers;
};
Result<DistanceMatrixReply> parse_distance_matrix_reply(std::string_view body, size_t origin_count);

}  // namespace sl::integrations
