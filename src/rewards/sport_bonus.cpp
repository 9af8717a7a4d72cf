// The sport bonus decision.
#include "rewards/sport_bonus.hpp"

#include <cmath>

namespace sl::rewards {

std::string_view reason_code(BonusReason reason) {
  switch (reason) {
    case BonusReason::eligible:
      return "eligible";
    case BonusReason::not_sporty:
      return "not_sporty";
    case BonusReason::unknown_mode:
      return "unknown_mode";
    case BonusReason::distance_unknown:
      return "distance_unknown";
    case BonusReason::over_threshold:
      return "over_threshold";
    case BonusReason::likely_error:
      return "likely_error";
    case BonusReason::invalid_salary:
      return "invalid_salary";
  }
  return "";
}

std::string_view reason_text_fr(BonusReason reason) {
  switch (reason) {
    case BonusReason::eligible:
      return "éligible : trajet sportif dans la limite de distance";
    case BonusReason::not_sporty:
      return "non éligible : mode de déplacement non sportif";
    case BonusReason::unknown_mode:
      return "non éligible : mode de déplacement inconnu";
    case BonusReason::distance_unknown:
      return "non éligible : distance domicile-travail inconnue (dans le doute, pas de prime)";
    case BonusReason::over_threshold:
      return "non éligible : distance au-delà du seuil du mode déclaré (anomalie de déclaration)";
    case BonusReason::likely_error:
      return "non éligible : distance au-delà du double du seuil (erreur de déclaration probable)";
    case BonusReason::invalid_salary:
      return "non calculé : salaire brut absent ou négatif";
  }
  return "";
}

int64_t percent_of(int64_t amount_cents, double rate) {
  const auto millionths = static_cast<__int128>(std::llround(rate * 1'000'000));
  const __int128 scaled = static_cast<__int128>(amount_cents) * millionths;
  const __int128 half = 500'000;
  const __int128 rounded = scaled >= 0 ? (scaled + half) / 1'000'000 : (scaled - half) / 1'000'000;
  return static_cast<int64_t>(rounded);
}

BonusDecision decide_sport_bonus(const BonusInput& input, const RewardRules& rules) {
  BonusDecision d;
  if (!input.mode) {
    d.reason = BonusReason::unknown_mode;
    return d;
  }
  d.threshold_km = threshold_km(*input.mode, rules);
  if (!d.threshold_km) {
    d.reason = BonusReason::not_sporty;
    return d;
  }
  if (input.salary_cents < 0) {
    d.reason = BonusReason::invalid_salary;
    return d;
  }
  if (!input.distance_km || !std::isfinite(*input.distance_km) || *input.distance_km < 0) {
    d.reason = BonusReason::distance_unknown;
    return d;
  }
  const double distance = *input.distance_km;
  if (distance > *d.threshold_km * rules.likely_error_factor) {
    d.reason = BonusReason::likely_error;
    d.declaration_anomaly = true;
    return d;
  }
  if (distance > *d.threshold_km) {
    d.reason = BonusReason::over_threshold;
    d.declaration_anomaly = true;
    return d;
  }
  d.reason = BonusReason::eligible;
  d.eligible = true;
  d.bonus_cents = percent_of(input.salary_cents, rules.bonus_rate);
  return d;
}

}  // namespace sl::rewards
