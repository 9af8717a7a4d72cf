// A new activity as an insert event carries it, and its announcement card (the French sentence
// of rewards/activity_message, with the employee's name and declared sport) as a Slack body.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cdc/change_event.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

// A new activity as the insert carried it (text values by column name).
struct NewActivity {
  std::string activity_id;
  std::map<std::string, std::string> values;
  std::string get(const std::string& column) const {
    auto it = values.find(column);
    return it == values.end() ? std::string() : it->second;
  }
};

// The activity an event inserts into strava_activities; nullopt for any other event.
// The one table whose inserts are announced (what a notifier's change source must carry).
inline constexpr std::string_view k_activities_table = "strava_activities";

std::optional<NewActivity> new_activity(const cdc::ChangeEvent& e);

// The Slack body of an activity; the employee's name and declared sport are read from `sql`.
Result<std::string> activity_payload(pg::Connection& sql, const NewActivity& a);

}  // namespace sl::lakehouse
