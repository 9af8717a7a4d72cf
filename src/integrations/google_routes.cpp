// Routes API computeRouteMatrix: batching by mode, the request body, the reply and its retries.
#include "integrations/google_routes.hpp"

#include "integrations/google_common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "common/json_writer.hpp"

namespace sl::integrations {

namespace {

using nlohmann::json;

constexpr std::string_view k_provider = "google_routes";

// Element fields and values.
constexpr std::string_view k_origin_index = "originIndex";
constexpr std::string_view k_destination_index = "destinationIndex";
constexpr std::string_view k_status = "status";
constexpr std::string_view k_code = "code";
constexpr std::string_view k_message = "message";
constexpr std::string_view k_condition = "condition";
constexpr std::string_view k_distance_meters = "distanceMeters";
constexpr std::string_view k_duration = "duration";
constexpr std::string_view k_route_exists = "ROUTE_EXISTS";
constexpr std::string_view k_route_not_found = "ROUTE_NOT_FOUND";
constexpr int64_t k_rpc_not_found = 5;  // google.rpc.Code NOT_FOUND
// google/protobuf/duration.proto: seconds within ±315,576,000,000 (10,000 years).
constexpr double k_max_duration_s = 315'576'000'000.0;
// Error reply fields.
constexpr std::string_view k_error = "error";

// An integer field that proto3 JSON omits when 0; nullopt when present but not an integer.
std::optional<int64_t> int_member(const json& object, std::string_view name) {
  const json* value = json_member(object, name);
  if (!value) return 0;
  if (value->is_number_integer()) return value->get<int64_t>();
  if (value->is_number_float()) {
    const double number = value->get<double>();
    if (std::isfinite(number) && number == std::floor(number)) return std::llround(number);
  }
  return std::nullopt;
}

bool mentions_geocoding(std::string_view message) {
  std::string lower(message);
  for (auto& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower.find("geocod") != std::string::npos;
}

/* One element, as found in the array:
  {"originIndex":1,"destinationIndex":0,"status":{},"condition":"ROUTE_EXISTS",
   "distanceMeters":1712,"duration":"1305s"}
  {"originIndex":2,"status":{"code":5,"message":"Origin could not be geocoded."},
   "condition":"ROUTE_MATRIX_ELEMENT_CONDITION_UNSPECIFIED"}
*/
DistanceAnswer read_element(const json& element) {
  DistanceAnswer answer;
  answer.status = DistanceAnswer::Status::error;
  if (const json* status = json_member(element, k_status)) {
    const auto code = int_member(*status, k_code);
    const std::string message = json_string_member(*status, k_message);
    if (!code || *code != 0) {
      answer.detail = "status " + (code ? std::to_string(*code) : std::string("?")) +
                      (message.empty() ? "" : ": " + message);
      if ((code && *code == k_rpc_not_found) || mentions_geocoding(message)) {
        answer.status = DistanceAnswer::Status::not_found;
      }
      return answer;
    }
  }
  const std::string condition = json_string_member(element, k_condition);
  answer.detail = condition.empty() ? "no condition" : condition;
  if (condition == k_route_not_found) {
    answer.status = DistanceAnswer::Status::no_route;
  } else if (condition == k_route_exists) {
    const json* distance = json_member(element, k_distance_meters);
    const json* duration = json_member(element, k_duration);
    std::optional<int64_t> seconds = 0;
    if (duration)
      seconds =
          duration->is_string() ? parse_proto_duration(duration->get<std::string>()) : std::nullopt;
    if ((distance && (!distance->is_number() || distance->get<double>() < 0)) || !seconds) {
      answer.detail = "ROUTE_EXISTS with a malformed distanceMeters or duration";
      return answer;
    }
    answer.status = DistanceAnswer::Status::ok;
    answer.distance_m = distance ? distance->get<double>() : 0.0;
    answer.duration_s = *seconds;
  }
  return answer;
}

/* An HTTP 4xx/5xx body:
  {"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"foo\"",
            "status":"INVALID_ARGUMENT"}}
  → "INVALID_ARGUMENT: Invalid JSON payload…"; anything else → an excerpt of the body.
*/
std::string google_error(std::string_view body) {
  const json reply = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  const json* error = reply.is_discarded() ? nullptr : json_member(reply, k_error);
  if (!error) return std::string(body.substr(0, 200));
  const std::string status = json_string_member(*error, k_status);
  const std::string message = json_string_member(*error, k_message);
  return status + (status.empty() || message.empty() ? "" : ": ") + message;
}

}  // namespace

std::string_view routes_travel_mode(std::string_view distance_matrix_mode) {
  if (distance_matrix_mode == "walking") return "WALK";
  if (distance_matrix_mode == "bicycling") return "BICYCLE";
  if (distance_matrix_mode == "driving") return "DRIVE";
  return "";
}

std::string route_matrix_body(const std::vector<std::string_view>& origins,
                              std::string_view destination, std::string_view travel_mode) {
  std::string out;
  JsonWriter writer(out);
  auto waypoint = [&](std::string_view address) {
    writer.begin_object().key("waypoint").begin_object().field("address", address);
    writer.end_object().end_object();
  };
  writer.begin_object().key("origins").begin_array();
  for (std::string_view origin : origins) waypoint(origin);
  writer.end_array().key("destinations").begin_array();
  waypoint(destination);
  writer.end_array();
  writer.field("travelMode", travel_mode)
      .field("languageCode", "fr-FR")
      .field("regionCode", "FR")
      .field("units", "METRIC");
  writer.end_object();
  return out;
}

std::optional<int64_t> parse_proto_duration(std::string_view text) {
  if (text.size() < 2 || text.back() != 's') return std::nullopt;
  text.remove_suffix(1);
  double seconds = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), seconds, std::chars_format::fixed);
  // Beyond google.protobuf.Duration's range the value is no duration (and past 2^63 llround's
  // result is unspecified: -2^63 on x86-64, a negative time).
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) ||
      seconds < 0 || seconds > k_max_duration_s) {
    return std::nullopt;
  }
  return std::llround(seconds);
}

Result<std::vector<DistanceAnswer>> parse_route_matrix(std::string_view body, size_t origin_count) {
  const json reply = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_array()) {
    return make_error(Errc::parse, std::string(k_provider) + ": the reply is not a JSON array");
  }
  std::vector<std::optional<DistanceAnswer>> by_origin(origin_count);
  for (size_t i = 0; i < reply.size(); ++i) {
    const json& element = reply[i];
    const auto origin = int_member(element, k_origin_index);
    const auto destination = int_member(element, k_destination_index);
    const std::string where = std::string(k_provider) + ": element " + std::to_string(i);
    if (!element.is_object() || !origin || !destination) {
      return make_error(Errc::parse, where + " is not a route matrix element");
    }
    if (*origin < 0 || static_cast<uint64_t>(*origin) >= origin_count || *destination != 0) {
      return make_error(Errc::corrupt, where + " answers origin " + std::to_string(*origin) +
                                           ", destination " + std::to_string(*destination) +
                                           " of a " + std::to_string(origin_count) +
                                           " × 1 request");
    }
    auto& slot = by_origin[static_cast<size_t>(*origin)];
    if (slot) {
      return make_error(Errc::corrupt,
                        where + ": origin " + std::to_string(*origin) + " answered twice");
    }
    slot = read_element(element);
  }
  std::vector<DistanceAnswer> answers;
  answers.reserve(origin_count);
  for (size_t i = 0; i < origin_count; ++i) {
    if (!by_origin[i]) {
      return make_error(Errc::corrupt, std::string(k_provider) + ": no element for origin " +
                                           std::to_string(i) + " of " +
                                           std::to_string(origin_count));
    }
    answers.push_back(std::move(*by_origin[i]));
  }
  return answers;
}

GoogleRoutes::GoogleRoutes(std::string api_key, std::string base_url, GoogleRoutesOptions options)
    : api_key_(std::move(api_key)), base_url_(std::move(base_url)), options_(options) {}

Result<std::vector<DistanceAnswer>> GoogleRoutes::distances(
    const std::vector<DistanceQuery>& queries, std::string_view destination) {
  if (blank(destination)) {
    return make_error(Errc::invalid_argument, std::string(k_provider) + ": empty destination");
  }
  return answer_in_batches(
      queries, k_provider, k_max_origins, routes_travel_mode,
      [&](const std::vector<std::string_view>& origins, std::string_view mode) {
        return fetch_batch(origins, mode, destination);
      });
}

Result<std::vector<DistanceAnswer>> GoogleRoutes::fetch_batch(
    const std::vector<std::string_view>& origins, std::string_view travel_mode,
    std::string_view destination) {
  HttpRequest request;
  request.method = "POST";
  request.url = base_url_;
  request.headers = {"Content-Type: application/json", "X-Goog-Api-Key: " + api_key_,
                     "X-Goog-FieldMask: " + std::string(k_field_mask)};
  request.body = route_matrix_body(origins, destination, travel_mode);
  request.timeout = options_.timeout;
  request.connect_timeout = options_.connect_timeout;
  request.service = "google";
  const std::string context =
      " (" + std::string(travel_mode) + ", " + std::to_string(origins.size()) + " origins)";
  std::string last_failure;
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(retry_delay(options_.backoff_base, attempt));
    auto answer = http_.send(request);
    if (auto* failure = std::get_if<HttpFailure>(&answer)) {
      // Even when the request went out (request_sent), sending it again is harmless: the
      // matrix is only read.
      last_failure = failure->message;
      continue;
    }
    const auto& response = std::get<HttpResponse>(answer);
    if (response.status == 429 || response.status >= 500) {
      last_failure = "HTTP " + std::to_string(response.status) + " " + google_error(response.body);
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      // 400 INVALID_ARGUMENT, 403 PERMISSION_DENIED (key, API not enabled, billing)...
      return make_error(
          Errc::invalid_argument,
          without_secret(std::string(k_provider) + ": HTTP " + std::to_string(response.status) +
                             " " + google_error(response.body) + context,
                         api_key_));
    }
    auto answers = parse_route_matrix(response.body, origins.size());
    if (!answers.ok())
      return Error{answers.error().code,
                   without_secret(answers.error().message + context, api_key_)};
    return answers;
  }
  return make_error(Errc::unavailable, without_secret(std::string(k_provider) + ": gave up after " +
                                                          std::to_string(options_.max_retries + 1) +
                                                          " attempts: " + last_failure + context,
                                                      api_key_));
}

}  // namespace sl::integrations
