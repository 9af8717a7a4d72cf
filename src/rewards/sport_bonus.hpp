// The sport bonus (prime sportive) of one employee for one year: a pure decision with its reason,
// so every "no" can be explained (`sportlake explain`) and every anomaly reported.
//
// Rules (DESIGN §1): only Marche/running (≤ walk_max_km) and Vélo/Trottinette/Autres
// (≤ bike_max_km) can earn it; the distance must be known ("in doubt, no bonus"); a sporty mode
// beyond its threshold is a declaration anomaly, beyond likely_error_factor × the threshold a
// likely error. The bonus is bonus_rate × the gross annual salary, in cents, rounded half away
// from zero (rate handled in millionths, so 5 % of any salary in cents is exact).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "rewards/commute_mode.hpp"
#include "rewards/rules.hpp"

namespace sl::rewards {

enum class BonusReason {
  eligible,          // sporty mode, distance known and within the threshold
  not_sporty,        // car or public transport: never eligible
  unknown_mode,      // the declared mode is not one of the four
  distance_unknown,  // sporty mode but no distance (address not found, provider failed)
  over_threshold,    // declaration anomaly: sporty mode beyond its threshold
  likely_error,      // beyond likely_error_factor × the threshold
  invalid_salary,    // missing or negative salary: nothing computed
};

std::string_view reason_code(BonusReason reason);  // "eligible", "over_threshold"...
// The reason in French, for people (dashboard, explain): "distance inconnue : pas de prime"...
std::string_view reason_text_fr(BonusReason reason);

struct BonusInput {
  int64_t salary_cents = 0;  // gross annual salary
  std::optional<CommuteMode> mode;
  std::optional<double> distance_km;  // home → work, by the mode's travel mode
};

struct BonusDecision {
  BonusReason reason = BonusReason::not_sporty;
  bool eligible = false;
  std::optional<double> threshold_km;
  int64_t bonus_cents = 0;
  // A sporty declaration whose distance contradicts it (over_threshold or likely_error).
  bool declaration_anomaly = false;
};

BonusDecision decide_sport_bonus(const BonusInput& input, const RewardRules& rules);

// rate × amount in cents, rounded half away from zero (rate in millionths, exact).
int64_t percent_of(int64_t amount_cents, double rate);

}  // namespace sl::rewards
