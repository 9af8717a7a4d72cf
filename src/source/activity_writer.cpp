// COPY of generated activities into strava_activities.
#include "source/activity_writer.hpp"

#include "pg/copy_text.hpp"
#include "source/field_limits.hpp"

#include <charconv>
#include <ctime>

namespace sl::source {

namespace {

void append_timestamp(std::string& out, int64_t us, bool utc) {
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
  out += buffer;
  if (utc) out += "+00";
}

}  // namespace

Result<std::vector<Practitioner>> read_practitioners(pg::Connection& conn) {
  SL_ASSIGN_OR_RETURN(
      auto rows, conn.exec("SELECT e.id, e.prenom, e.nom, s.pratique_sport FROM rh_employees e "
                           "JOIN sport_activities s ON s.id = e.id WHERE s.pratique_sport IS NOT "
                           "NULL ORDER BY e.id"));
  std::vector<Practitioner> out;
  out.reserve(static_cast<size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    out.push_back({std::stoll(std::string(rows.value(i, 0))), std::string(rows.value(i, 1)),
                   std::string(rows.value(i, 2)), std::string(rows.value(i, 3))});
  }
  return out;
}

Result<int64_t> next_activity_id(pg::Connection& conn) {
  SL_ASSIGN_OR_RETURN(auto rows, conn.exec("SELECT greatest(coalesce(max(activity_id), 0) + 1, "
                                           "10000000000) FROM strava_activities"));
  return std::stoll(std::string(rows.value(0, 0)));
}

Result<uint64_t> insert_activities(pg::Connection& conn, const std::vector<Activity>& activities,
                                   int64_t now_utc_s) {
  if (activities.empty()) return uint64_t{0};
  // The same limits as any activity source (field_limits.hpp): the simulator must not write what
  // a real feed would be refused for.
  for (const auto& a : activities) {
    if (auto problem = limits::check_activity(a, now_utc_s)) {
      return make_error(Errc::invalid_argument, "activity " + std::to_string(a.activity_id) +
                                                    ": " + problem->field + ": " + problem->reason);
    }
  }
  std::string data;
  data.reserve(activities.size() * 1200);
  for (const auto& a : activities) {
    data += std::to_string(a.activity_id) + '\t' + std::to_string(a.employee_id) + '\t';
    pg::append_copy_text(data, a.name);
    data += '\t';
    pg::append_copy_number(data, a.distance_m);
    data += '\t' + std::to_string(a.moving_time_s) + '\t' + std::to_string(a.elapsed_time_s) + '\t';
    pg::append_copy_number(data, a.total_elev_gain_m);
    data += '\t' + a.type + '\t' + a.sport_type + '\t';
    append_timestamp(data, a.start_utc_us, true);
    data += '\t';
    append_timestamp(data, a.start_local_us, false);
    data += '\t';
    pg::append_copy_text(data, a.timezone);
    data += '\t' + std::to_string(a.utc_offset_s);
    for (bool flag : {a.commute, a.manual, a.is_private, a.flagged}) data += flag ? "\tt" : "\tf";
    data += '\t';
    pg::append_copy_number(data, a.calories);
    data += '\t';
    pg::append_copy_text(data, a.raw_payload);
    data += '\n';
  }
  SL_ASSIGN_OR_RETURN(
      auto copy,
      conn.copy_in("COPY strava_activities (activity_id, employee_id, name, distance_m, "
                   "moving_time_s, elapsed_time_s, "
                   "total_elev_gain_m, type, sport_type, start_date_utc, start_date_local, "
                   "timezone, utc_offset_s, "
                   "commute, manual, private, flagged, calories, raw_payload) FROM STDIN"));
  constexpr size_t chunk = 1 << 20;
  for (size_t off = 0; off < data.size(); off += chunk)
    SL_TRY(copy.put(std::string_view(data).substr(off, chunk)));
  return copy.finish();
}

}  // namespace sl::source
