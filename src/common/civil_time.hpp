// Calendar arithmetic on days and microseconds since 1970-01-01 (proleptic Gregorian, UTC),
// without time zones or libc: dates and timestamps as the lake stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sl {

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

int64_t days_from_civil(const CivilDate& date);
CivilDate civil_from_days(int64_t days);

// "2025-01-31".
std::string format_date(int64_t days);
// "2025-01-31T08:30:00.123Z" (milliseconds, truncated toward the past) or with `micros` digits
// "2025-01-31T08:30:00.123456Z"; `separator` ' ' gives "2025-01-31 08:30:00.123456".
std::string format_timestamp_ms(int64_t micros_since_epoch);
std::string format_timestamp_us(int64_t micros_since_epoch, char separator = 'T', bool zone = true);

// "YYYY-MM-DD" → days; nullopt when not a valid date.
std::optional<int64_t> parse_date(std::string_view text);
// "YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|±HH:MM]" → micros since epoch (UTC; an offset is
// applied, no zone means UTC). nullopt when not valid.
std::optional<int64_t> parse_timestamp(std::string_view text);

// Floor division for negative times (e.g. micros → ms before 1970).
constexpr int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace sl
