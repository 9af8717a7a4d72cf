// The incremental refresh's dependency rules.
#include "lakehouse/refresh_plan.hpp"

#include <algorithm>
#include <charconv>

namespace sl::lakehouse {

std::set<int64_t> employees_in_or_out(const std::unordered_set<int64_t>& before,
                                      const std::unordered_set<int64_t>& after) {
  std::set<int64_t> out;
  for (int64_t id : before)
    if (!after.contains(id)) out.insert(id);
  for (int64_t id : after)
    if (!before.contains(id)) out.insert(id);
  return out;
}

ActivityRebuild activities_to_rebuild(const ActivityDependencies& d) {
  ActivityRebuild out;
  std::vector<int64_t>& activities = out.activities;
  activities = d.changed;
  activities.insert(activities.end(), d.now_due.begin(), d.now_due.end());
  for (const auto& [activity, employee] : d.silver_activities)
    if (d.employees_in_or_out.contains(employee)) activities.push_back(activity);
  auto by_key = [&](const std::string& key) {
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec == std::errc() && end == key.data() + key.size())
      activities.push_back(id);
    else
      out.other_finding_keys.insert(key);  // not an activity id: only its findings
  };
  for (const auto& [key, employee] : d.rejected_activity_findings)
    if (d.employees_in_or_out.contains(employee)) by_key(key);
  for (const auto& key : d.notify_items) by_key(key);
  std::sort(activities.begin(), activities.end());
  activities.erase(std::unique(activities.begin(), activities.end()), activities.end());
  return out;
}

bool ActivityRebuild::rebuilds_findings_of(std::string_view key) const {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
  // An activity's findings are keyed by std::to_string of its id ("007" is not activity 7's).
  if (ec == std::errc() && end == key.data() + key.size() && std::to_string(id) == key)
    return std::binary_search(activities.begin(), activities.end(), id);
  return other_finding_keys.contains(std::string(key));
}

}  // namespace sl::lakehouse
