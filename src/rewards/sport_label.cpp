// French sport labels.
#include "rewards/sport_label.hpp"

namespace sl::rewards {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string normalise_declared_sport(std::string_view declared) {
  const std::string_view s = trim(declared);
  const std::string key = ascii_lower(s);
  if (key == "runing" || key == "running" || key == "run" || key == "course à pied" ||
      key == "course a pied")
    return "Course à pied";
  return std::string(s);
}

std::string activity_sport_label(std::string_view sport_type, std::string_view declared) {
  struct Entry {
    std::string_view type;
    std::string_view label;
  };
  static constexpr Entry k_labels[] = {
      {"run", "Course à pied"},
      {"trailrun", "Trail"},
      {"virtualrun", "Course à pied"},
      {"ride", "Vélo"},
      {"ebikeride", "Vélo"},
      {"gravelride", "Vélo"},
      {"mountainbikeride", "VTT"},
      {"virtualride", "Vélo"},
      {"swim", "Natation"},
      {"hike", "Randonnée"},
      {"walk", "Marche"},
      {"tennis", "Tennis"},
      {"tabletennis", "Tennis de table"},
      {"rockclimbing", "Escalade"},
      {"badminton", "Badminton"},
      {"soccer", "Football"},
      {"sail", "Voile"},
      {"rowing", "Aviron"},
  };
  const std::string type = ascii_lower(trim(sport_type));
  for (const auto& e : k_labels)
    if (e.type == type) return std::string(e.label);
  std::string label = normalise_declared_sport(declared);
  return label.empty() ? "sport" : label;
}

}  // namespace sl::rewards
