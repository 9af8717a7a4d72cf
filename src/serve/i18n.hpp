// The dashboard's two languages: French by default, English with `?lang=en` or a browser whose
// Accept-Language prefers English. Every text a page or an error shows goes through `tr` (one
// table, i18n.cpp, a line per key with both languages), every number, date and amount through
// the formatters below, so a page never mixes "1 234,50 €" and "1,234.50".
#pragma once

#include <fmt/core.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace sl::serve {

enum class Lang { fr, en };

// "fr" / "en" (the value of <html lang> and of `?lang=`).
std::string_view lang_code(Lang lang);

// The request's language: `lang_param` ("fr" or "en", any case) wins; otherwise the first of
// fr/en in `accept_language` by its q-values (RFC 9110 §12.5.4: "en-GB;q=0.9, fr;q=0.8"; a
// region counts for its language, q=0 excludes); otherwise French. Never fails: an unknown or
// malformed value is ignored.
Lang choose_lang(std::string_view lang_param, std::string_view accept_language);

// The text of `key` in `lang`; the key itself when the table has no such key (a missing
// translation shows, it does not crash).
std::string_view tr(Lang lang, std::string_view key);

// `tr(lang, key)` with its `{}` replaced by `args` (fmt syntax: "{:02}" works):
// trf(Lang::en, "error.no_year", 2031) == "no Gold for 2031". The one way to fill a text.
template <class... Args>
std::string trf(Lang lang, std::string_view key, const Args&... args) {
  return fmt::format(fmt::runtime(tr(lang, key)), args...);
}

// `key` + ".one" or ".other", the plural form `count` takes in `lang` (CLDR: French "one" for
// 0 and 1, English for 1 only): the table holds both forms of a counted text.
std::string plural_key(Lang lang, std::string_view key, int64_t count);
// `trf` of the form of `key` for `count` (`count` is not an argument: pass it, formatted, too).
template <class... Args>
std::string trn(Lang lang, std::string_view key, int64_t count, const Args&... args) {
  return trf(lang, plural_key(lang, key, count), args...);
}

// A bonus decision's reason: Gold writes it in French (`french_text`); other languages translate
// its rewards::reason_code (`reason.<code>`), an unknown code shows the French text.
std::string reason_label(Lang lang, std::string_view code, std::string_view french_text);

// A Strava sport_type for people: in French its label (rewards::activity_sport_label: Run →
// "Course à pied", Swim → "Natation"; Workout → "Entraînement"), in English its words
// (RockClimbing → "Rock climbing"); a type neither knows reads as its words.
std::string sport_type_label(Lang lang, std::string_view sport_type);

// 1234567 → "1 234 567" (fr, narrow no-break space) / "1,234,567" (en).
std::string format_int(Lang lang, int64_t value);
// 1234.5 with 1 digit → "1 234,5" / "1,234.5" (rounded half away from zero).
std::string format_decimal(Lang lang, double value, int digits);
// Cents → "172 482,50 €" (fr) / "€172,482.50" (en); negative amounts keep their sign.
std::string format_money_cents(Lang lang, int64_t cents);
// A decimal's text ("172482.50", "-3.5", as columnar prints it) → `cents`; false if not one.
bool parse_decimal_cents(std::string_view text, int64_t& cents);
// 0.125 → "12,5 %" (fr) / "12.5%" (en), one digit.
std::string format_percent(Lang lang, double ratio);
// 2025-03-07 → "7 mars 2025" / "7 March 2025".
std::string format_date(Lang lang, int year, int month, int day);
// Microseconds since the epoch → "7 mars 2025 08:00:05 UTC" / "7 March 2025 08:00:05 UTC".
std::string format_datetime_us(Lang lang, int64_t micros_since_epoch);
// A size in binary units, one digit above 1 KiB: 512 → "512 o" / "512 B", 1536 → "1,5 Kio" /
// "1.5 KiB" (Kio, Mio, Gio, Tio in French as the SI/IEC French usage writes them).
std::string format_bytes(Lang lang, int64_t bytes);
// A duration: under a minute with one digit ("12,5 s" / "12.5 s"), then "3 min 05 s",
// "2 h 05 min", "3 j 4 h" / "3 d 4 h"; a negative duration keeps its sign.
std::string format_duration(Lang lang, double seconds);
// Month 1..12 → "janv." / "Jan" (short) or "janvier" / "January".
std::string_view month_name(Lang lang, int month, bool abbreviated);

}  // namespace sl::serve
