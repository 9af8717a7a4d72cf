// Google Distance Matrix (Legacy): batching by mode, the request URL, the reply and its retries.
#include "integrations/google_distance_matrix.hpp"

#include "integrations/google_common.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>

namespace sl::integrations {

namespace {

using nlohmann::json;

constexpr std::string_view k_provider = "google_distance_matrix";

// Top-level statuses.
constexpr std::string_view k_ok = "OK";
constexpr std::string_view k_over_query_limit = "OVER_QUERY_LIMIT";
constexpr std::string_view k_unknown_error = "UNKNOWN_ERROR";
// Element statuses.
constexpr std::string_view k_not_found = "NOT_FOUND";
constexpr std::string_view k_zero_results = "ZERO_RESULTS";
constexpr std::string_view k_max_route_length = "MAX_ROUTE_LENGTH_EXCEEDED";
// Field names.
constexpr std::string_view k_status = "status";
constexpr std::string_view k_error_message = "error_message";
constexpr std::string_view k_rows = "rows";
constexpr std::string_view k_elements = "elements";
constexpr std::string_view k_distance = "distance";
constexpr std::string_view k_duration = "duration";
constexpr std::string_view k_value = "value";

bool supported_mode(std::string_view mode) {
  return mode == "walking" || mode == "bicycling" || mode == "driving";
}

// {"value": n} → n, when n is a finite number >= 0 (metres and seconds).
std::optional<double> value_of(const json& element, std::string_view name) {
  const json* field = json_member(element, name);
  const json* value = field ? json_member(*field, k_value) : nullptr;
  if (!value || !value->is_number()) return std::nullopt;
  const double number = value->get<double>();
  if (!std::isfinite(number) || number < 0) return std::nullopt;
  return number;
}

/* One element of a row:
  {"status":"OK","distance":{"text":"1,7 km","value":1712},
   "duration":{"text":"22 minutes","value":1305}}
*/
DistanceAnswer read_element(const json& element) {
  DistanceAnswer answer;
  answer.detail = json_string_member(element, k_status);
  if (answer.detail == k_ok) {
    const auto distance = value_of(element, k_distance);
    const auto duration = value_of(element, k_duration);
    if (!distance || !duration) {
      answer.status = DistanceAnswer::Status::error;
      answer.detail = "OK without a distance.value or duration.value >= 0";
      return answer;
    }
    answer.status = DistanceAnswer::Status::ok;
    answer.distance_m = *distance;
    // Beyond a century a duration is nonsense, and llround of a value past 2^63 is unspecified.
    constexpr double k_max_duration_s = 3'155'760'000;
    if (*duration <= k_max_duration_s) answer.duration_s = std::llround(*duration);
  } else if (answer.detail == k_not_found) {
    answer.status = DistanceAnswer::Status::not_found;
  } else if (answer.detail == k_zero_results || answer.detail == k_max_route_length) {
    answer.status = DistanceAnswer::Status::no_route;
  } else {
    answer.status = DistanceAnswer::Status::error;
    if (answer.detail.empty()) answer.detail = "element without status";
  }
  return answer;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0x0F];
    }
  }
  return out;
}

std::string distance_matrix_url(std::string_view base_url, std::string_view api_key,
                                const std::vector<std::string_view>& origins,
                                std::string_view destination, std::string_view travel_mode) {
  std::string joined;
  for (size_t i = 0; i < origins.size(); ++i) {
    if (i) joined += '|';
    // '|' separates origins, so one inside an address would split it in two rows.
    for (char c : origins[i]) joined += c == '|' ? ' ' : c;
  }
  std::string url(base_url);
  url += base_url.find('?') == std::string_view::npos ? '?' : '&';
  url += "origins=" + percent_encode(joined);
  url += "&destinations=" + percent_encode(destination);
  url += "&mode=" + percent_encode(travel_mode);
  url += "&units=metric&language=fr&region=fr";
  url += "&key=" + percent_encode(api_key);
  return url;
}

/* A reply for two origins (values illustrative, reference/external-apis.md §2):
  {"origin_addresses":["53 Av. de la Gare, 34970 Lattes, France",""],
   "destination_addresses":["1362 Av. des Platanes, 34970 Lattes, France"],
   "rows":[{"elements":[{"status":"OK","distance":{"text":"1,7 km","value":1712},
                         "duration":{"text":"22 minutes","value":1305}}]},
           {"elements":[{"status":"NOT_FOUND"}]}],
   "status":"OK"}
  and a refusal: {"destination_addresses":[],"error_message":"The provided API key is invalid.",
                  "origin_addresses":[],"rows":[],"status":"REQUEST_DENIED"}
*/
Result<DistanceMatrixReply> parse_distance_matrix_reply(std::string_view body,
                                                        size_t origin_count) {
  const json reply = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object()) {
    return make_error(Errc::parse, std::string(k_provider) + ": the reply is not a JSON object");
  }
  DistanceMatrixReply out;
  out.status = json_string_member(reply, k_status);
  out.error_message = json_string_member(reply, k_error_message);
  if (out.status.empty()) {
    return make_error(Errc::parse, std::string(k_provider) + ": the reply has no status");
  }
  if (out.status != k_ok) return out;
  const json* rows = json_member(reply, k_rows);
  if (!rows || !rows->is_array()) {
    return make_error(Errc::parse, std::string(k_provider) + ": status OK without rows");
  }
  if (rows->size() != origin_count) {
    return make_error(Errc::corrupt, std::string(k_provider) + ": " + std::to_string(rows->size()) +
                                         " rows for " + std::to_string(origin_count) + " origins");
  }
  out.answers.reserve(origin_count);
  for (size_t i = 0; i < rows->size(); ++i) {
    const json* elements = json_member((*rows)[i], k_elements);
    if (!elements || !elements->is_array() || elements->empty()) {
      return make_error(Errc::corrupt,
                        std::string(k_provider) + ": row " + std::to_string(i) + " has no element");
    }
    out.answers.push_back(read_element((*elements)[0]));
  }
  return out;
}

GoogleDistanceMatrix::GoogleDistanceMatrix(std::string api_key, std::string base_url,
                                           GoogleDistanceMatrixOptions options)
    : api_key_(std::move(api_key)), base_url_(std::move(base_url)), options_(options) {}

Result<std::vector<DistanceAnswer>> GoogleDistanceMatrix::distances(
    const std::vector<DistanceQuery>& queries, std::string_view destination) {
  if (blank(destination)) {
    return make_error(Errc::invalid_argument, std::string(k_provider) + ": empty destination");
  }
  return answer_in_batches(
      queries, k_provider, k_max_origins,
      [](std::string_view mode) { return supported_mode(mode) ? mode : std::string_view(); },
      [&](const std::vector<std::string_view>& origins, std::string_view mode) {
        return fetch_batch(origins, mode, destination);
      });
}

Result<std::vector<DistanceAnswer>> GoogleDistanceMatrix::fetch_batch(
    const std::vector<std::string_view>& origins, std::string_view travel_mode,
    std::string_view destination) {
  HttpRequest request;
  request.method = "GET";
  request.url = distance_matrix_url(base_url_, api_key_, origins, destination, travel_mode);
  request.timeout = options_.timeout;
  request.connect_timeout = options_.connect_timeout;
  request.service = "google";
  const std::string context =
      " (" + std::string(travel_mode) + ", " + std::to_string(origins.size()) + " origins)";
  auto fail = [&](Errc code, const std::string& what) {
    return make_error(code,
                      without_secret(std::string(k_provider) + ": " + what + context, api_key_));
  };
  std::string last_failure;
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(retry_delay(options_.backoff_base, attempt));
    auto answer = http_.send(request);
    if (auto* failure = std::get_if<HttpFailure>(&answer)) {
      last_failure = failure->message;  // host only: the key is in the query string
      continue;
    }
    const auto& response = std::get<HttpResponse>(answer);
    if (response.status == 429 || response.status >= 500) {
      last_failure = "HTTP " + std::to_string(response.status);
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      // Google's HTML or JSON error page: a short excerpt says which.
      return fail(Errc::invalid_argument,
                  "HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 200));
    }
    auto reply = parse_distance_matrix_reply(response.body, origins.size());
    if (!reply.ok())
      return Error{reply.error().code, without_secret(reply.error().message + context, api_key_)};
    const std::string detail =
        reply->status + (reply->error_message.empty() ? "" : ": " + reply->error_message);
    if (reply->status == k_ok) return std::move(reply->answers);
    if (reply->status == k_over_query_limit || reply->status == k_unknown_error) {
      last_failure = detail;
      continue;
    }
    // REQUEST_DENIED, OVER_DAILY_LIMIT (key, billing, cap), INVALID_REQUEST, MAX_*: the same
    // request cannot succeed later.
    return fail(Errc::invalid_argument, detail);
  }
  return fail(Errc::unavailable, "gave up after " + std::to_string(options_.max_retries + 1) +
                                     " attempts: " + last_failure);
}

}  // namespace sl::integrations
