// The field limit checks (see field_limits.hpp for the limits and why).
#include "source/field_limits.hpp"

#include <cctype>
#include <chrono>
#include <cmath>
#include <fmt/core.h>

#include "common/civil_time.hpp"

namespace sl::source::limits {

namespace {

std::string describe_control(uint32_t cp) {
  std::string code = fmt::format("U+{:04X}", cp);
  switch (cp) {
    case 0x00:
      return "a NUL byte (" + code + ")";
    case 0x09:
      return "a tab (" + code + ")";
    case 0x0a:
      return "a line break (" + code + ")";
    case 0x0d:
      return "a carriage return (" + code + ")";
    default:
      return "a control character (" + code + ")";
  }
}

std::string iso(int64_t days) {
  return format_date(days);
}

// The same day `years` earlier or later (29 February becomes 28 February in a common year).
int64_t add_years(int64_t days, int years) {
  CivilDate date = civil_from_days(days);
  date.year += years;
  if (date.month == 2 && date.day == 29) {
    bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
    if (!leap) date.day = 28;
  }
  return days_from_civil(date);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

int64_t today_utc_days() {
  using namespace std::chrono;
  return floor<days>(system_clock::now()).time_since_epoch().count();
}

std::optional<std::string> check_text(std::string_view value, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    auto b = static_cast<uint8_t>(value[i]);
    if ((b & 0xc0) != 0x80) ++chars;  // a code point starts here
    std::optional<uint32_t> control;
    if (b < 0x20 || b == 0x7f) {
      control = b;
    } else if (b == 0xc2 && i + 1 < value.size()) {
      auto next = static_cast<uint8_t>(value[i + 1]);
      if (next >= 0x80 && next <= 0x9f) control = next;  // C1 controls, U+0080..U+009F
    }
    if (control) return "contains " + describe_control(*control) + " at character " +
                        std::to_string(chars);
  }
  if (chars > max_chars) {
    return "is " + std::to_string(chars) + " characters long (at most " +
           std::to_string(max_chars) + ")";
  }
  return std::nullopt;
}

Money parse_money(std::string_view text) {
  auto refuse = [&](std::string_view why) {
    return Money{std::nullopt, "'" + std::string(text) + "' " + std::string(why)};
  };
  // Spaces, no-break spaces (U+00A0) and narrow no-break spaces (U+202F) separate thousands.
  std::string cleaned;
  cleaned.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' || text[i] == '\t') continue;
    if (text.substr(i).starts_with("\xC2\xA0")) {
      i += 1;
      continue;
    }
    if (text.substr(i).starts_with("\xE2\x80\xAF")) {
      i += 2;
      continue;
    }
    cleaned.push_back(text[i]);
  }
  size_t i = 0;
  bool negative = false;
  if (i < cleaned.size() && (cleaned[i] == '+' || cleaned[i] == '-')) negative = cleaned[i++] == '-';
  std::string word;  // what follows the sign, lower case, when it is a word ("nan", "inf")
  for (size_t k = i; k < cleaned.size() && word.size() <= 8; ++k)
    word.push_back(static_cast<char>(std::tolower(static_cast<uint8_t>(cleaned[k]))));
  if (word == "nan" || word == "inf" || word == "infinity" || word == "∞")
    return refuse("is not a finite amount");
  const size_t int_start = i;
  while (i < cleaned.size() && is_digit(cleaned[i])) ++i;
  const std::string_view whole(cleaned.data() + int_start, i - int_start);
  std::string_view fraction;
  if (i < cleaned.size() && (cleaned[i] == ',' || cleaned[i] == '.')) {
    const size_t frac_start = ++i;
    while (i < cleaned.size() && is_digit(cleaned[i])) ++i;
    fraction = std::string_view(cleaned.data() + frac_start, i - frac_start);
    if (fraction.empty()) return refuse("is not a number");
  }
  if (whole.empty() || i != cleaned.size()) return refuse("is not a number");
  if (fraction.size() > 2) return refuse("has more than 2 decimals (cents)");
  if (negative && (whole.find_first_not_of('0') != std::string_view::npos ||
                   fraction.find_first_not_of('0') != std::string_view::npos)) {
    return refuse("is negative");
  }
  const size_t significant = whole.find_first_not_of('0');
  const std::string_view digits =
      significant == std::string_view::npos ? std::string_view() : whole.substr(significant);
  // Beyond ten digits of euros the amount is out of range anyway; ten fit in int64 cents.
  int64_t cents = 0;
  if (digits.size() <= 10) {
    for (char c : digits) cents = cents * 10 + (c - '0');
    cents *= 100;
    if (!fraction.empty())
      cents += (fraction[0] - '0') * 10 + (fraction.size() > 1 ? fraction[1] - '0' : 0);
  }
  if (digits.size() > 10 || cents > k_max_salary_cents)
    return refuse("is out of range (0 to " + std::to_string(k_max_salary_cents / 100) + " a year)");
  return {cents, ""};
}

std::optional<std::string> check_birth_date(int64_t birth_days, int64_t today_days) {
  const int64_t earliest = days_from_civil({k_min_birth_year, 1, 1});
  if (birth_days < earliest) return "is before " + iso(earliest);
  const int64_t latest = add_years(today_days, -k_min_working_age_years);
  if (birth_days > latest) {
    return "is less than " + std::to_string(k_min_working_age_years) + " years before today (" +
           iso(today_days) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> check_hire_date(int64_t hire_days, int64_t birth_days,
                                           int64_t today_days) {
  const int64_t working_age = add_years(birth_days, k_min_working_age_years);
  if (hire_days < working_age) {
    return "is before the employee's " + std::to_string(k_min_working_age_years) + "th birthday (" +
           iso(working_age) + ")";
  }
  if (hire_days > today_days + k_max_hire_ahead_days) {
    return "is more than " + std::to_string(k_max_hire_ahead_days) + " days after today (" +
           iso(today_days) + ")";
  }
  return std::nullopt;
}

std::optional<FieldProblem> check_activity(const Activity& a, int64_t now_utc_s) {
  auto range = [](std::string_view field, double value, double max) -> std::optional<FieldProblem> {
    if (std::isfinite(value) && value >= 0 && value <= max) return std::nullopt;
    return FieldProblem{std::string(field),
                        fmt::format("{} is not in 0..{}", value, static_cast<int64_t>(max))};
  };
  auto text = [](std::string_view field, std::string_view value,
                 size_t max) -> std::optional<FieldProblem> {
    if (auto reason = check_text(value, max)) return FieldProblem{std::string(field), *reason};
    return std::nullopt;
  };
  if (a.activity_id <= 0 || a.activity_id > k_max_id)
    return FieldProblem{"activity_id", std::to_string(a.activity_id) + " is not a positive id"};
  if (a.employee_id <= 0 || a.employee_id > k_max_id)
    return FieldProblem{"employee_id", std::to_string(a.employee_id) + " is not a positive id"};
  for (const auto& problem :
       {text("name", a.name, k_activity_name_chars),
        text("type", a.type, k_activity_type_chars),
        text("sport_type", a.sport_type, k_activity_type_chars),
        text("timezone", a.timezone, k_activity_type_chars),
        range("distance_m", a.distance_m, k_max_activity_distance_m),
        range("moving_time_s", a.moving_time_s, static_cast<double>(k_max_activity_seconds)),
        range("elapsed_time_s", a.elapsed_time_s, static_cast<double>(k_max_activity_seconds)),
        range("total_elev_gain_m", a.total_elev_gain_m, k_max_elevation_gain_m),
        range("calories", a.calories, k_max_calories)}) {
    if (problem) return problem;
  }
  if (a.utc_offset_s < -k_max_utc_offset_s || a.utc_offset_s > k_max_utc_offset_s)
    return FieldProblem{"utc_offset_s", std::to_string(a.utc_offset_s) + " is beyond ±14 h"};
  const int64_t start_s = floor_div(a.start_utc_us, 1'000'000);
  const int64_t earliest_s = days_from_civil({k_min_activity_year, 1, 1}) * 86'400;
  if (start_s < earliest_s || start_s > now_utc_s + k_max_activity_ahead_s) {
    return FieldProblem{"start_date_utc", format_timestamp_us(a.start_utc_us) +
                                              " is not between " + iso(earliest_s / 86'400) +
                                              " and a day after now"};
  }
  return std::nullopt;
}

}  // namespace sl::source::limits
