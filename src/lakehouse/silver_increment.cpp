// Silver from the Bronze changes since its watermarks.
#include "lakehouse/silver_increment.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <span>

#include "columnar/batch_ops.hpp"
#include "delta/partitions.hpp"
#include "lakehouse/bronze_changes.hpp"
#include "lakehouse/bronze_state.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/refresh_plan.hpp"
#include "lakehouse/silver_build.hpp"
#include "lakehouse/silver_writer.hpp"

namespace sl::lakehouse {

const std::vector<SilverSource>& silver_sources() {
  static const std::vector<SilverSource> sources = {
      {"rh_employees", {"id"}, {}},
      {"sport_activities", {"id"}, {}},
      {"strava_activities",
       {"activity_id"},
       {"employee_id", "name", "sport_type", "type", "distance_m", "moving_time_s",
        "elapsed_time_s", "start_date_utc", "start_date_local", "commute", "calories"}},
      {"distance_cache", {"origin", "destination", "mode", "provider"}, {}},
      {"job_failures", {"job", "item"}, {}},
  };
  return sources;
}

namespace {

constexpr int64_t k_hour_us = 3'600'000'000LL;
// The activities rebuilt a piece at a time (their Bronze state, structs and columns), and the
// rows each Silver table's writer holds before it writes them as data files: what bounds the
// increment's memory (a piece's structs and state, plus two writers' columns).
constexpr size_t k_activities_per_piece = 1 << 13;
constexpr size_t k_increment_held_bytes = size_t{8} << 20;

struct SourceChanges {
  const SilverSource* source = nullptr;
  std::unique_ptr<delta::Storage> storage;
  std::optional<delta::Snapshot> snapshot;
  BronzeChanges changes;
};

columnar::RecordBatch batch_named(std::vector<NamedBatch>& tables, std::string_view name) {
  for (auto& [n, batch] : tables)
    if (n == name) return std::move(batch);
  return {};
}

// A file of dq_issues' activities partition whose row_key range may hold a finding `rebuild`
// replaces (the keys are text: activity ids compare as their decimal text).
bool activity_findings_may_hold(const delta::Add& file, const ActivityRebuild& rebuild) {
  if (rebuild.empty()) return false;
  auto p = file.partition_values.find("table_name");
  if (p == file.partition_values.end() || p->second != "activities") return false;
  if (!file.stats) return true;
  simdjson::dom::parser parser;
  simdjson::dom::element stats;
  std::string_view low, high;
  if (parser.parse(file.stats->data(), file.stats->size()).get(stats) != simdjson::SUCCESS ||
      stats["minValues"]["row_key"].get(low) != simdjson::SUCCESS ||
      stats["maxValues"]["row_key"].get(high) != simdjson::SUCCESS)
    return true;  // no exact range (a key longer than the stats keep)
  auto first = rebuild.other_finding_keys.lower_bound(std::string(low));
  if (first != rebuild.other_finding_keys.end() && *first <= high) return true;
  return std::any_of(rebuild.activities.begin(), rebuild.activities.end(), [&](int64_t id) {
    const std::string key = std::to_string(id);
    return low <= key && key <= high;
  });
}

// The activities filed in Bronze with a start in (from, to]: no longer in the future now, if they
// were at the last check.
Result<std::vector<int64_t>> now_due(const SourceChanges& activities, int64_t from, int64_t to) {
  std::vector<int64_t> out;
  if (!activities.snapshot || from >= to) return out;
  auto bound = [](int64_t us) -> Result<std::string> {
    columnar::Column c(columnar::DataType{columnar::TypeId::timestamp_us});
    c.append_i64(us);
    SL_ASSIGN_OR_RETURN(auto text, delta::partition_value_of(c, 0, "start_date_utc"));
    return text.value_or("");
  };
  SL_ASSIGN_OR_RETURN(auto low, bound(from));
  SL_ASSIGN_OR_RETURN(auto high, bound(to));
  SL_ASSIGN_OR_RETURN(auto rows,
                      read_table_files(*activities.storage, *activities.snapshot,
                                       activities.snapshot->files, {"activity_id"},
                                       {{"start_date_utc", delta::Predicate::Op::gt, low},
                                        {"start_date_utc", delta::Predicate::Op::le, high}}));
  const auto s = BronzeState::every_row(std::move(rows));
  for (size_t r : s.rows())
    if (auto id = s.integer("activity_id", r)) out.push_back(*id);
  return out;
}

}  // namespace

Result<SilverIncrement> refresh_silver_incrementally(const SilverIncrementOptions& options,
                                                     const Watermarks& watermarks) {
  const delta::Lake& lake = *options.lake;
  SilverIncrement result;
  auto full = [&](std::string reason) {
    result.full_reason = std::move(reason);
    return result;
  };
  if (watermarks.empty()) return full("Silver has no watermark yet (first refresh)");
  if (auto s = watermarks.find(std::string(k_settings));
      s == watermarks.end() || s->second != options.settings)
    return full("the rules, the workplace or the gazetteer changed since the last refresh");

  // 1. Each source's changes since its watermark.
  std::map<std::string_view, SourceChanges> sources;
  Watermarks next;
  for (const auto& source : silver_sources()) {
    SourceChanges& c = sources[source.table];
    c.source = &source;
    c.storage = lake.table(delta::Layer::bronze, source.table);
    auto snapshot = delta::load_snapshot(*c.storage);
    const auto mark = watermarks.find(std::string(source.table));
    if (!snapshot && snapshot.error().code == Errc::not_found) {
      if (mark != watermarks.end())
        return full("bronze " + std::string(source.table) + " is gone since the last refresh");
      continue;
    }
    if (!snapshot) return snapshot.error().with_context(c.storage->describe(""));
    c.snapshot = std::move(*snapshot);
    const int64_t since = mark == watermarks.end() ? -1 : mark->second;
    SL_ASSIGN_OR_RETURN(c.changes, read_bronze_changes(*c.storage, *c.snapshot, since));
    if (c.changes.rewritten)
      return full("bronze " + std::string(source.table) + ": " + *c.changes.rewritten);
    next[std::string(source.table)] = c.snapshot->version;
    if (c.snapshot->version != since) result.changed = true;  // at least the watermark moves
  }
  for (const char* table : {"employees", "commutes", "activities", "dq_issues"}) {
    SL_ASSIGN_OR_RETURN(auto s, silver_snapshot(lake, table));
    if (!s) return full(std::string("silver ") + table + " is missing");
  }

  // 2. The employees' part, when a small table changed.
  SilverInputs in;
  in.gazetteer = options.gazetteer;
  in.destination = options.destination;
  in.now_us = options.now_us;
  in.rules = options.rules;
  bool small_changed = false;
  for (const char* table : {"rh_employees", "sport_activities", "distance_cache", "job_failures"})
    small_changed |= !sources[table].changes.empty();
  SL_ASSIGN_OR_RETURN(auto employees_before, silver_employee_ids(lake));
  std::unordered_set<int64_t> employees_after = employees_before;
  std::map<std::string_view, std::optional<BronzeState>> states;
  auto read_state = [&](std::string_view table) -> Status {
    if (states.contains(table)) return {};
    const SourceChanges& c = sources[table];
    SL_ASSIGN_OR_RETURN(states[table],
                        BronzeState::read(*c.storage, c.source->keys, c.source->columns));
    if (states[table]) result.bronze_changes += states[table]->changes();
    return {};
  };
  auto state = [&](std::string_view table) -> const BronzeState* {
    return states[table] ? &*states[table] : nullptr;
  };
  Silver part1;
  if (small_changed) {
    for (const char* table : {"rh_employees", "sport_activities", "distance_cache", "job_failures"})
      SL_TRY(read_state(table));
    if (!state("rh_employees")) return full("bronze rh_employees is empty");
    in.employees = state("rh_employees");
    in.sports = state("sport_activities");
    in.distances = state("distance_cache");
    in.job_failures = state("job_failures");
    build_employees_part(in, part1);
    employees_after.clear();
    for (const auto& e : part1.employees) employees_after.insert(e.id);
    result.employees_rebuilt = true;
  }

  // 3. The activities to rebuild.
  ActivityDependencies deps;
  const SourceChanges& strava = sources["strava_activities"];
  if (!strava.changes.empty()) {
    SL_ASSIGN_OR_RETURN(auto keys, read_table_files(*strava.storage, *strava.snapshot,
                                                    strava.changes.files, {"activity_id"}));
    result.bronze_changes += keys.num_rows;
    const auto s = BronzeState::every_row(std::move(keys));
    for (size_t r : s.rows())
      if (auto id = s.integer("activity_id", r)) deps.changed.push_back(*id);
  }
  deps.employees_in_or_out = employees_in_or_out(employees_before, employees_after);
  if (!deps.employees_in_or_out.empty()) {
    SL_ASSIGN_OR_RETURN(deps.silver_activities,
                        silver_activities_of(lake, deps.employees_in_or_out));
    SL_ASSIGN_OR_RETURN(deps.rejected_activity_findings,
                        silver_activity_findings_of(lake, deps.employees_in_or_out));
  }
  if (const SourceChanges& f = sources["job_failures"]; !f.changes.empty()) {
    SL_ASSIGN_OR_RETURN(auto items,
                        read_table_files(*f.storage, *f.snapshot, f.changes.files, {"job", "item"}));
    const auto s = BronzeState::every_row(std::move(items));
    for (size_t r : s.rows()) {
      if (s.text("job", r).value_or("") != "notify") continue;
      const std::string item = s.text("item", r).value_or("");
      const auto space = item.find(' ');
      deps.notify_items.push_back(space == std::string::npos ? item : item.substr(space + 1));
    }
  }
  if (auto checked = watermarks.find(std::string(k_checked_at));
      options.now_us > 0 && checked != watermarks.end()) {
    SL_ASSIGN_OR_RETURN(deps.now_due,
                        now_due(strava, checked->second + k_hour_us, options.now_us + k_hour_us));
    if (!deps.now_due.empty()) result.changed = true;
  }
  const ActivityRebuild rebuild = activities_to_rebuild(deps);
  deps = {};
  result.activities_rebuilt = rebuild.activities.size();
  if (!result.changed && !small_changed && rebuild.empty()) return result;
  result.changed = true;

  // The activities' part a piece of keys at a time: their Bronze state read (one candidate file
  // at a time), their rows built, turned into columns and handed to the tables' writers, which
  // write sorted data files past k_increment_held_bytes (committed below). So what the increment
  // holds is bounded, whatever the changes between two refreshes (README "Refresh memory").
  SilverFileWriter activity_files(lake, "activities", k_increment_held_bytes);
  SilverFileWriter issue_files(lake, "dq_issues", k_increment_held_bytes);
  if (!rebuild.empty()) {
    SL_TRY(read_state("job_failures"));
    SilverInputs a = in;
    a.job_failures = state("job_failures");
    const IdSet employee_ids(employees_after);
    for (size_t i = 0; strava.snapshot && i < rebuild.activities.size();
         i += k_activities_per_piece) {
      const auto from = rebuild.activities.begin() + static_cast<std::ptrdiff_t>(i);
      const std::vector<int64_t> keys(
          from, from + static_cast<std::ptrdiff_t>(
                           std::min(k_activities_per_piece, rebuild.activities.size() - i)));
      SL_ASSIGN_OR_RETURN(auto activities,
                          bronze_state_of_keys(*strava.storage, *strava.snapshot, "activity_id",
                                               keys, strava.source->columns));
      a.activities = &activities;
      Silver piece;
      SilverRows out(piece);
      build_activity_rows(a, employee_ids, activities.rows(), out);
      SL_TRY(append_activities_part(piece, activity_files, issue_files));
    }
    a.activities = nullptr;
    Silver piece;
    SilverRows out(piece);
    build_notify_findings(
        a, [&](std::string_view key) { return rebuild.rebuilds_findings_of(key); }, out);
    SL_TRY(append_activities_part(piece, activity_files, issue_files));
  }

  // 4. The commits, dq_issues last with the watermarks.
  next[std::string(k_checked_at)] = options.now_us;
  next[std::string(k_settings)] = options.settings;
  auto part1_rows = silver_tables(part1);
  part1 = {};
  if (small_changed) {
    for (const char* table : {"employees", "commutes"}) {
      SL_ASSIGN_OR_RETURN(auto current, silver_snapshot(lake, table));
      SL_TRY(commit_silver(lake, table, current, current->files, batch_named(part1_rows, table), next,
                           "REFRESH SILVER"));
    }
  }
  auto keep = [](SilverFileWriter& writer) {
    return [&writer](columnar::RecordBatch rows) { return writer.append(rows); };
  };
  if (!rebuild.activities.empty()) {
    SL_ASSIGN_OR_RETURN(auto current, silver_snapshot(lake, "activities"));
    SL_ASSIGN_OR_RETURN(
        auto held,
        files_holding_keys(
            lake, "activities", *current, "activity_id",
            [&](const delta::Add& f) {
              return !stats_exclude_keys(f, "activity_id", rebuild.activities);
            },
            [&](const columnar::Column& key, size_t r) {
              return std::binary_search(rebuild.activities.begin(), rebuild.activities.end(),
                                        key.i64[r]);
            },
            keep(activity_files)));
    if (activity_files.rows() > 0 || !held.empty())
      SL_TRY(activity_files.commit_replacing(current, std::move(held), next,
                                             "REFRESH SILVER (incremental)"));
  }
  SL_ASSIGN_OR_RETURN(auto issues_now, silver_snapshot(lake, "dq_issues"));
  SL_ASSIGN_OR_RETURN(
      auto replaced,
      files_holding_keys(
          lake, "dq_issues", *issues_now, "row_key",
          [&](const delta::Add& f) { return activity_findings_may_hold(f, rebuild); },
          [&](const columnar::Column& key, size_t r) {
            return rebuild.rebuilds_findings_of(key.string_at(r));
          },
          keep(issue_files)));
  if (small_changed) {
    for (const auto& f : issues_now->files) {
      auto p = f.partition_values.find("table_name");
      if (p == f.partition_values.end() || p->second != "activities") replaced.push_back(f);
    }
    SL_TRY(issue_files.append(batch_named(part1_rows, "dq_issues")));
  }
  SL_TRY(issue_files.commit_replacing(issues_now, std::move(replaced), next,
                                      "REFRESH SILVER (incremental)"));
  spdlog::info(
      "refresh: incremental Silver: {} Bronze changes read, employees {}, {} activities rebuilt",
      result.bronze_changes, result.employees_rebuilt ? "rebuilt" : "unchanged",
      result.activities_rebuilt);
  return result;
}

}  // namespace sl::lakehouse
