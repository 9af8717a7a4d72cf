// job_failures: the rows a job could not process, so that one bad row never stops the others.
//
// A batch job (distances, notify, the Gold publication) handles each item on its own (a
// SAVEPOINT per row, or a bisection of a COPY): an item that fails is skipped, logged with its
// key (employee id, activity id) and recorded here, and the job goes on with the others. The
// table (migration 4) holds one row per (job, item) while the item fails — `failures` counts the
// runs that failed it — and the row is deleted once the item goes through, or when an operator
// dismisses it (`sportlake failures dismiss`: a Kafka poison record never goes through). It is
// captured, so Silver reports each open failure in `dq_issues` (rule `<job>_failed`), and
// `sportlake status` counts them per job.
//
// `item` is short by construction (an id, or a table and a hash): never the offending value
// itself, which may be exactly what an index refused. Errors are stored as clean text (valid
// UTF-8, no control characters, at most k_max_error_bytes): they may come from outside servers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cdc/change_source.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::lakehouse {

inline constexpr size_t k_max_error_bytes = 500;

struct JobFailure {
  std::string item;  // the failing item's key within its job (e.g. "employee 42")
  std::optional<int64_t> employee_id;
  std::string error;
};

// `text` as valid UTF-8 (invalid bytes as U+FFFD), control characters (NUL included) as spaces,
// cut at a character boundary to at most `max_bytes` (with "…" when cut).
std::string clean_text(std::string_view text, size_t max_bytes = k_max_error_bytes);

// Upserts one failure of `job` (failures + 1, last error and time).
Status record_job_failure(pg::Connection& sql, std::string_view job, const JobFailure& failure);

// A log record the job's source could not read (a Kafka poison record), as a failure of `job`
// named "kafka <topic>:<partition>@<offset>": upserted, so a record read again after a crash
// (before its position was stored) stays one row.
Status record_rejected_record(pg::Connection& sql, std::string_view job,
                              const cdc::RejectedRecord& record);

// The outcome of a whole pass of `job` over the items whose key starts with `scope`: the items
// in `failing` are upserted, every other open failure of that scope is deleted (it went through,
// or is no longer asked for). Run it inside the pass's transaction.
Status replace_job_failures(pg::Connection& sql, std::string_view job, std::string_view scope,
                            const std::vector<JobFailure>& failing);

// An open failure as `sportlake failures` lists it.
struct OpenJobFailure {
  std::string job;
  std::string item;
  std::optional<int64_t> employee_id;
  std::string error;
  int64_t failures = 0;         // runs that failed the item
  std::string first_failed_at;  // ISO 8601, UTC ("2026-12-05T18:47:49Z")
  std::string last_failed_at;
};

// The open failures (of `job` only when given), by job, then newest first.
Result<std::vector<OpenJobFailure>> open_job_failures(pg::Connection& sql,
                                                      std::optional<std::string_view> job);

// Deletes `job`'s open failures named in `items` (all of the job's when `items` is empty), which
// an operator has dealt with: the rows nothing else deletes, such as a Kafka poison record's
// (never read again). An item that fails again comes back. Returns how many were deleted.
Result<int64_t> dismiss_job_failures(pg::Connection& sql, std::string_view job,
                                     const std::vector<std::string>& items);

// Runs `step` (SQL on `sql` inside the caller's transaction) under a SAVEPOINT: on failure the
// step's work is rolled back and its error is the inner Status (C++ exceptions thrown by `step`
// too); the transaction stays usable. The outer error is the savepoint's own failure (a lost
// connection): the whole job's, not the item's.
Result<Status> isolated(pg::Connection& sql, const std::function<Status()>& step);

}  // namespace sl::lakehouse
