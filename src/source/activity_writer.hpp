// Writing simulated activities to strava_activities, and reading who practises a sport.
#pragma once

#include <vector>

#include "common/result.hpp"
#include "pg/connection.hpp"
#include "source/activity_generator.hpp"

namespace sl::source {

// Employees with a declared sport (sport_activities.pratique_sport not null), by id.
Result<std::vector<Practitioner>> read_practitioners(pg::Connection& conn);
// The next free activity id (Strava-like ids start at 10^10).
Result<int64_t> next_activity_id(pg::Connection& conn);
// Inserts the activities in one COPY (one transaction). Returns the rows stored. Each activity is
// first held to the limits of field_limits.hpp, its start at most a day after `now_utc_s` (the
// simulation's "now": --as-of for a backfill); one outside them fails the call, naming it.
Result<uint64_t> insert_activities(pg::Connection& conn, const std::vector<Activity>& activities,
                                   int64_t now_utc_s);

}  // namespace sl::source
