// What the two Google distance providers share: batching the queries by travel mode, the retry
// delay, keeping the API key out of messages, and defensive JSON member access.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/distance_provider.hpp"

namespace sl::integrations {

// Only spaces, tabs and line ends (or nothing).
bool blank(std::string_view text);

// `text` with every occurrence of `secret` replaced by "<key>".
std::string without_secret(std::string text, std::string_view secret);

// The wait before retry number `retry` (1, 2, ...): base × 2^(retry-1).
std::chrono::milliseconds retry_delay(std::chrono::milliseconds base, int retry);

// `object[name]` when `object` is an object holding it, else nullptr (never throws).
const nlohmann::json* json_member(const nlohmann::json& object, std::string_view name);
// The string member `name`, "" when absent or not a string.
std::string json_string_member(const nlohmann::json& object, std::string_view name);

// One request of at most `max_origins` origins, all of one provider travel mode: one answer per
// origin, in order.
using FetchBatch = std::function<Result<std::vector<DistanceAnswer>>(
    const std::vector<std::string_view>& origins, std::string_view provider_mode)>;

// Answers `queries` in batches: `provider_mode` maps a query's travel mode to the provider's
// ("" when unsupported: the whole call fails, naming `provider`, before anything is sent);
// blank origins are answered not_found without being sent (one would fail a whole batch);
// modes are batched in order of first appearance; the answers come back in the queries' order.
Result<std::vector<DistanceAnswer>> answer_in_batches(
    const std::vector<DistanceQuery>& queries, std::string_view provider, size_t max_origins,
    const std::function<std::string_view(std::string_view)>& provider_mode,
    const FetchBatch& fetch);

}  // namespace sl::integrations
