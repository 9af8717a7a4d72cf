// French activity messages.
#include "rewards/activity_message.hpp"

#include <cmath>

namespace sl::rewards {

namespace {

constexpr std::string_view k_thin_space = "\u202f";  // French thousands separator

std::string with_thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += k_thin_space;
    out += digits[i];
  }
  return out;
}

// Lower case for matching: ASCII letters, and the capital É that starts "Équitation".
std::string lower(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 2) == "É") {
      out += "é";
      ++i;
    } else {
      const char c = s[i];
      out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return out;
}

// The emoji of a sport without its own sentence, by its French label.
std::string_view sport_emoji(std::string_view label_lower) {
  struct Entry {
    std::string_view prefix;
    std::string_view emoji;
  };
  static constexpr Entry k_emojis[] = {
      {"tennis de table", "🏓"},
      {"tennis", "🎾"},
      {"badminton", "🏸"},
      {"football", "⚽"},
      {"rugby", "🏉"},
      {"basket", "🏀"},
      {"boxe", "🥊"},
      {"judo", "🥋"},
      {"escalade", "🧗"},
      {"équitation", "🏇"},
      {"voile", "⛵"},
      {"natation", "🏊"},
      {"triathlon", "🏊🚴🏃"},
  };
  for (const auto& e : k_emojis)
    if (label_lower.starts_with(e.prefix)) return e.emoji;
  return "🏅";
}

// "de Tennis", but "d'Escalade", "d'Équitation": French elides "de" before a vowel.
std::string de(std::string_view word) {
  static constexpr std::string_view k_vowels[] = {"A", "E", "I", "O", "U", "É", "È", "Ê",
                                                  "a", "e", "i", "o", "u", "é", "è", "ê"};
  for (auto v : k_vowels)
    if (word.starts_with(v)) return "d'" + std::string(word);
  return "de " + std::string(word);
}

}  // namespace

std::string format_km(double metres) {
  const auto tenths = static_cast<int64_t>(std::llround(std::max(0.0, metres) / 100.0));
  return with_thousands(tenths / 10) + "," + std::to_string(tenths % 10) + " km";
}

std::string format_metres(double metres) {
  return with_thousands(std::llround(std::max(0.0, metres))) + " m";
}

std::string format_duration(int64_t seconds) {
  const int64_t minutes = std::max<int64_t>(1, (std::max<int64_t>(0, seconds) + 30) / 60);
  if (minutes < 60) return std::to_string(minutes) + " min";
  const int64_t hours = minutes / 60;
  const int64_t rest = minutes % 60;
  return std::to_string(hours) + " h" + (rest ? " " + std::to_string(rest) + " min" : "");
}

std::string activity_message(const ActivityAnnouncement& a) {
  const std::string name = a.first_name + (a.first_name.empty() ? "" : " ") + a.last_name;
  const std::string time =
      format_duration(a.moving_time_s > 0 ? a.moving_time_s : a.elapsed_time_s);
  const bool has_distance = a.distance_m >= 50;  // below 50 m it is not a distance sport
  const std::string type = lower(a.sport_type);
  std::string label = lower(a.sport_label);
  std::string out;
  if (type == "run" || type == "trailrun" || type == "virtualrun") {
    out = has_distance
              ? "Bravo " + name + " ! Tu viens de courir " + format_km(a.distance_m) + " en " +
                    time + " ! Quelle énergie ! 🔥🏅"
              : "Bravo " + name + " ! " + time + " de course à pied ! Quelle énergie ! 🔥🏅";
  } else if (type == "hike") {
    out = "Magnifique " + name + " ! Une randonnée" +
          (has_distance ? " de " + format_km(a.distance_m) : std::string()) + " terminée en " +
          time + " et un nouveau spot à découvrir ! 🌄";
  } else if (type == "walk") {
    out = "Bravo " + name + " ! Une marche" +
          (has_distance ? " de " + format_km(a.distance_m) : std::string()) + " en " + time +
          ", chaque pas compte ! 🚶";
  } else if (type == "ride" || type == "ebikeride" || type == "gravelride" ||
             type == "mountainbikeride" || type == "virtualride") {
    out = "En selle " + name + " ! Une sortie vélo" +
          (has_distance ? " de " + format_km(a.distance_m) : std::string()) + " en " + time +
          " ! 🚴";
  } else if (type == "swim") {
    out = "Splash ! " + name + " vient de nager" +
          (has_distance ? " " + format_metres(a.distance_m) : std::string()) + " en " + time +
          " ! 🏊";
  } else {
    const std::string sport = a.sport_label.empty() ? "sport" : a.sport_label;
    const std::string_view emoji = sport_emoji(label);
    out = has_distance ? "Super " + name + " ! Une belle séance " + de(sport) + " de " +
                             format_km(a.distance_m) + " en " + time + " ! " + std::string(emoji)
                       : "Bravo " + name + " ! Une séance " + de(sport) + " de " + time +
                             " ! Belle énergie ! " + std::string(emoji);
  }
  if (!a.comment.empty()) out += "\n« " + a.comment + " »";
  return out;
}

}  // namespace sl::rewards
