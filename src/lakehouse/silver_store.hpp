// Silver on the lake: its layout, its watermarks, commits that replace chosen files, and the
// reads back that an incremental refresh and Gold need.
//
// Layout (why: README "Incremental refresh"):
//   employees, commutes   unpartitioned (one row per employee), rewritten whole when they change
//   activities            partitioned by start_year / start_month, rows sorted by activity_id
//   dq_issues             partitioned by table_name, rows sorted by row_key
// At most `k_silver_rows_per_file` rows per file, so a changed key rewrites at most that many.
//
// Watermarks: every Silver commit carries the txn actions of the refresh that wrote it —
// "sportlake-silver:<bronze table>" at the Bronze version consumed, "sportlake-silver:checked_at"
// (µs: the time of the not-in-future check) and "sportlake-silver:settings" (a fingerprint of
// what else Silver depends on: rules, destination, gazetteer). dq_issues is committed last, so
// its txns say what the whole of Silver has consumed; a refresh interrupted before it is redone
// from the previous watermarks, which is harmless (rows are rebuilt from the current state, not
// applied as deltas).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "lakehouse/gold_build.hpp"
#include "lakehouse/silver_model.hpp"

namespace sl::lakehouse {

inline constexpr size_t k_silver_rows_per_file = 100'000;
inline constexpr std::string_view k_silver_app = "sportlake-silver:";
inline constexpr std::string_view k_checked_at = "checked_at";
inline constexpr std::string_view k_settings = "settings";

std::vector<std::string> silver_partition_columns(std::string_view table);
std::string silver_sort_column(std::string_view table);  // "" = kept in build order

// name (a Bronze table, checked_at, settings) → version.
using Watermarks = std::map<std::string, int64_t>;

// The watermarks of Silver (from dq_issues); empty when Silver was never refreshed.
Result<Watermarks> read_watermarks(const delta::Lake& lake);

// A Silver table's latest snapshot, nullopt when it does not exist.
Result<std::optional<delta::Snapshot>> silver_snapshot(const delta::Lake& lake,
                                                       std::string_view table);

// A data file's rows, from its stats' numRecords (nullopt without stats).
std::optional<int64_t> file_records(const delta::Add& file);
// The value an int64 column holds in every row of a data file, from its stats (minValues equal
// to maxValues); nullopt otherwise or without stats.
std::optional<int64_t> file_constant(const delta::Add& file, std::string_view column);
// The live files of a table partitioned by start_year / start_month filed under (year, month).
std::vector<delta::Add> files_of_month(const delta::Snapshot& snapshot, int year, int month);

// Rows written as data files of a Silver table (partitioned, sorted by the table's key, at most
// k_silver_rows_per_file rows a file), not committed yet: the full refresh writes its rows as it
// builds them and commits them all at once (commit_silver_files).
Result<std::vector<delta::Add>> write_silver_files(const delta::Lake& lake, std::string_view table,
                                                   columnar::RecordBatch rows);
// One commit replacing `replaced` by `added` (written by write_silver_files, with `schema`).
Status commit_silver_files(const delta::Lake& lake, std::string_view table,
                           const std::optional<delta::Snapshot>& current,
                           std::vector<delta::Add> replaced, std::vector<delta::Add> added,
                           const std::vector<columnar::Field>& schema,
                           const Watermarks& watermarks, const std::string& operation);
// One commit: remove `replaced` (files of `current`), add `rows` (sorted and split by the
// layout; small files of the partitions written merged in: SilverFileWriter::commit_replacing),
// set the watermarks. The table is created, or its layout changed (a table written before this
// layout), as needed.
Status commit_silver(const delta::Lake& lake, std::string_view table,
                     const std::optional<delta::Snapshot>& current,
                     const std::vector<delta::Add>& replaced, columnar::RecordBatch rows,
                     const Watermarks& watermarks, const std::string& operation);

// The live files of `snapshot` accepted by `candidate` that hold a row whose `key_column` value
// is `rebuilt`; the other rows of each such file (to write back) are handed to `keep` as the
// file is read, so one file's rows are held at a time.
Result<std::vector<delta::Add>> files_holding_keys(
    const delta::Lake& lake, std::string_view table, const delta::Snapshot& snapshot,
    const std::string& key_column, const std::function<bool(const delta::Add&)>& candidate,
    const std::function<bool(const columnar::Column&, size_t row)>& rebuilt,
    const std::function<Status(columnar::RecordBatch)>& keep);

// A table's rows, from its files' stats (0 when it does not exist).
Result<size_t> silver_row_count(const delta::Lake& lake, std::string_view table);

// Reads back (the typed rows as silver_build made them).
Result<std::unordered_set<int64_t>> silver_employee_ids(const delta::Lake& lake);
// (activity, employee) of Silver's activities whose employee is in `employees`.
Result<std::vector<std::pair<int64_t, int64_t>>> silver_activities_of(
    const delta::Lake& lake, const std::set<int64_t>& employees);
// (row_key, employee_id) of the findings of table `activities` whose employee is in `employees`.
Result<std::vector<std::pair<std::string, int64_t>>> silver_activity_findings_of(
    const delta::Lake& lake, const std::set<int64_t>& employees);
// `files` (live files of `snapshot`, a Silver table) read a data file at a time — decoded on
// every core, a few files ahead of `on_file` — only `columns`, rows kept by `filters`.
Status for_each_silver_file(const delta::Lake& lake, std::string_view table,
                            const delta::Snapshot& snapshot, std::vector<delta::Add> files,
                            const std::vector<std::string>& columns,
                            const std::vector<delta::Predicate>& filters,
                            const std::function<Status(const columnar::RecordBatch&)>& on_file);
// Column `name` of a batch read from a Silver table, of the type its spec writes.
Result<const columnar::Column*> silver_column(const columnar::RecordBatch& rows,
                                             std::string_view name, columnar::TypeId type);

// The activities of `files` (live files of `snapshot`, Silver's activities) given to `into`, a
// data file at a time and only the columns Gold uses (no Activity built per row).
Status add_silver_activities(const delta::Lake& lake, const delta::Snapshot& snapshot,
                             std::vector<delta::Add> files, YearActivities& into,
                             const std::vector<delta::Predicate>& filters = {});
// Silver activities given as columns (lake_tables' activities spec, at least the columns Gold
// uses, and `start_year` when `this_year_only`: the other years' rows then skipped) to `into`.
Status add_activity_columns(const columnar::RecordBatch& activities, YearActivities& into,
                            bool this_year_only);
// Silver findings given as columns (their `severity`) counted as Gold counts them.
Status count_finding_columns(const columnar::RecordBatch& issues, FindingCounts& into);
// What Gold of `year` reads besides the activities (gold_parts.hpp, year_activities): every
// employee and commute, and the findings' severities as Gold counts them, read a data file at a
// time, only the columns Gold uses (README "Refresh memory").
Result<GoldInputs> read_silver_for_gold(const delta::Lake& lake, int year);

}  // namespace sl::lakehouse
