// Bronze → Silver → Gold → PostgreSQL.
#include "lakehouse/refresh_job.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/metrics.hpp"
#include "delta/table_writer.hpp"
#include "lakehouse/bronze_state.hpp"
#include "lakehouse/gold_build.hpp"
#include "lakehouse/gold_publisher.hpp"
#include "lakehouse/job_failures.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/silver_build.hpp"

namespace sl::lakehouse {

namespace {

Status write_layer(const delta::Lake& lake, delta::Layer layer, std::vector<NamedBatch> tables,
                   bool by_year, const std::string& operation) {
  for (auto& [name, batch] : tables) {
    auto storage = lake.table(layer, name);
    delta::WriteOptions write;
    write.mode = by_year ? delta::WriteMode::overwrite_partitions : delta::WriteMode::overwrite;
    if (by_year) write.partition_columns = {"year"};
    write.table_name = name;
    write.operation = operation;
    write.merge_schema = true;
    auto written = delta::write_table(*storage, batch, write);
    if (!written) return written.error().with_context(lake.location(layer, name));
  }
  return {};
}

// FNV-1a 64: a short, stable item key for a refused row (whose key may be what was refused).
uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// The Gold rows PostgreSQL refused become the year's open failures of the `publish` job (the
// previous ones of that year are replaced), and the refresh's result lists them.
Status record_publish_failures(pg::Connection& sql, int year, const PublishReport& report,
                               RefreshResult& result) {
  std::vector<JobFailure> failing;
  for (const auto& r : report.rejected) {
    const std::string item = fmt::format("{} {} {:016x}", year, r.table, fnv1a(r.row));
    const std::string error = "gold." + r.table + ": " + r.error.to_string();
    failing.push_back({item, r.employee_id, error});
    result.publish_rejected.push_back(
        item + (r.employee_id ? " (employee " + std::to_string(*r.employee_id) + ")" : "") + ": " +
        clean_text(error, 300));
  }
  SL_TRY(sql.exec("BEGIN"));
  if (auto st = replace_job_failures(sql, k_publish_job, std::to_string(year) + " ", failing);
      !st) {
    (void)sql.exec("ROLLBACK");
    return st.error().with_context("job_failures");
  }
  return sql.exec("COMMIT").ok() ? Status{} : make_error(Errc::unavailable, "job_failures: commit");
}

Result<RefreshResult> refresh(const RefreshOptions& options, pg::Connection* publish_to) {
  RefreshResult result;
  const delta::Lake& lake = *options.lake;
  auto bronze = [&](std::string_view table) { return lake.table(delta::Layer::bronze, table); };
  SL_ASSIGN_OR_RETURN(auto employees, BronzeState::read(*bronze("rh_employees"), {"id"}));
  SL_ASSIGN_OR_RETURN(auto sports, BronzeState::read(*bronze("sport_activities"), {"id"}));
  SL_ASSIGN_OR_RETURN(auto activities,
                      BronzeState::read(*bronze("strava_activities"), {"activity_id"},
                                        {"employee_id", "name", "sport_type", "type", "distance_m",
                                         "moving_time_s", "elapsed_time_s", "start_date_utc",
                                         "start_date_local", "commute", "calories"}));
  SL_ASSIGN_OR_RETURN(
      auto distances,
      BronzeState::read(*bronze("distance_cache"), {"origin", "destination", "mode", "provider"}));
  SL_ASSIGN_OR_RETURN(auto failures, BronzeState::read(*bronze("job_failures"), {"job", "item"}));
  if (!employees)
    return make_error(Errc::not_found, "no Bronze table of rh_employees under " +
                                           lake.location(delta::Layer::bronze, "") +
                                           ": run `sportlake ingest` first");
  for (const auto* s :
       {&*employees, sports ? &*sports : nullptr, activities ? &*activities : nullptr,
        distances ? &*distances : nullptr, failures ? &*failures : nullptr})
    if (s) result.bronze_changes += s->changes();

  SilverInputs in;
  in.employees = &*employees;
  in.sports = sports ? &*sports : nullptr;
  in.activities = activities ? &*activities : nullptr;
  in.distances = distances ? &*distances : nullptr;
  in.job_failures = failures ? &*failures : nullptr;
  in.gazetteer = options.gazetteer;
  in.destination = options.destination;
  in.now_us = options.now_us;
  in.rules = options.rules;
  const Silver silver = build_silver(in);
  result.employees = silver.employees.size();
  result.activities = silver.activities.size();
  result.issues = silver.issues.size();
  SL_TRY(write_layer(lake, delta::Layer::silver, silver_tables(silver), false, "REFRESH SILVER"));

  const Gold gold = build_gold(silver, options.year, options.rules);
  result.summary = gold.summary;
  SL_TRY(write_layer(lake, delta::Layer::gold, gold_tables(gold), true, "REFRESH GOLD"));
  if (publish_to) {
    SL_ASSIGN_OR_RETURN(auto report, publish_gold(*publish_to, gold));
    result.published = true;
    SL_TRY(record_publish_failures(*publish_to, options.year, report, result));
  }
  spdlog::info("refresh {}: {} employees, {} activities, {} data-quality findings", options.year,
               result.employees, result.activities, result.issues);
  return result;
}

}  // namespace

Result<RefreshResult> run_refresh(const RefreshOptions& options, pg::Connection* publish_to) {
  auto& registry = metrics::registry();
  const auto started = std::chrono::steady_clock::now();
  auto result = refresh(options, publish_to);
  // Nothing to refresh yet (no Bronze) is neither a run nor a failure.
  if (!result && result.error().code == Errc::not_found) return result;
  registry
      .histogram("sportlake_refresh_duration_seconds",
                 "Silver/Gold refreshes (Bronze → Silver → Gold → PostgreSQL), ended or failed.",
                 metrics::duration_buckets())
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  registry
      .counter("sportlake_refreshes_total", "Silver/Gold refreshes by outcome.",
               {{"outcome", result ? "ok" : "error"}})
      .inc();
  return result;
}

}  // namespace sl::lakehouse
