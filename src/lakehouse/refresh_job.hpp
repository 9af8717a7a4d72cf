// The refresh job (`sportlake refresh`): Bronze → Silver → Gold for one year, on demand.
//
// Order of work:
// 1. Silver, incrementally when it has watermarks (silver_increment.hpp: only the Bronze
//    versions committed since, only the Silver files holding changed keys), else — or with
//    `full`, or when a Bronze history was rewritten (logged with the reason) — in full: read the
//    current state of each Bronze table, build Silver (silver_build.hpp) and write its tables
//    whole (one new version each, older ones stay for time travel), with the watermarks;
// 2. the year's Gold (gold_build.hpp), when Silver changed or the year's Gold was built from
//    another Silver version (txn "sportlake-gold:<year>"): written replacing that year's
//    partition only (other years stay);
// 3. when a database is given and Gold was rebuilt, publish the year to its `gold` schema.
// Each table commit is atomic; a refresh interrupted midway leaves every table readable at its
// previous or its new version, and running it again converges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/lake.hpp"
#include "integrations/gazetteer.hpp"
#include "lakehouse/silver_model.hpp"
#include "pg/connection.hpp"
#include "rewards/rules.hpp"

namespace sl::lakehouse {

struct RefreshOptions {
  const delta::Lake* lake = nullptr;  // required: Bronze is read, Silver and Gold written
  int year = 0;
  rewards::RewardRules rules;
  std::string destination;                             // the workplace (distance_cache key)
  const integrations::Gazetteer* gazetteer = nullptr;  // address checks; none: skipped
  int64_t now_us = 0;
  bool full = false;  // rebuild Silver whole even when it has watermarks
  // The full rebuild's memory: Bronze's activities are streamed file by file, and Silver's rows
  // are written as data files (committed at the end) whenever those held exceed a share of it.
  size_t memory_budget_bytes = size_t{768} << 20;
};

struct RefreshResult {
  size_t bronze_changes = 0;
  size_t employees = 0;
  size_t activities = 0;
  size_t issues = 0;
  KpiSummary summary;
  bool incremental = false;  // Silver was refreshed from the changes since its watermarks
  std::string full_reason;   // why Silver was rebuilt whole
  size_t activities_rebuilt = 0;  // incremental: activities whose rows were rebuilt
  bool gold_rebuilt = false;
  // Months of the year whose Silver activities Gold read back (their parts were out of step with
  // Silver's files, gold_parts.hpp); the others' parts were taken. Empty after a full rebuild.
  std::vector<int> gold_months_recomputed;
  bool published = false;
  // Gold rows PostgreSQL refused, left out of the publication (and in job_failures, job
  // `publish`): "<year> <table> <hash> (employee <id>): <error>".
  std::vector<std::string> publish_rejected;
};

inline constexpr std::string_view k_publish_job = "publish";  // job_failures.job

// `publish_to`: the source database for the `gold` schema, or nullptr.
Result<RefreshResult> run_refresh(const RefreshOptions& options, pg::Connection* publish_to);

}  // namespace sl::lakehouse
