// Shared pieces of the Google distance providers.
#include "integrations/google_common.hpp"

#include <algorithm>

namespace sl::integrations {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string without_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 5))
    text.replace(at, secret.size(), "<key>");
  return text;
}

std::chrono::milliseconds retry_delay(std::chrono::milliseconds base, int retry) {
  return base * (int64_t{1} << std::min(retry - 1, 16));
}

const nlohmann::json* json_member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string json_string_member(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = json_member(object, name);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

Result<std::vector<DistanceAnswer>> answer_in_batches(
    const std::vector<DistanceQuery>& queries, std::string_view provider, size_t max_origins,
    const std::function<std::string_view(std::string_view)>& provider_mode,
    const FetchBatch& fetch) {
  // Query indexes grouped by provider mode, modes in order of first appearance.
  std::vector<std::pair<std::string_view, std::vector<size_t>>> by_mode;
  std::vector<DistanceAnswer> answers(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    const DistanceQuery& query = queries[i];
    const std::string_view mode = provider_mode(query.travel_mode);
    if (mode.empty()) {
      return make_error(Errc::invalid_argument, std::string(provider) + ": query " +
                                                    std::to_string(i) + ": travel mode '" +
                                                    query.travel_mode + "' is not supported");
    }
    if (blank(query.origin)) {
      answers[i].status = DistanceAnswer::Status::not_found;
      answers[i].detail = "empty address";
      continue;
    }
    auto group = std::find_if(by_mode.begin(), by_mode.end(),
                              [&](const auto& g) { return g.first == mode; });
    if (group == by_mode.end()) group = by_mode.insert(by_mode.end(), {mode, {}});
    group->second.push_back(i);
  }
  for (const auto& [mode, indexes] : by_mode) {
    for (size_t start = 0; start < indexes.size(); start += max_origins) {
      const size_t end = std::min(indexes.size(), start + max_origins);
      std::vector<std::string_view> origins;
      for (size_t k = start; k < end; ++k) origins.push_back(queries[indexes[k]].origin);
      SL_ASSIGN_OR_RETURN(auto batch, fetch(origins, mode));
      for (size_t k = start; k < end; ++k) answers[indexes[k]] = std::move(batch[k - start]);
    }
  }
  return answers;
}

}  // namespace sl::integrations
