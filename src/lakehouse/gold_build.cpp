// Rewards and KPIs of one year.
#include "lakehouse/gold_build.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "common/civil_time.hpp"
#include "rewards/sport_bonus.hpp"
#include "rewards/wellbeing.hpp"

namespace sl::lakehouse {

namespace {

// A distance in whole millimetres: the totals are integer sums, the same in any order of the
// activities (double sums differed in their last bits between the full refresh, which adds in
// Bronze's order, and parts recomputed from Silver's files). Not finite: 0; beyond ±100,000 km
// (hostile input) capped, so that 30M activities cannot overflow a sum.
int64_t millimetres(double metres) {
  constexpr double k_cap_mm = 1e11;
  if (!std::isfinite(metres)) return 0;
  return std::llround(std::clamp(metres * 1000.0, -k_cap_mm, k_cap_mm));
}

}  // namespace

uint32_t YearActivities::employee_index(int64_t employee_id) {
  const auto next = static_cast<uint32_t>(employee_ids_.size());
  if (employee_id >= 0 && employee_id < k_dense_ids) {
    const auto id = static_cast<size_t>(employee_id);
    if (id >= dense_index_.size()) dense_index_.resize(id + 1, 0);
    uint32_t& slot = dense_index_[id];
    if (slot == 0) {
      slot = next + 1;
      employee_ids_.push_back(employee_id);
    }
    return slot - 1;
  }
  const auto [it, fresh] = employee_index_.try_emplace(employee_id, next);
  if (fresh) employee_ids_.push_back(employee_id);
  return it->second;
}

std::optional<uint32_t> YearActivities::employee_index_of(int64_t employee_id) const {
  if (employee_id >= 0 && employee_id < k_dense_ids) {
    const auto id = static_cast<size_t>(employee_id);
    if (id < dense_index_.size() && dense_index_[id] != 0) return dense_index_[id] - 1;
    return std::nullopt;
  }
  if (auto it = employee_index_.find(employee_id); it != employee_index_.end()) return it->second;
  return std::nullopt;
}

rewards::WellbeingTally& YearActivities::tally(size_t slot, int64_t employee_id) {
  const uint32_t index = employee_index(employee_id);
  auto& tallies = tallies_[slot];
  if (tallies.size() <= index) tallies.resize(employee_ids_.size(), rewards::WellbeingTally(year_));
  return tallies[index];
}

YearActivities::Totals& YearActivities::totals_of(std::string_view sport_type, int month) {
  auto sport = sport_index_.find(sport_type);
  if (sport == sport_index_.end()) {
    sport = sport_index_.emplace(std::string(sport_type), sport_index_.size()).first;
    sports_.push_back(sport->first);
    monthly_.resize(monthly_.size() + 12);
  }
  return monthly_[sport->second * 12 + static_cast<size_t>(month - 1)];
}

void YearActivities::add(int64_t activity_id, int64_t employee_id,
                         std::optional<int64_t> start_local_us, bool commute,
                         std::string_view sport_type, double distance_m, int64_t moving_s) {
  if (!start_local_us) return;
  const CivilDate date = civil_from_days(floor_div(*start_local_us, 86'400'000'000LL));
  if (date.year != year_) return;  // counted in neither (Silver files it under its own year)
  tally(static_cast<size_t>(date.month - 1), employee_id).add({activity_id, *start_local_us, commute});
  Totals& t = totals_of(sport_type, date.month);
  ++t.activities;
  t.distance_mm += millimetres(distance_m);
  t.moving_s += moving_s;
}

void YearActivities::add(const WellbeingPart& part) {
  if (part.start_year != year_ || part.start_month < 1 || part.start_month > 12) return;
  tally(k_parts_slot, part.employee_id)
      .merge(rewards::WellbeingTally(year_, part.activities, part.first_activity_us,
                                     part.last_activity_us));
}

void YearActivities::add(const MonthlyPart& part) {
  if (part.start_year != year_ || part.start_month < 1 || part.start_month > 12) return;
  Totals& t = totals_of(part.sport_type, part.start_month);
  t.activities += part.activities;
  t.distance_mm += part.distance_mm;
  t.moving_s += part.moving_s;
}

std::vector<WellbeingPart> YearActivities::wellbeing_parts(int month, int64_t fingerprint) const {
  std::vector<WellbeingPart> out;
  const auto& tallies = tallies_[static_cast<size_t>(month - 1)];
  for (size_t i = 0; i < tallies.size(); ++i) {
    const auto& t = tallies[i];
    if (t.activities() == 0) continue;
    out.push_back({year_, month, employee_ids_[i], t.activities(), t.first(), t.last(),
                   fingerprint});
  }
  return out;
}

std::vector<MonthlyPart> YearActivities::monthly_parts(int month, int64_t fingerprint) const {
  std::vector<MonthlyPart> out;
  for (size_t sport = 0; sport < sports_.size(); ++sport) {
    const Totals& t = monthly_[sport * 12 + static_cast<size_t>(month - 1)];
    if (t.activities == 0) continue;
    out.push_back({year_, month, std::string(sports_[sport]), t.activities, t.distance_mm,
                   t.moving_s, fingerprint});
  }
  return out;
}

Gold build_gold(const Silver& silver, int year, const rewards::RewardRules& rules) {
  YearActivities activities(year);
  for (const auto& a : silver.activities) activities.add(a);
  FindingCounts findings;
  for (const auto& issue : silver.issues) findings.add(issue);
  return build_gold(silver.employees, silver.commutes, activities, findings, year, rules);
}

Gold build_gold(const GoldInputs& in, int year, const rewards::RewardRules& rules) {
  return build_gold(in.employees, in.commutes, in.activities, in.findings, year, rules);
}

Gold build_gold(const std::vector<Employee>& employee_rows, const std::vector<Commute>& commute_rows,
                const YearActivities& activities, const FindingCounts& findings, int year,
                const rewards::RewardRules& rules) {
  Gold gold;
  // Per employee, looked up once per activity: hashed, not a tree.
  std::unordered_map<int64_t, const Commute*> commutes;
  for (const auto& c : commute_rows) commutes[c.employee_id] = &c;
  const int64_t end_of_year = days_from_civil({year + 1, 1, 1});

  KpiSummary& k = gold.summary;
  k.year = year;
  std::map<std::string, KpiByBu> by_bu;
  std::map<std::pair<std::string, int32_t>, int64_t> distance_bins;  // (travel mode, km)
  std::map<int32_t, int64_t> shortfall;                              // missing → employees
  for (const auto& e : employee_rows) {
    if (e.date_embauche && *e.date_embauche >= end_of_year) continue;  // hired after the year
    ++k.employees;
    KpiByBu& bu = by_bu[e.business_unit];
    bu.year = year;
    bu.business_unit = e.business_unit;
    ++bu.employees;

    PrimeSportive p;
    p.year = year;
    p.employee_id = e.id;
    p.nom = e.nom;
    p.prenom = e.prenom;
    p.business_unit = e.business_unit;
    p.salaire_brut_cents = e.salaire_brut_cents;
    p.moyen_deplacement = e.moyen_deplacement;
    const Commute* c = commutes.contains(e.id) ? commutes[e.id] : nullptr;
    if (c && c->distance_m) {
      p.distance_km = *c->distance_m / 1000.0;
      p.distance_source = c->distance_source;
      p.distance_estimate = c->distance_estimate;
    }
    const auto mode = rewards::parse_commute_mode(e.moyen_deplacement);
    const auto d = rewards::decide_sport_bonus({e.salaire_brut_cents, mode, p.distance_km}, rules);
    p.threshold_km = d.threshold_km;
    p.eligible = d.eligible;
    p.reason = std::string(rewards::reason_code(d.reason));
    p.reason_text = std::string(rewards::reason_text_fr(d.reason));
    p.declaration_anomaly = d.declaration_anomaly;
    p.prime_cents = d.bonus_cents;
    if (mode && rewards::is_sporty(*mode)) {
      ++k.sporty_commuters;
      if (p.distance_km) {
        const auto km = static_cast<int32_t>(
            std::min<double>(std::floor(std::max(0.0, *p.distance_km)), k_distance_bin_cap_km));
        ++distance_bins[{std::string(rewards::travel_mode(*mode)), km}];
      }
      k.max_bonus_cents += rewards::percent_of(e.salaire_brut_cents, rules.bonus_rate);
    }
    k.eligible_bonus += d.eligible;
    k.total_bonus_cents += d.bonus_cents;
    k.declaration_anomalies += d.declaration_anomaly;
    k.unknown_distances += d.reason == rewards::BonusReason::distance_unknown;
    bu.eligible_bonus += d.eligible;
    bu.total_bonus_cents += d.bonus_cents;
    gold.prime_sportive.push_back(std::move(p));

    Wellbeing w;
    w.year = year;
    w.employee_id = e.id;
    w.nom = e.nom;
    w.prenom = e.prenom;
    w.business_unit = e.business_unit;
    rewards::WellbeingTally tally(year);  // the year's: its slots' merged
    if (const auto index = activities.employee_index_of(e.id))
      for (const auto& slot : activities.tallies_)
        if (*index < slot.size()) tally.merge(slot[*index]);
    const auto wd = tally.decide(rules);
    w.activities = wd.activities;
    w.first_activity_us = wd.first_local_us;
    w.last_activity_us = wd.last_local_us;
    w.eligible = wd.eligible;
    w.days = wd.days;
    w.missing = wd.missing;
    k.wellbeing_eligible += wd.eligible;
    k.wellbeing_days += wd.days;
    k.activities += wd.activities;
    ++shortfall[wd.eligible ? 0 : wd.missing];
    bu.wellbeing_eligible += wd.eligible;
    bu.activities += wd.activities;
    gold.wellbeing.push_back(std::move(w));
  }
  for (auto& [name, bu] : by_bu) gold.by_bu.push_back(std::move(bu));
  for (const auto& [key, employees] : distance_bins)
    gold.distance_bins.push_back({year, key.first, key.second, employees});
  for (const auto& [missing, employees] : shortfall)
    gold.wellbeing_shortfall.push_back({year, missing, employees});
  gold.summary.dq_errors = findings.errors;
  gold.summary.dq_warnings = findings.warnings;
  for (size_t i = 0; i < activities.monthly_.size(); ++i) {
    const auto& t = activities.monthly_[i];
    if (t.activities == 0) continue;
    gold.monthly.push_back({year, static_cast<int32_t>(i % 12 + 1),
                            std::string(activities.sports_[i / 12]), t.activities,
                            static_cast<double>(t.distance_mm) / 1e6,
                            static_cast<double>(t.moving_s) / 3600.0});
  }
  std::sort(gold.monthly.begin(), gold.monthly.end(), [](const auto& a, const auto& b) {
    return std::tie(a.month, a.sport_type) < std::tie(b.month, b.sport_type);
  });
  return gold;
}

}  // namespace sl::lakehouse
