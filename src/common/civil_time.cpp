// Civil-date algorithms (days ⇄ year/month/day after H. Hinnant's public-domain derivation),
// formatting and parsing of ISO-8601 dates and timestamps.
#include "common/civil_time.hpp"

#include <cstdio>

namespace sl {

int64_t days_from_civil(const CivilDate& d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t mp = (d.month + 9) % 12;  // March = 0
  int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t days) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

std::string format_date(int64_t days) {
  auto d = civil_from_days(days);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d", static_cast<long long>(d.year), d.month,
                d.day);
  return buffer;
}

namespace {
std::string format_time_of_day(int64_t micros, int fraction_digits, char separator, bool zone) {
  int64_t days = floor_div(micros, 86'400'000'000LL);
  int64_t in_day = micros - days * 86'400'000'000LL;
  int64_t seconds = in_day / 1'000'000;
  int64_t fraction = in_day % 1'000'000;
  char buffer[64];
  int n = std::snprintf(
      buffer, sizeof buffer, "%s%c%02lld:%02lld:%02lld", format_date(days).c_str(), separator,
      static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
      static_cast<long long>(seconds % 60));
  if (fraction_digits == 3) {
    n += std::snprintf(buffer + n, sizeof buffer - n, ".%03lld",
                       static_cast<long long>(fraction / 1000));
  } else if (fraction_digits == 6) {
    n += std::snprintf(buffer + n, sizeof buffer - n, ".%06lld", static_cast<long long>(fraction));
  }
  std::string out(buffer, static_cast<size_t>(n));
  if (zone) out += 'Z';
  return out;
}
}  // namespace

std::string format_timestamp_ms(int64_t micros) {
  return format_time_of_day(micros, 3, 'T', true);
}

std::string format_timestamp_us(int64_t micros, char separator, bool zone) {
  return format_time_of_day(micros, 6, separator, zone);
}

namespace {
bool digits(std::string_view s, size_t pos, size_t count, int64_t& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<int64_t> parse_date(std::string_view s) {
  int64_t y, m, d;
  if (s.size() != 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' ||
      !digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int k_month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > k_month_days[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  return days_from_civil({y, static_cast<int>(m), static_cast<int>(d)});
}

std::optional<int64_t> parse_timestamp(std::string_view s) {
  auto date = parse_date(s.substr(0, std::min<size_t>(s.size(), 10)));
  if (!date) return std::nullopt;
  int64_t micros = *date * 86'400'000'000LL;
  size_t pos = 10;
  if (pos == s.size()) return micros;
  if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
  int64_t hh, mm, ss = 0;
  if (!digits(s, pos + 1, 2, hh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
      !digits(s, pos + 4, 2, mm) || hh > 23 || mm > 59) {
    return std::nullopt;
  }
  pos += 6;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, ss) || ss > 59) return std::nullopt;
    pos += 3;
  }
  micros += ((hh * 60 + mm) * 60 + ss) * 1'000'000;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t fraction = 0;
    int count = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (count < 6) fraction = fraction * 10 + (s[pos] - '0'), ++count;
      ++pos;
    }
    if (count == 0) return std::nullopt;
    while (count++ < 6) fraction *= 10;
    micros += fraction;
  }
  if (pos == s.size()) return micros;
  if (s[pos] == 'Z' && pos + 1 == s.size()) return micros;
  if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
    int64_t oh, om;
    if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om)) return std::nullopt;
    int64_t offset = (oh * 60 + om) * 60'000'000;
    return s[pos] == '+' ? micros - offset : micros + offset;
  }
  return std::nullopt;
}

}  // namespace sl
