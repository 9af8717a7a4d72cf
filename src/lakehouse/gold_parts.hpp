// Gold's parts on the lake: what Gold of a year reads of Silver's activities, kept per Silver
// activities partition (a month of local start dates) in two Silver tables partitioned the same
// way — `gold_wellbeing_parts` (per month and employee: counted activities, first, last) and
// `gold_monthly_parts` (per month and sport: activities, mm, seconds) — so that Gold's rebuild
// reads back only the months whose Silver files changed, and takes the others' parts (~one row
// per employee and month) instead of their activities (README "Gold's parts").
//
// Never out of step with Silver: every part row carries the fingerprint of its partition's live
// Silver activity files when it was computed (`silver_files`); a month's parts are used only if
// both tables' files of that month carry the fingerprint of the files live now. Whatever wrote
// Silver (the incremental step, a full rebuild, a refresh killed half-way), a month whose files
// moved is recomputed from them, and no watermark has to be kept in step.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "delta/lake.hpp"
#include "delta/snapshot.hpp"
#include "lakehouse/gold_build.hpp"

namespace sl::lakehouse {

// The fingerprint of a partition's live files: a hash of their sorted paths (a data file is
// never rewritten in place: a change to the partition's rows is a change of its files).
int64_t silver_files_fingerprint(const std::vector<delta::Add>& files);

struct GoldPartsReport {
  std::vector<int> months_recomputed;  // read back from Silver's activities, parts rewritten
  std::vector<int> months_kept;        // taken from their parts
};

// Gold's activities of `year`: each month's parts when they match Silver's files, otherwise the
// month's activities read back from Silver, and its parts rewritten (one commit per parts table,
// months without activities any more dropped).
Result<YearActivities> year_activities(const delta::Lake& lake, int year,
                                       GoldPartsReport* report = nullptr);

// After Silver's activities were rebuilt whole: the parts of every month of `activities`' year,
// from what the full refresh kept, replacing the year's previous parts.
Status write_gold_parts(const delta::Lake& lake, const YearActivities& activities);

}  // namespace sl::lakehouse
