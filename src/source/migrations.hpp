// Schema migrations of the source database: the seed's tables plus what the services need.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::source {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration, in order. Never edit an applied one: add a new version.
const std::vector<Migration>& migrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names of the migrations run now
};

// Applies the missing migrations in one transaction under an advisory lock (concurrent callers
// wait, then find nothing to do), then ensures the publication `publication` covers the captured
// tables (rh_employees, sport_activities, strava_activities). Idempotent.
Result<MigrationReport> migrate(pg::Connection& conn, const std::string& publication);

// The tables the CDC publication captures, in load order.
const std::vector<std::string>& captured_tables();

}  // namespace sl::source
