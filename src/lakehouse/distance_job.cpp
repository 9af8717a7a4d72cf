// Distances of the sporty commuters into distance_cache.
#include "lakehouse/distance_job.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "lakehouse/job_failures.hpp"
#include "rewards/commute_mode.hpp"

namespace sl::lakehouse {

namespace {

using Clock = std::chrono::steady_clock;

// An (address, travel mode) pair that needs an answer, and the employees who declared it.
struct Wanted {
  integrations::DistanceQuery query;
  std::vector<int64_t> employees;
};

// The (address, travel mode) pairs of the sporty commuters that need an answer.
Result<std::vector<Wanted>> wanted(pg::Connection& sql, std::string_view provider,
                                   const std::string& destination, bool refresh_all) {
  const std::string walk(rewards::commute_mode_label(rewards::CommuteMode::walk_run));
  const std::string bike(rewards::commute_mode_label(rewards::CommuteMode::bike_scooter));
  const std::string walking(rewards::travel_mode(rewards::CommuteMode::walk_run));
  const std::string bicycling(rewards::travel_mode(rewards::CommuteMode::bike_scooter));
  SL_ASSIGN_OR_RETURN(
      auto rows,
      sql.exec_params("SELECT e.adresse_complete, CASE e.moyen_deplacement WHEN $1 THEN $3 ELSE $4 "
                      "END AS mode, string_agg(e.id::text, ',' ORDER BY e.id) FROM rh_employees e "
                      "WHERE e.moyen_deplacement IN ($1, $2) "
                      "AND coalesce(e.adresse_complete, '') <> '' AND ($7 OR NOT EXISTS ("
                      "  SELECT 1 FROM distance_cache c WHERE c.origin = e.adresse_complete "
                      "  AND c.destination = $5 AND c.provider = $6 AND c.status <> 'error' "
                      "  AND c.mode = CASE e.moyen_deplacement WHEN $1 THEN $3 ELSE $4 END)) "
                      "GROUP BY 1, 2 ORDER BY 1, 2",
                      {walk, bike, walking, bicycling, destination, std::string(provider),
                       refresh_all ? "true" : "false"}));
  std::vector<Wanted> out;
  for (int r = 0; r < rows.rows(); ++r) {
    Wanted w{{std::string(rows.value(r, 0)), std::string(rows.value(r, 1))}, {}};
    const std::string_view ids = rows.value(r, 2);
    for (size_t at = 0; at < ids.size();) {
      size_t comma = ids.find(',', at);
      if (comma == std::string_view::npos) comma = ids.size();
      w.employees.push_back(std::stoll(std::string(ids.substr(at, comma - at))));
      at = comma + 1;
    }
    out.push_back(std::move(w));
  }
  return out;
}

// Characters of UTF-8 text (the bytes that do not continue a sequence).
size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string employee_list(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

}  // namespace

Result<DistanceRefresh> refresh_distances(pg::Connection& sql,
                                          integrations::DistanceProvider& provider,
                                          const std::string& destination, bool refresh_all) {
  DistanceRefresh stats;
  SL_ASSIGN_OR_RETURN(auto all, wanted(sql, provider.name(), destination, refresh_all));
  // Refused before asking: an address no postal address can be (and no index can hold).
  std::vector<Wanted> asked;
  std::vector<JobFailure> failing;
  auto fail = [&](const Wanted& w, const std::string& error) {
    spdlog::error("distances: employee {}: {}", employee_list(w.employees), error);
    for (int64_t id : w.employees) failing.push_back({"employee " + std::to_string(id), id, error});
    ++stats.failed;
    stats.failed_employees.insert(stats.failed_employees.end(), w.employees.begin(),
                                  w.employees.end());
  };
  for (auto& w : all) {
    const size_t chars = utf8_length(w.query.origin);
    if (chars > k_max_address_chars)
      fail(w, "address of " + std::to_string(chars) + " characters (more than " +
                  std::to_string(k_max_address_chars) + "): not sent to " +
                  std::string(provider.name()) + ", no distance");
    else
      asked.push_back(std::move(w));
  }
  std::vector<integrations::DistanceQuery> queries;
  for (const auto& w : asked) queries.push_back(w.query);
  std::vector<integrations::DistanceAnswer> answers;
  if (!queries.empty()) {
    SL_ASSIGN_OR_RETURN(answers, provider.distances(queries, destination));
    if (answers.size() != queries.size())
      return make_error(Errc::internal, std::string(provider.name()) + " gave " +
                                            std::to_string(answers.size()) + " answers for " +
                                            std::to_string(queries.size()) + " addresses");
  }
  stats.asked = queries.size();
  SL_TRY(sql.exec("BEGIN"));
  // Each answer under its own savepoint: a row the cache refuses is reported, the others stored.
  auto store = [&]() -> Status {
    for (size_t i = 0; i < queries.size(); ++i) {
      const auto& a = answers[i];
      using S = integrations::DistanceAnswer::Status;
      std::optional<std::string> distance, duration, error;
      if (a.distance_m) distance = std::to_string(*a.distance_m);
      if (a.duration_s) duration = std::to_string(*a.duration_s);
      if (a.status != S::ok) error = clean_text(a.detail);
      SL_ASSIGN_OR_RETURN(
          auto stored, isolated(sql, [&]() -> Status {
            SL_TRY(sql.exec_params(
                "INSERT INTO distance_cache (origin, destination, mode, provider, distance_m, "
                "duration_s, status, error, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                "now()) ON CONFLICT (origin, destination, mode, provider) DO UPDATE SET distance_m "
                "= "
                "EXCLUDED.distance_m, duration_s = EXCLUDED.duration_s, status = EXCLUDED.status, "
                "error = EXCLUDED.error, computed_at = EXCLUDED.computed_at",
                {queries[i].origin, destination, queries[i].travel_mode,
                 std::string(provider.name()), distance, duration,
                 std::string(integrations::status_name(a.status)), error}));
            return {};
          }));
      if (!stored) {
        fail(asked[i], "distance not stored in distance_cache: " + stored.error().to_string());
        continue;
      }
      (a.status == S::ok ? stats.ok : a.status == S::error ? stats.errors : stats.not_found)++;
    }
    // The open failures of this job are exactly the items that failed now: an employee whose
    // distance went through (or who no longer needs one) is no longer reported.
    return replace_job_failures(sql, k_distances_job, "employee ", failing);
  };
  if (auto st = store(); !st) {
    (void)sql.exec("ROLLBACK");
    return st.error().with_context("distance_cache");
  }
  SL_TRY(sql.exec("COMMIT"));
  spdlog::info("distances ({}): {} asked, {} ok, {} not located or routed, {} errors, {} failed",
               provider.name(), stats.asked, stats.ok, stats.not_found, stats.errors, stats.failed);
  return stats;
}

Result<DistanceRefresh> run_distance_worker(pg::Connection& sql,
                                            integrations::DistanceProvider& provider,
                                            const cdc::ChangeSourceOpener& open_source,
                                            const DistanceWorkerOptions& options) {
  auto stop = [&] { return options.stop_requested && options.stop_requested(); };
  DistanceRefresh total;
  auto add = [&](const DistanceRefresh& r) {
    total.asked += r.asked;
    total.ok += r.ok;
    total.not_found += r.not_found;
    total.errors += r.errors;
    total.failed = r.failed;  // the last pass's: what is still failing
    total.failed_employees = r.failed_employees;
  };
  SL_ASSIGN_OR_RETURN(auto first, refresh_distances(sql, provider, options.destination, false));
  add(first);
  SL_ASSIGN_OR_RETURN(auto source, open_source());
  bool employees_changed = false;  // in the current transaction
  bool dirty = false;              // a refresh is owed before the next acknowledgement
  cdc::SourcePosition owed_until;  // the end of the last transaction that made it owed
  auto backoff = std::chrono::seconds(30);
  auto next_try = Clock::now();
  auto on_event = [&](const cdc::ChangeEvent& e) -> Status {
    employees_changed |= e.source.table == k_employees_table;
    return {};
  };
  auto on_commit = [&](const cdc::SourcePosition& end) -> Status {
    if (employees_changed || dirty) {
      // The refresh reads the database as it is then: it covers this transaction too.
      dirty = true;
      owed_until = end;
    } else {
      source->confirm(end);
    }
    employees_changed = false;
    return {};
  };
  auto on_reset = [&] { employees_changed = false; };
  // A record the source could not read (a Kafka poison record): reported, skipped.
  auto on_rejected = [&](const cdc::RejectedRecord& record) {
    return record_rejected_record(sql, k_distances_job, record);
  };
  const cdc::ChangeHandler handler{.on_event = on_event,
                                   .on_rejected = on_rejected,
                                   .on_transaction_end = on_commit,
                                   .on_reset = on_reset};
  auto last_data = Clock::now();
  while (!stop()) {
    SL_ASSIGN_OR_RETURN(bool got, source->poll(std::chrono::milliseconds(200), handler));
    if (got) {
      last_data = Clock::now();
      continue;
    }
    if (dirty && Clock::now() >= next_try) {
      auto refreshed = refresh_distances(sql, provider, options.destination, false);
      if (refreshed) {
        add(*refreshed);
        dirty = false;
        source->confirm(owed_until);
        backoff = std::chrono::seconds(30);
      } else {
        spdlog::warn("distances: {}; trying again in {} s", refreshed.error().to_string(),
                     backoff.count());
        next_try = Clock::now() + backoff;
        backoff = std::min(backoff * 2, std::chrono::seconds(600));
      }
    }
    if (!dirty && options.idle_exit.count() > 0 && Clock::now() - last_data >= options.idle_exit)
      break;
  }
  SL_TRY(source->flush_confirmed());
  return total;
}

}  // namespace sl::lakehouse
