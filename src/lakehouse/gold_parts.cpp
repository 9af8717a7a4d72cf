// Gold's parts per Silver activities partition: used while their fingerprint matches Silver's
// files, recomputed from those files otherwise.
#include "lakehouse/gold_parts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "common/fnv1a.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/silver_store.hpp"

namespace sl::lakehouse {

namespace {

constexpr std::string_view k_wellbeing_parts = "gold_wellbeing_parts";
constexpr std::string_view k_monthly_parts = "gold_monthly_parts";
constexpr std::string_view k_fingerprint_column = "silver_files";

// month (1-12) → the fingerprint of its live Silver activity files, months with files only.
std::map<int, int64_t> month_fingerprints(const delta::Snapshot& activities, int year) {
  std::map<int, int64_t> out;
  for (int month = 1; month <= 12; ++month)
    if (auto files = files_of_month(activities, year, month); !files.empty())
      out[month] = silver_files_fingerprint(files);
  return out;
}

// The months of `year` that a parts table holds files of.
std::set<int> months_held(const std::optional<delta::Snapshot>& parts, int year) {
  std::set<int> out;
  if (!parts) return out;
  for (int month = 1; month <= 12; ++month)
    if (!files_of_month(*parts, year, month).empty()) out.insert(month);
  return out;
}

// Does every file of `month` in `parts` carry `fingerprint` (and is there one, if `needed`)?
bool parts_match(const std::optional<delta::Snapshot>& parts, int year, int month,
                 int64_t fingerprint, bool needed) {
  if (!parts) return false;
  const auto files = files_of_month(*parts, year, month);
  if (files.empty()) return !needed;
  return std::all_of(files.begin(), files.end(), [&](const delta::Add& f) {
    return file_constant(f, k_fingerprint_column) == fingerprint;
  });
}

// One commit per parts table: the files of `replaced` months removed, the parts of `written`
// months (month → fingerprint) added; nothing when neither has any.
Status commit_parts(const delta::Lake& lake, const YearActivities& activities,
                    const std::map<int, int64_t>& written, const std::set<int>& replaced) {
  const auto& specs = silver_specs();
  auto commit = [&](std::string_view table, columnar::RecordBatch rows) -> Status {
    SL_ASSIGN_OR_RETURN(auto current, silver_snapshot(lake, table));
    std::vector<delta::Add> removed;
    if (current)
      for (int month : replaced)
        for (auto& f : files_of_month(*current, activities.year(), month))
          removed.push_back(std::move(f));
    if (current && removed.empty() && rows.num_rows == 0) return {};
    return commit_silver(lake, table, current, removed, std::move(rows), {}, "REFRESH GOLD PARTS");
  };
  // The well-being parts first: a refresh stopped between the two commits leaves the monthly
  // parts of the months written with their old fingerprint, so those months are recomputed.
  std::vector<WellbeingPart> wellbeing;
  for (const auto& [month, fingerprint] : written) {
    auto rows = activities.wellbeing_parts(month, fingerprint);
    wellbeing.insert(wellbeing.end(), rows.begin(), rows.end());
  }
  SL_TRY(commit(k_wellbeing_parts, record_batch(specs.gold_wellbeing_parts,
                                                std::span<const WellbeingPart>(wellbeing))));
  wellbeing = {};
  std::vector<MonthlyPart> monthly;
  for (const auto& [month, fingerprint] : written) {
    auto rows = activities.monthly_parts(month, fingerprint);
    monthly.insert(monthly.end(), rows.begin(), rows.end());
  }
  return commit(k_monthly_parts, record_batch(specs.gold_monthly_parts,
                                              std::span<const MonthlyPart>(monthly)));
}

// The parts of `files` (of a parts table) given to `into`.
Status add_wellbeing_parts(const delta::Lake& lake, const delta::Snapshot& parts,
                           std::vector<delta::Add> files, YearActivities& into) {
  using columnar::TypeId;
  return for_each_silver_file(
      lake, k_wellbeing_parts, parts, std::move(files),
      {"start_year", "start_month", "employee_id", "activities", "first_activity",
       "last_activity"},
      {}, [&](const columnar::RecordBatch& b) -> Status {
        SL_ASSIGN_OR_RETURN(auto year, silver_column(b, "start_year", TypeId::int32));
        SL_ASSIGN_OR_RETURN(auto month, silver_column(b, "start_month", TypeId::int32));
        SL_ASSIGN_OR_RETURN(auto employee, silver_column(b, "employee_id", TypeId::int64));
        SL_ASSIGN_OR_RETURN(auto count, silver_column(b, "activities", TypeId::int32));
        SL_ASSIGN_OR_RETURN(auto first, silver_column(b, "first_activity", TypeId::timestamp_us));
        SL_ASSIGN_OR_RETURN(auto last, silver_column(b, "last_activity", TypeId::timestamp_us));
        for (size_t r = 0; r < b.num_rows; ++r)
          into.add(WellbeingPart{year->i32[r], month->i32[r], employee->i64[r], count->i32[r],
                                 first->i64[r], last->i64[r], 0});
        return {};
      });
}

Status add_monthly_parts(const delta::Lake& lake, const delta::Snapshot& parts,
                         std::vector<delta::Add> files, YearActivities& into) {
  using columnar::TypeId;
  return for_each_silver_file(
      lake, k_monthly_parts, parts, std::move(files),
      {"start_year", "start_month", "sport_type", "activities", "distance_mm", "moving_s"}, {},
      [&](const columnar::RecordBatch& b) -> Status {
        SL_ASSIGN_OR_RETURN(auto year, silver_column(b, "start_year", TypeId::int32));
        SL_ASSIGN_OR_RETURN(auto month, silver_column(b, "start_month", TypeId::int32));
        SL_ASSIGN_OR_RETURN(auto sport, silver_column(b, "sport_type", TypeId::string));
        SL_ASSIGN_OR_RETURN(auto count, silver_column(b, "activities", TypeId::int64));
        SL_ASSIGN_OR_RETURN(auto distance, silver_column(b, "distance_mm", TypeId::int64));
        SL_ASSIGN_OR_RETURN(auto moving, silver_column(b, "moving_s", TypeId::int64));
        for (size_t r = 0; r < b.num_rows; ++r)
          into.add(MonthlyPart{year->i32[r], month->i32[r], std::string(sport->string_at(r)),
                               count->i64[r], distance->i64[r], moving->i64[r], 0});
        return {};
      });
}

}  // namespace

int64_t silver_files_fingerprint(const std::vector<delta::Add>& files) {
  std::vector<std::string_view> paths;
  paths.reserve(files.size());
  for (const auto& f : files) paths.push_back(f.path);
  std::sort(paths.begin(), paths.end());
  uint64_t h = fnv1a("");
  for (auto path : paths) h = fnv1a("\n", fnv1a(path, h));
  return static_cast<int64_t>(h >> 1);
}

Result<YearActivities> year_activities(const delta::Lake& lake, int year,
                                       GoldPartsReport* report) {
  YearActivities out(year);
  SL_ASSIGN_OR_RETURN(auto activities, silver_snapshot(lake, "activities"));
  if (!activities) return out;
  if (activities->metadata.partition_columns != silver_partition_columns("activities")) {
    // Written before Silver's layout (its next commit rewrites it): the year read whole, no parts.
    SL_TRY(add_silver_activities(lake, *activities, activities->files, out,
                                 {{"start_year", delta::Predicate::Op::eq, std::to_string(year)}}));
    for (int month = 1; month <= 12 && report; ++month) report->months_recomputed.push_back(month);
    return out;
  }
  SL_ASSIGN_OR_RETURN(auto wellbeing, silver_snapshot(lake, k_wellbeing_parts));
  SL_ASSIGN_OR_RETURN(auto monthly, silver_snapshot(lake, k_monthly_parts));
  const auto fingerprints = month_fingerprints(*activities, year);
  std::vector<delta::Add> kept_wellbeing, kept_monthly, recomputed_files;
  std::map<int, int64_t> recomputed;
  std::set<int> replaced;
  for (const auto& [month, fingerprint] : fingerprints) {
    // Every month with activities has monthly parts; its well-being parts may be none (only
    // commutes).
    if (parts_match(monthly, year, month, fingerprint, true) &&
        parts_match(wellbeing, year, month, fingerprint, false)) {
      for (auto& f : files_of_month(*wellbeing, year, month)) kept_wellbeing.push_back(std::move(f));
      for (auto& f : files_of_month(*monthly, year, month)) kept_monthly.push_back(std::move(f));
      if (report) report->months_kept.push_back(month);
      continue;
    }
    recomputed[month] = fingerprint;
    replaced.insert(month);
    for (auto& f : files_of_month(*activities, year, month))
      recomputed_files.push_back(std::move(f));
    if (report) report->months_recomputed.push_back(month);
  }
  // Parts of months whose activities are all gone.
  for (const auto* parts : {&wellbeing, &monthly})
    for (int month : months_held(*parts, year))
      if (!fingerprints.contains(month)) replaced.insert(month);
  // Each step's time at debug level (README "Gold's parts").
  using Clock = std::chrono::steady_clock;
  auto step = Clock::now();
  auto lap = [&step] {
    const auto now = Clock::now();
    return std::chrono::duration<double>(now - std::exchange(step, now)).count();
  };
  if (!kept_wellbeing.empty())
    SL_TRY(add_wellbeing_parts(lake, *wellbeing, std::move(kept_wellbeing), out));
  if (!kept_monthly.empty())
    SL_TRY(add_monthly_parts(lake, *monthly, std::move(kept_monthly), out));
  const double parts_read = lap();
  SL_TRY(add_silver_activities(lake, *activities, std::move(recomputed_files), out));
  const double activities_read = lap();
  SL_TRY(commit_parts(lake, out, recomputed, replaced));
  spdlog::debug("refresh: Gold's parts read in {:.3f} s, activities read back in {:.3f} s, parts "
                "written in {:.3f} s",
                parts_read, activities_read, lap());
  return out;
}

Status write_gold_parts(const delta::Lake& lake, const YearActivities& activities) {
  SL_ASSIGN_OR_RETURN(auto silver, silver_snapshot(lake, "activities"));
  const auto fingerprints =
      silver ? month_fingerprints(*silver, activities.year()) : std::map<int, int64_t>{};
  std::set<int> every_month;
  for (int month = 1; month <= 12; ++month) every_month.insert(month);
  return commit_parts(lake, activities, fingerprints, every_month);
}

}  // namespace sl::lakehouse
