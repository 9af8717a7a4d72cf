// The distance job: the home → work distance of every sporty commuter, by the travel mode of
// the declared commute (Marche/running → walking, Vélo/Trottinette/Autres → bicycling), kept in
// the source database's `distance_cache` (key: origin address, destination, mode, provider).
//
// - refresh_distances: one pass; the addresses the cache lacks (or whose last answer was an
//   error) are sent to the provider in one batch, the answers upserted. An address the provider
//   could not locate or route is cached as such (not asked again); an element error is cached as
//   `error` and asked again next time. A failure of the whole request (bad key, quota) leaves
//   the cache as it was and is returned.
//   One bad row never costs the others their distance: an address longer than
//   k_max_address_chars is not sent (no postal address is that long, and the cache's key index
//   could not hold it), and each answer is stored under its own savepoint; an address that fails
//   either way is logged with its employees' ids, recorded in `job_failures` (job `distances`,
//   item "employee <id>", lakehouse/job_failures.hpp) and counted in `failed`, and the others
//   are stored. The pass's failures replace the job's previous ones.
// - run_distance_worker: refresh once, then follow rh_employees through the job's own change
//   source (a slot, created before the first refresh so nothing made meanwhile is missed): each
//   transaction that touches an employee triggers a refresh (a changed address or mode is a new
//   cache key, so only it is computed) and the slot is acknowledged after it. A provider failure
//   is retried with backoff (30 s doubling to 10 min) without acknowledging.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cdc/change_source.hpp"
#include "common/result.hpp"
#include "integrations/distance_provider.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

struct DistanceRefresh {
  size_t asked = 0;  // addresses sent to the provider
  size_t ok = 0;
  size_t not_found = 0;  // not located or no route
  size_t errors = 0;     // element errors (asked again next time)
  size_t failed = 0;     // addresses that could not be asked or stored (job_failures)
  std::vector<int64_t> failed_employees;  // their employees
};

inline constexpr std::string_view k_distances_job = "distances";  // job_failures.job
// The one table the worker follows (what its change source must carry).
inline constexpr std::string_view k_employees_table = "rh_employees";
// AFNOR NF Z10-011 allows 6 lines of 38 characters (228); `load` accepts 500 characters
// (source/field_limits.hpp), which is also the most whose UTF-8 (≤ 2,000 bytes) the cache's key
// index can hold with the workplace beside it. Counted in characters, like `load`.
inline constexpr size_t k_max_address_chars = 500;

// `refresh_all`: ask again even what is cached.
Result<DistanceRefresh> refresh_distances(pg::Connection& sql,
                                          integrations::DistanceProvider& provider,
                                          const std::string& destination, bool refresh_all);

struct DistanceWorkerOptions {
  std::string destination;
  std::chrono::milliseconds idle_exit{0};
  std::function<bool()> stop_requested;
};

Result<DistanceRefresh> run_distance_worker(pg::Connection& sql,
                                            integrations::DistanceProvider& provider,
                                            const cdc::ChangeSourceOpener& open_source,
                                            const DistanceWorkerOptions& options);

}  // namespace sl::lakehouse
