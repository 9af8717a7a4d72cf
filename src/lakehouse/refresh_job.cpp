// Bronze → Silver → Gold → PostgreSQL.
#include "lakehouse/refresh_job.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <span>
#include <thread>

#include "common/bounded_queue.hpp"
#include "common/fault_point.hpp"
#include "common/fnv1a.hpp"
#include "common/metrics.hpp"
#include "delta/table_writer.hpp"
#include "lakehouse/bronze_changes.hpp"
#include "lakehouse/bronze_state.hpp"
#include "lakehouse/bronze_stream.hpp"
#include "lakehouse/gold_build.hpp"
#include "lakehouse/gold_parts.hpp"
#include "lakehouse/gold_publisher.hpp"
#include "lakehouse/job_failures.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/silver_build.hpp"
#include "lakehouse/silver_increment.hpp"
#include "lakehouse/silver_store.hpp"
#include "lakehouse/silver_writer.hpp"

namespace sl::lakehouse {

namespace {

Status write_layer(const delta::Lake& lake, delta::Layer layer, std::vector<NamedBatch> tables,
                   bool by_year, const std::string& operation,
                   const std::pair<std::string, int64_t>& built_from) {
  for (auto& [name, batch] : tables) {
    auto storage = lake.table(layer, name);
    delta::WriteOptions write;
    write.mode = by_year ? delta::WriteMode::overwrite_partitions : delta::WriteMode::overwrite;
    if (by_year) write.partition_columns = {"year"};
    write.table_name = name;
    write.operation = operation;
    write.merge_schema = true;
    write.app_transactions.push_back({built_from.first, built_from.second});
    auto written = delta::write_table(*storage, batch, write);
    if (!written) return written.error().with_context(lake.location(layer, name));
  }
  return {};
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

constexpr std::string_view k_gold_app = "sportlake-gold:";

// What else than Bronze Silver depends on (silver_build.hpp): a watermark of its own, so a
// refresh under other settings rebuilds Silver in full.
int64_t settings_fingerprint(const RefreshOptions& o) {
  const auto& r = o.rules;
  const std::string text =
      fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", r.bonus_rate, r.walk_max_km, r.bike_max_km,
                  r.likely_error_factor, r.wellbeing_min_activities, r.wellbeing_days,
                  o.destination, o.gazetteer != nullptr);
  return static_cast<int64_t>(fnv1a(text) >> 1);
}

// Activities built as columns, then written, this many at a time at most: three pieces are in
// memory at once (one built, one waiting, one written), plus one given back to be reused, and
// they take a quarter of the budget (~380 bytes an activity when they were held as structs and
// as columns: kept, so the pieces' size and the files written stay as they were). 65,536 under
// the default budget; ~5,000 under `up`'s (30 MiB: a full rebuild of 305,000 activities peaked
// at +95 MB in `up` with 65,536, lakehouse/README "Refresh memory").
constexpr size_t k_activities_per_piece = 1 << 16;
constexpr size_t k_piece_bytes_per_activity = 380;
size_t activities_per_piece(size_t memory_budget_bytes) {
  return std::clamp<size_t>(memory_budget_bytes / 4 / 3 / k_piece_bytes_per_activity, 4096,
                            k_activities_per_piece);
}

// Bronze → Silver whole, with the watermarks of what was read, and the year's Gold built from
// it. The small tables' states are read whole; strava_activities is streamed file by file
// (bronze_stream.hpp), each piece of rows built and turned into columns on this thread, then
// handed to a writer thread that keeps what Gold needs and gives them to the table's writer
// (silver_writer.hpp), which writes data files on another thread once the rows held exceed a
// quarter of the budget (while the next quarter is held; the other half: Bronze files being
// decoded, the change log's first pass, Parquet encoding, the pieces between the threads).
// Gold's parts are written on another thread (`parts_written`), while the caller writes Gold.
Result<Gold> refresh_silver_fully(const RefreshOptions& options, int64_t settings,
                                  RefreshResult& result, std::future<Status>& parts_written) {
  const delta::Lake& lake = *options.lake;
  // Phase times at debug level: where a full refresh's wall time goes.
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto seconds = [&started] {
    return std::chrono::duration<double>(Clock::now() - started).count();
  };
  std::map<std::string_view, std::optional<BronzeState>> states;
  auto activities_table = lake.table(delta::Layer::bronze, "strava_activities");
  // The activities' first pass (every change's key and order: ~1 s at 10M, much of it on one
  // core) on another thread, while this one reads the small tables, builds the employees' part
  // and writes its files (they were written at the end, on one core).
  const auto& activity_source = *std::find_if(
      silver_sources().begin(), silver_sources().end(),
      [](const SilverSource& s) { return s.table == "strava_activities"; });
  auto first_pass = std::async(std::launch::async, [&] {
    return BronzeStream::open(*activities_table, activity_source.keys.front(),
                              activity_source.columns);
  });
  Watermarks watermarks;
  for (const auto& source : silver_sources()) {
    if (source.table == activity_source.table) continue;
    SL_ASSIGN_OR_RETURN(states[source.table],
                        BronzeState::read(*lake.table(delta::Layer::bronze, source.table),
                                          source.keys, source.columns));
    if (const auto& s = states[source.table]) {
      result.bronze_changes += s->changes();
      watermarks[std::string(source.table)] = s->version();
    }
  }
  if (!states["rh_employees"])
    return make_error(Errc::not_found, "no Bronze table of rh_employees under " +
                                           lake.location(delta::Layer::bronze, "") +
                                           ": run `sportlake ingest` first");
  auto state = [&](std::string_view table) -> const BronzeState* {
    return states[table] ? &*states[table] : nullptr;
  };
  SilverInputs in;
  in.employees = state("rh_employees");
  in.sports = state("sport_activities");
  in.distances = state("distance_cache");
  in.job_failures = state("job_failures");
  in.gazetteer = options.gazetteer;
  in.destination = options.destination;
  in.now_us = options.now_us;
  in.rules = options.rules;

  Silver silver;  // the employees' part whole; the activities' part a piece at a time
  build_employees_part(in, silver);
  IdSet employee_ids;
  for (const auto& e : silver.employees) employee_ids.insert(e.id);
  // What Gold needs is kept (Silver's activities and findings are written as they are built).
  GoldInputs kept(options.year);
  kept.employees = std::move(silver.employees);
  kept.commutes = std::move(silver.commutes);
  const auto& specs = silver_specs();
  SilverFileWriter employee_files(lake, "employees"), commute_files(lake, "commutes");
  SL_TRY(employee_files.append(
      record_batch(specs.employees, std::span<const Employee>(kept.employees))));
  SL_TRY(employee_files.spill_in_background());
  SL_TRY(commute_files.append(
      record_batch(specs.commutes, std::span<const Commute>(kept.commutes))));
  SL_TRY(commute_files.spill_in_background());
  spdlog::debug("refresh: employees' part built at {:.2f} s", seconds());
  SL_ASSIGN_OR_RETURN(auto activities, first_pass.get());
  if (activities) {
    result.bronze_changes += activities->changes();
    watermarks[std::string(activity_source.table)] = activities->version();
  }
  spdlog::debug("refresh: Bronze read (activities' first pass) at {:.2f} s", seconds());
  SilverFileWriter activity_files(lake, "activities"), issue_files(lake, "dq_issues");
  // Half the budget for Silver's rows: those held (a quarter) and those being written on another
  // thread (a quarter), so that the rows keep coming while a spill writes (the builder waited
  // for the writer's spills: README "Both cores in the full refresh").
  const size_t held_limit = options.memory_budget_bytes / 4;
  const size_t per_piece = activities_per_piece(options.memory_budget_bytes);

  // Two stages on two cores: this thread builds each piece of Silver straight into its tables'
  // columns (SilverColumns); the writer thread keeps what Gold needs of each piece (GoldInputs,
  // read off its columns in Silver's order: the builder is the critical path, the writer waited
  // for pieces ~55 % of the time at 10M), holds the columns per partition and spills them as
  // data files.
  struct Piece {
    columnar::RecordBatch activities, issues;
  };
  // Where each stage waited (debug log): for the other stage, or on the writer's spills.
  Clock::duration builder_waiting{}, writer_waiting{}, spilling{}, bronze_waiting{};
  auto write_piece = [&](const Piece& piece) -> Status {
    SL_TRY(add_activity_columns(piece.activities, kept.activities, true));
    SL_TRY(count_finding_columns(piece.issues, kept.findings));
    SL_TRY(activity_files.append(piece.activities));
    SL_TRY(issue_files.append(piece.issues));
    if (activity_files.held_bytes() + issue_files.held_bytes() > held_limit) {
      const auto spill_started = Clock::now();  // the wait for the previous spill
      SL_TRY(activity_files.finish_spill());
      SL_TRY(issue_files.finish_spill());
      spilling += Clock::now() - spill_started;
      SL_TRY(activity_files.held_bytes() >= issue_files.held_bytes()
                 ? activity_files.spill_in_background()
                 : issue_files.spill_in_background());
    }
    return {};
  };
  // One piece waiting: with one being built and one being written, three pieces in memory at most
  // (a few MB each at 65,536 activities as columns: activities_per_piece).
  BoundedQueue<Piece> pieces(1);
  // The columns of the pieces written, given back to this thread to build the next ones in
  // (SilverColumns::reuse): neither thread then allocates or frees per piece's buffers, where
  // each call took malloc's lock, which the other thread held as often (README "The malloc lock").
  std::mutex spent_mutex;
  std::optional<Piece> spent;
  SilverColumns columns;
  auto take_spent = [&] {
    std::optional<Piece> given;
    {
      std::lock_guard lock(spent_mutex);
      given.swap(spent);
    }
    if (given) columns.reuse(std::move(given->activities), std::move(given->issues));
  };
  Status written;  // the writer's first error (it then stops taking pieces)
  std::thread writer([&] {
    while (true) {
      const auto waited_from = Clock::now();
      auto piece = pieces.pop();
      writer_waiting += Clock::now() - waited_from;
      if (!piece) break;
      written = write_piece(*piece);
      if (!written) {
        pieces.close();
        break;
      }
      std::lock_guard lock(spent_mutex);
      spent = std::move(piece);  // one piece's columns kept at most: an older one is freed
    }
  });
  const Status rows_built = [&]() -> Status {
    auto hand_over = [&](Piece&& piece) -> Status {
      // A refused push means the writer stopped on an error, which `written` holds.
      const auto waited_from = Clock::now();
      const bool taken = pieces.push(std::move(piece));
      builder_waiting += Clock::now() - waited_from;
      return taken ? Status{} : make_error(Errc::internal, "writer stopped");
    };
    auto columns_built = [&] { return Piece{columns.take_activities(), columns.take_issues()}; };
    // The employees' part's findings first (held as rows: ~1 per employee).
    SL_TRY(hand_over({record_batch(specs.activities, std::span<const Activity>()),
                      record_batch(specs.dq_issues, std::span<const DqIssue>(silver.issues))}));
    silver = {};
    if (activities) {
      auto file_done = Clock::now();
      SL_TRY(activities->for_each_file(*activities_table, [&](const BronzeState& file) -> Status {
        bronze_waiting += Clock::now() - file_done;  // the next files decoded meanwhile
        in.activities = &file;
        const std::span<const size_t> rows = file.rows();
        for (size_t i = 0; i < rows.size(); i += per_piece) {
          take_spent();
          build_activity_rows(in, employee_ids,
                              rows.subspan(i, std::min(per_piece, rows.size() - i)), columns);
          SL_TRY(hand_over(columns_built()));  // before `file`'s texts go
        }
        in.activities = nullptr;
        file_done = Clock::now();
        return {};
      }));
    }
    build_notify_findings(in, {}, columns);
    return hand_over(columns_built());
  }();
  const double built_at = seconds();
  pieces.close();
  writer.join();
  spent.reset();  // the columns kept for reuse are not needed at the end, where memory peaks
  auto in_seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  spdlog::debug("refresh: Silver built at {:.2f} s, written (but what is held) at {:.2f} s; the "
                "builder waited {:.2f} s for the writer and {:.2f} s for Bronze's files, the "
                "writer {:.2f} s for pieces and {:.2f} s for its spills",
                built_at, seconds(), in_seconds(builder_waiting), in_seconds(bronze_waiting),
                in_seconds(writer_waiting), in_seconds(spilling));
  SL_TRY(written);
  SL_TRY(rows_built);
  states.clear();  // Bronze's changes are not needed any more
  spdlog::info("refresh: Silver activities {} rows ({} spills), findings {} rows ({} spills)",
               activity_files.rows(), activity_files.spills(), issue_files.rows(),
               issue_files.spills());
  watermarks[std::string(k_checked_at)] = options.now_us;
  watermarks[std::string(k_settings)] = settings;
  // The year's Gold is built from what was kept on another core while the rows still held are
  // written (the findings on a third thread, beside the activities) and Silver is committed.
  auto gold = std::async(std::launch::async, [&kept, &options] {
    return build_gold(kept, options.year, options.rules);
  });
  auto issues_written = std::async(std::launch::async, [&issue_files] { return issue_files.spill(); });
  const Status activities_written = activity_files.spill();
  SL_TRY(issues_written.get());
  SL_TRY(activities_written);
  spdlog::debug("refresh: Silver's last rows written at {:.2f} s", seconds());
  // dq_issues last: its watermarks stand for the whole of Silver.
  SL_TRY(employee_files.commit(watermarks, "REFRESH SILVER"));
  SL_TRY(activity_files.commit(watermarks, "REFRESH SILVER"));
  SL_TRY(commute_files.commit(watermarks, "REFRESH SILVER"));
  SL_TRY(issue_files.commit(watermarks, "REFRESH SILVER"));
  spdlog::debug("refresh: Silver committed at {:.2f} s", seconds());
  Gold built = gold.get();
  spdlog::debug("refresh: Gold built at {:.2f} s", seconds());
  // The months' parts, so that the next incremental refresh reads back only the months it
  // changes: beside Gold's own tables (each a few tenths of a second on one core at 10M).
  parts_written = std::async(std::launch::async,
                             [&lake, activities = std::move(kept.activities), started] {
                               const Status written = write_gold_parts(lake, activities);
                               spdlog::debug(
                                   "refresh: Gold's parts written at {:.2f} s",
                                   std::chrono::duration<double>(Clock::now() - started).count());
                               return written;
                             });
  return built;
}

// The year's KPIs as Gold holds them (a refresh that found nothing to rebuild reports them).
Result<std::optional<KpiSummary>> gold_summary(const delta::Lake& lake, int year) {
  auto storage = lake.table(delta::Layer::gold, "kpi_summary");
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(storage->describe(""));
  SL_ASSIGN_OR_RETURN(auto rows,
                      read_table_files(*storage, *snapshot, snapshot->files, {},
                                       {{"year", delta::Predicate::Op::eq, std::to_string(year)}}));
  const auto s = BronzeState::every_row(std::move(rows));
  if (s.rows().empty()) return std::nullopt;
  const size_t r = s.rows().front();
  KpiSummary k;
  k.year = year;
  auto get = [&](const char* column) { return s.integer(column, r).value_or(0); };
  k.employees = get("employees");
  k.sporty_commuters = get("sporty_commuters");
  k.eligible_bonus = get("eligible_bonus");
  k.total_bonus_cents = s.cents("total_bonus_eur", r).value_or(0);
  k.max_bonus_cents = s.cents("max_bonus_eur", r).value_or(0);
  k.declaration_anomalies = get("declaration_anomalies");
  k.unknown_distances = get("unknown_distances");
  k.wellbeing_eligible = get("wellbeing_eligible");
  k.wellbeing_days = get("wellbeing_days");
  k.activities = get("activities");
  k.dq_errors = get("dq_errors");
  k.dq_warnings = get("dq_warnings");
  return std::optional<KpiSummary>(k);
}

// The Silver version the year's Gold was built from (its last table's txn), if any.
Result<std::optional<int64_t>> gold_built_from(const delta::Lake& lake, int year) {
  auto storage = lake.table(delta::Layer::gold, "wellbeing_shortfall");
  auto snapshot = delta::load_snapshot(*storage);
  if (!snapshot && snapshot.error().code == Errc::not_found) return std::nullopt;
  if (!snapshot) return snapshot.error().with_context(storage->describe(""));
  return snapshot->app_version(std::string(k_gold_app) + std::to_string(year));
}

Result<RefreshResult> refresh(const RefreshOptions& options, pg::Connection* publish_to) {
  RefreshResult result;
  const delta::Lake& lake = *options.lake;
  const int64_t settings = settings_fingerprint(options);
  const auto started = std::chrono::steady_clock::now();

  // 1. Silver.
  std::optional<Gold> built;  // after a full rebuild (from Silver's rows as they were built)
  std::future<Status> parts_written;  // Gold's parts of a full rebuild, written meanwhile
  bool silver_changed = true;
  if (options.full) {
    result.full_reason = "--full";
  } else {
    SL_ASSIGN_OR_RETURN(auto watermarks, read_watermarks(lake));
    SilverIncrementOptions inc{options.lake,   options.gazetteer, options.destination,
                               options.now_us, options.rules,     settings};
    SL_ASSIGN_OR_RETURN(auto step, refresh_silver_incrementally(inc, watermarks));
    if (step.full_reason) {
      result.full_reason = *step.full_reason;
    } else {
      result.incremental = true;
      result.bronze_changes = step.bronze_changes;
      result.activities_rebuilt = step.activities_rebuilt;
      silver_changed = step.changed;
    }
  }
  if (!result.incremental) {
    spdlog::info("refresh: Silver rebuilt in full: {}", result.full_reason);
    SL_ASSIGN_OR_RETURN(built, refresh_silver_fully(options, settings, result, parts_written));
  }
  SL_ASSIGN_OR_RETURN(auto silver_now, silver_snapshot(lake, "dq_issues"));
  const int64_t silver_version = silver_now ? silver_now->version : -1;
  SL_ASSIGN_OR_RETURN(result.employees, silver_row_count(lake, "employees"));
  SL_ASSIGN_OR_RETURN(result.activities, silver_row_count(lake, "activities"));
  SL_ASSIGN_OR_RETURN(result.issues, silver_row_count(lake, "dq_issues"));

  fault_point("refresh.between_silver_and_gold");  // Silver committed, Gold not yet

  // 2. Gold of the year, when Silver moved since it was built.
  SL_ASSIGN_OR_RETURN(auto built_from, gold_built_from(lake, options.year));
  if (!silver_changed && built_from == silver_version) {
    SL_ASSIGN_OR_RETURN(auto summary, gold_summary(lake, options.year));
    if (summary) {
      result.summary = *summary;
      spdlog::info("refresh {}: nothing changed since the last refresh", options.year);
      return result;
    }
  }
  // Each phase's time at debug level: where an incremental refresh spends it (README "Incremental
  // vs full").
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  auto phase = std::chrono::steady_clock::now();
  spdlog::debug("refresh: Silver in {:.3f} s", since(started));
  if (!built) {
    SL_ASSIGN_OR_RETURN(auto inputs, read_silver_for_gold(lake, options.year));
    spdlog::debug("refresh: Gold's employees and findings read back from Silver in {:.3f} s",
                  since(phase));
    phase = std::chrono::steady_clock::now();
    GoldPartsReport parts;
    SL_ASSIGN_OR_RETURN(inputs.activities, year_activities(lake, options.year, &parts));
    result.gold_months_recomputed = parts.months_recomputed;
    spdlog::debug("refresh: Gold's activities in {:.3f} s ({} months read back from Silver, {} "
                  "from their parts)",
                  since(phase), parts.months_recomputed.size(), parts.months_kept.size());
    phase = std::chrono::steady_clock::now();
    built = build_gold(inputs, options.year, options.rules);
    spdlog::debug("refresh: Gold built in {:.3f} s", since(phase));
    phase = std::chrono::steady_clock::now();
  }  // (the year's facts are not needed any more)
  Gold gold = std::move(*built);
  built.reset();
  result.summary = gold.summary;
  result.gold_rebuilt = true;
  SL_TRY(write_layer(lake, delta::Layer::gold, gold_tables(gold), true, "REFRESH GOLD",
                     {std::string(k_gold_app) + std::to_string(options.year), silver_version}));
  spdlog::debug("refresh: Gold written in {:.3f} s", since(phase));
  if (parts_written.valid()) SL_TRY(parts_written.get());
  if (publish_to) {
    SL_ASSIGN_OR_RETURN(auto report, publish_gold(*publish_to, gold));
    result.published = true;
    SL_TRY(record_publish_failures(*publish_to, options.year, report, result));
  }
  spdlog::info("refresh {}: {} employees, {} activities, {} data-quality findings ({})",
               options.year, result.employees, result.activities, result.issues,
               result.incremental ? "incremental" : "full");
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
