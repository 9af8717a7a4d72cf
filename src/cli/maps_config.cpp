// Shared configuration readers.
#include "cli/maps_config.hpp"

#include <chrono>
#include <filesystem>

namespace sl::cli {

std::string workplace(const Context& ctx) {
  return ctx.config.get_string("maps.destination", "1362 Av. des Platanes, 34970 Lattes");
}

Result<integrations::Gazetteer> load_gazetteer(const Context& ctx) {
  std::string path = ctx.config.get_string("maps.gazetteer", "");
  if (path.empty())
    path = (std::filesystem::path(SPORTLAKE_SOURCE_DIR) / "data/geo/france_cities.csv").string();
  return integrations::Gazetteer::load(path);
}

Result<rewards::RewardRules> reward_rules(const Context& ctx) {
  rewards::RewardRules r;
  SL_ASSIGN_OR_RETURN(r.bonus_rate, ctx.config.get_double("rules.bonus_rate", r.bonus_rate));
  SL_ASSIGN_OR_RETURN(r.walk_max_km, ctx.config.get_double("rules.walk_max_km", r.walk_max_km));
  SL_ASSIGN_OR_RETURN(r.bike_max_km, ctx.config.get_double("rules.bike_max_km", r.bike_max_km));
  SL_ASSIGN_OR_RETURN(auto minimum, ctx.config.get_int("rules.wellbeing_min_activities",
                                                       r.wellbeing_min_activities));
  SL_ASSIGN_OR_RETURN(auto days, ctx.config.get_int("rules.wellbeing_days", r.wellbeing_days));
  r.wellbeing_min_activities = static_cast<int>(minimum);
  r.wellbeing_days = static_cast<int>(days);
  if (r.bonus_rate < 0 || r.bonus_rate > 1 || r.walk_max_km <= 0 || r.bike_max_km <= 0 ||
      r.wellbeing_min_activities < 0 || r.wellbeing_days < 0)
    return make_error(Errc::invalid_argument,
                      "rules: the bonus rate must be within [0, 1], thresholds positive, the "
                      "well-being minimum and days not negative");
  return r;
}

Result<int> reference_year(const Context& ctx) {
  const auto today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  SL_ASSIGN_OR_RETURN(auto year, ctx.config.get_int("rules.year", static_cast<int>(today.year())));
  if (year < 1900 || year > 9999)
    return make_error(Errc::invalid_argument,
                      "rules.year " + std::to_string(year) + " is not a year");
  return static_cast<int>(year);
}

}  // namespace sl::cli
