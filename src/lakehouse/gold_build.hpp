// Silver → Gold for one year: the sport bonus and the well-being days of every employee (with
// the reason of each decision), the year's KPIs overall and by business unit, and activities
// per month and sport; the distribution of sporty commute distances (1 km bins) and of how many
// activities employees are short of the well-being days, so the dashboard's viewer role draws
// them without per-employee rows (both written to the lake only, not published). Pure: the same Silver, rules and year always give the same Gold, so any
// past year can be recomputed under any rule set.
//
// Who is counted in year Y: every employee of Silver hired before the end of Y (the HR file has
// no departure date: a departure is a delete in the source, gone from Silver). The bonus uses
// the current salary, mode and address (the HR file keeps no history of them); well-being counts
// the activities whose local start date falls in Y.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lakehouse/silver_model.hpp"
#include "rewards/rules.hpp"
#include "rewards/wellbeing.hpp"

namespace sl::lakehouse {

// Silver's findings as Gold's KPIs count them.
struct FindingCounts {
  int64_t errors = 0;
  int64_t warnings = 0;
  void add(const DqIssue& issue) { add(issue.severity); }
  void add(std::string_view severity) {
    errors += severity == "error";
    warnings += severity == "warning";
  }
};

// What Gold needs of Silver's activities, taken one activity at a time: per employee a well-being
// tally, per sport the totals, each per month of the activities' local start date — the
// partition Silver files them under (start_year/start_month) — so that a month's part can be
// kept (gold_parts.hpp) and the parts of unchanged months taken back instead of their
// activities. Tens of bytes per employee, not per activity: the full refresh feeds it while it
// builds Silver, so Silver's activities need not stay in memory until Gold is built. Each
// activity is to be given once (Silver's rows are unique by id), a month either as activities or
// as its parts.
class YearActivities {
 public:
  explicit YearActivities(int year) : year_(year) {}
  int year() const { return year_; }
  // A Silver activity held as a row (Activity: build_gold over a Silver held whole).
  template <class Text>
  void add(const ActivityOf<Text>& a) {
    add(a.activity_id, a.employee_id, a.start_date_local_us, a.commute, a.sport_type,
        a.distance_m.value_or(0), a.moving_time_s.value_or(a.elapsed_time_s.value_or(0)));
  }
  // The same from an activity's columns (silver_store.hpp, add_activity_columns: the incremental
  // refresh reads Silver back as columns, the full one reads each piece's as it writes them; no
  // Activity and no string built per row).
  void add(int64_t activity_id, int64_t employee_id, std::optional<int64_t> start_local_us,
           bool commute, std::string_view sport_type, double distance_m, int64_t moving_s);
  // A month's parts, as kept, taken back (their `start_year` is this year) instead of its
  // activities.
  void add(const WellbeingPart& part);
  void add(const MonthlyPart& part);
  // The parts of `month` (1-12) from the activities added, `silver_files` set to `fingerprint`
  // (to be kept: the months whose activities were added, not those taken back as parts).
  std::vector<WellbeingPart> wellbeing_parts(int month, int64_t fingerprint) const;
  std::vector<MonthlyPart> monthly_parts(int month, int64_t fingerprint) const;

 private:
  friend Gold build_gold(const std::vector<Employee>&, const std::vector<Commute>&,
                         const YearActivities&, const FindingCounts&, int,
                         const rewards::RewardRules&);
  // Hashes a sport's text without building a string (C++20 heterogeneous lookup).
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Totals {
    int64_t activities = 0;
    int64_t distance_mm = 0;
    int64_t moving_s = 0;
  };
  // Slots of `tallies_`: months 1-12 at 0-11, then the parts taken back.
  static constexpr size_t k_parts_slot = 12;
  rewards::WellbeingTally& tally(size_t slot, int64_t employee_id);
  Totals& totals_of(std::string_view sport_type, int month);

  int year_;
  // What the well-being decision needs (Silver gives each activity once), not the activities:
  // per slot (a month's activities, or the parts taken back) a tally per employee, 24 B, in a
  // vector by the employee's index — one month's activities touch one vector (2.4 MB at 100,000
  // employees, cache-friendly), a slot is allocated when first used (an incremental refresh:
  // the parts' and one or two months').
  // An employee's index: by its id in a vector for the small non-negative ids sources use (one
  // load, where the hash map took a cache miss or two: a sixth of the full refresh's builder
  // thread at 5M), in a hash map for the others.
  static constexpr int64_t k_dense_ids = int64_t{1} << 20;  // 4 MiB of indices at most
  uint32_t employee_index(int64_t employee_id);  // given one when first seen
  std::optional<uint32_t> employee_index_of(int64_t employee_id) const;
  std::vector<uint32_t> dense_index_;  // id → index + 1, 0: not seen
  std::unordered_map<int64_t, uint32_t> employee_index_;
  std::vector<int64_t> employee_ids_;  // by index
  std::array<std::vector<rewards::WellbeingTally>, 13> tallies_;
  // The monthly totals, [sport's index * 12 + month - 1], sports numbered as first seen: one hash
  // of the sport per activity, not a walk of a tree comparing strings (it was a sixth of the
  // incremental refresh's time at 10M). Sorted by (month, sport) when Gold is built.
  std::unordered_map<std::string, size_t, TextHash, std::equal_to<>> sport_index_;
  std::vector<std::string_view> sports_;  // by index (views of sport_index_'s keys)
  std::vector<Totals> monthly_;
};

// What Gold of one year reads of Silver, never Silver's activity or finding rows: the small
// tables (about one row per employee) whole, the activities and findings as Gold counts them.
// The full refresh fills it while it builds Silver; the incremental one reads it back from the
// lake one data file at a time (silver_store.hpp, read_silver_for_gold).
struct GoldInputs {
  explicit GoldInputs(int year) : activities(year) {}
  std::vector<Employee> employees;
  std::vector<Commute> commutes;
  YearActivities activities;
  FindingCounts findings;
};

Gold build_gold(const std::vector<Employee>& employees, const std::vector<Commute>& commutes,
                const YearActivities& activities, const FindingCounts& findings, int year,
                const rewards::RewardRules& rules);
Gold build_gold(const GoldInputs& in, int year, const rewards::RewardRules& rules);
// The same over a Silver held whole.
Gold build_gold(const Silver& silver, int year, const rewards::RewardRules& rules);

}  // namespace sl::lakehouse
