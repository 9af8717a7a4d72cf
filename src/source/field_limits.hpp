// The limits every field of the HR files and of an activity must respect, in one place, and the
// pure checks that apply them (no IO; "today" is a parameter).
//
// Why limits at all: a value PostgreSQL accepts can still break what comes after it. A
// 3,000-character address passes `text` but not the `distance_cache` primary-key index (btree
// entries hold at most ~2,700 bytes); a salary of NaN passes `double` but turns every bonus total
// into NaN. `load` refuses such rows with `file:line: field: reason`, and the jobs downstream
// never see them. The README of the module lists these limits; change them here only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "source/activity_generator.hpp"

namespace sl::source::limits {

// Text: at most this many characters (Unicode code points, after trimming spaces), and no
// control character (U+0000..U+001F, U+007F..U+009F: NUL, tab, line breaks...).
inline constexpr size_t k_name_chars = 100;           // Nom, Prénom
inline constexpr size_t k_business_unit_chars = 100;  // BU
inline constexpr size_t k_contract_chars = 50;        // Type de contrat
// The address is the key of the distance cache (with the workplace, mode and provider): 500
// characters are 2,000 bytes at most in UTF-8, well under the btree limit, and 8× the longest
// address of the sample (60).
inline constexpr size_t k_address_chars = 500;
inline constexpr size_t k_sport_chars = 100;  // Pratique d'un sport

// Employee id: 1 .. 2^53 - 1, so that it stays exact in JSON, JavaScript and `double` readers.
inline constexpr int64_t k_max_id = (int64_t{1} << 53) - 1;

// Gross annual salary: a plain decimal number (decimal comma or point, at most 2 decimals, spaces
// as thousands separators), 0 .. 10,000,000 €; NaN, infinities and exponents are refused.
inline constexpr int64_t k_max_salary_cents = int64_t{10'000'000} * 100;

// Paid-leave days a year: 0 .. 100 (France: 25 working days by law, more by agreement).
inline constexpr int64_t k_max_paid_leave_days = 100;

// Dates: born on or after 1900-01-01 and at least 14 years before today (the minimum working age
// in France, for apprentices); hired from the 14th birthday on, and at most 366 days ahead of
// today (a contract signed in advance).
inline constexpr int k_min_birth_year = 1900;
inline constexpr int k_min_working_age_years = 14;
inline constexpr int64_t k_max_hire_ahead_days = 366;

// Activities (`strava_activities`, written by `sportlake simulate` or by the Strava sync):
inline constexpr size_t k_activity_name_chars = 255;
inline constexpr size_t k_activity_type_chars = 50;               // type, sport_type
inline constexpr double k_max_activity_distance_m = 1'000'000.0;  // 1,000 km
inline constexpr int64_t k_max_activity_seconds = 7 * 86'400;     // moving and elapsed: a week
inline constexpr double k_max_elevation_gain_m = 20'000.0;
inline constexpr double k_max_calories = 50'000.0;
inline constexpr int64_t k_max_utc_offset_s = 14 * 3600;  // UTC-14:00 .. UTC+14:00
inline constexpr int k_min_activity_year = 2000;          // start date, up to a day ahead of now
inline constexpr int64_t k_max_activity_ahead_s = 86'400;

// Today (UTC) in days since 1970-01-01, from the system clock: the default "today" of the checks.
int64_t today_utc_days();

// nullopt when `value` respects the text limits, else the reason ("is 3000 characters long (at
// most 500)", "contains a NUL byte (U+0000) at character 4").
std::optional<std::string> check_text(std::string_view value, size_t max_chars);

// A gross salary in cents, or the reason it is refused.
struct Money {
  std::optional<int64_t> cents;
  std::string reason;  // when !cents, e.g. "'NaN' is not a finite amount"
};
Money parse_money(std::string_view text);

// Date checks on days since 1970-01-01; nullopt when within the limits.
std::optional<std::string> check_birth_date(int64_t birth_days, int64_t today_days);
std::optional<std::string> check_hire_date(int64_t hire_days, int64_t birth_days,
                                           int64_t today_days);

// The first field of an activity outside its limits ("distance_m", "is -5, not in 0..1000000").
struct FieldProblem {
  std::string field;
  std::string reason;
};
std::optional<FieldProblem> check_activity(const Activity& activity, int64_t now_utc_s);

}  // namespace sl::source::limits
