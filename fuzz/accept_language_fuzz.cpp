// libFuzzer target: the dashboard's language choice from a `?lang=` value and an Accept-Language
// field (both sent by any client), and the decimal reader used on Gold's amounts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "serve/i18n.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t cut = text.find('\n');
  const std::string_view param = cut == std::string_view::npos ? "" : text.substr(0, cut);
  const std::string_view field = cut == std::string_view::npos ? text : text.substr(cut + 1);
  const auto lang = sl::serve::choose_lang(param, field);
  if (lang != sl::serve::Lang::fr && lang != sl::serve::Lang::en) std::abort();
  int64_t cents = 0;
  if (sl::serve::parse_decimal_cents(text, cents)) (void)sl::serve::format_money_cents(lang, cents);
  return 0;
}
