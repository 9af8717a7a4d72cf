// The incremental refresh's dependency rules.
#include "lakehouse/refresh_plan.hpp"

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
  std::set<int64_t> activities(d.changed.begin(), d.changed.end());
  activities.insert(d.now_due.begin(), d.now_due.end());
  for (const auto& [activity, employee] : d.silver_activities)
    if (d.employees_in_or_out.contains(employee)) activities.insert(activity);
  std::set<std::string> finding_keys;
  auto by_key = [&](const std::string& key) {
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec == std::errc() && end == key.data() + key.size())
      activities.insert(id);
    else
      finding_keys.insert(key);  // not an activity id: only its findings
  };
  for (const auto& [key, employee] : d.rejected_activity_findings)
    if (d.employees_in_or_out.contains(employee)) by_key(key);
  for (const auto& key : d.notify_items) by_key(key);
  ActivityRebuild out;
  out.activities.assign(activities.begin(), activities.end());
  for (int64_t id : out.activities) finding_keys.insert(std::to_string(id));
  out.finding_keys = std::move(finding_keys);
  return out;
}

}  // namespace sl::lakehouse
