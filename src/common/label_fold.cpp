// Label folding for comparisons.
#include "common/label_fold.hpp"

#include <array>
#include <span>
#include <utility>

namespace sl {

std::string normalise_label(std::string_view text) {
  // Accented Latin letters found in French headers and labels → their base letter.
  static const std::array<std::pair<std::string_view, char>, 26> folds = {{
      {"é", 'e'}, {"è", 'e'},  {"ê", 'e'},  {"ë", 'e'},        {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'},
      {"à", 'a'}, {"â", 'a'},  {"ä", 'a'},  {"À", 'a'},        {"î", 'i'}, {"ï", 'i'}, {"Î", 'i'},
      {"ô", 'o'}, {"ö", 'o'},  {"Ô", 'o'},  {"ù", 'u'},        {"û", 'u'}, {"ü", 'u'}, {"ç", 'c'},
      {"Ç", 'c'}, {"’", '\''}, {"‘", '\''}, {"\xC2\xA0", ' '}, {"œ", 'o'},
  }};
  std::string out;
  bool space = false;
  for (size_t i = 0; i < text.size();) {
    bool folded = false;
    // Only multi-byte UTF-8 sequences can be accented letters or typographic apostrophes.
    for (const auto& [from, to] : static_cast<unsigned char>(text[i]) < 0x80
                                      ? std::span<const std::pair<std::string_view, char>>{}
                                      : std::span(folds)) {
      if (text.substr(i).starts_with(from)) {
        if (to == ' ') {
          space = !out.empty();
        } else {
          if (space) out.push_back(' ');
          space = false;
          out.push_back(to);
        }
        i += from.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    char c = text[i++];
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string normalise_place_name(std::string_view text) {
  std::string folded = normalise_label(text);
  for (auto& c : folded)
    if (c == '-' || c == '\'') c = ' ';
  return normalise_label(folded);  // collapses the spaces the separators left
}

}  // namespace sl
