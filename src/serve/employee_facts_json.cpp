// EmployeeFacts as JSON: the API's /api/employee/<id> and `sportlake explain --json`.
//
// {"employee_id":7,"year":2025,"years":[2025,2024],
//  "employee":{"nom":"Martin","prenom":"Alice","business_unit":"R&D","in_silver":true},
//  "commute":{"declared_mode":"Marche/running","mode":"walk_run","travel_mode":"walking",
//             "address":"1 Rue A, 34970 Lattes","located":{"match":"exact","commune":"Lattes"},
//             "distance_km":4.2,"distance_source":"offline","distance_estimate":true},
//  "decision":{"year":2025,"moyen_deplacement":"Marche/running","distance_km":4.2,...,
//              "threshold_km":15,"eligible":true,"reason":"eligible","reason_text":"...",
//              "declaration_anomaly":false,"salaire_brut_eur":"49000.00","prime_eur":"2450.00"},
//  "commute_changed":false,
//  "wellbeing":{"activities":12,"missing":3,"eligible":false,"days":0,"monthly":[0,2,...]},
//  "activities":[{"activity_id":1,"start_local":"2025-03-01T08:00:00","sport_type":"Run",...}],
//  "findings":[{"table":"employees","key":"7","rule":"...","severity":"warning","reason":"..."}],
//  "history":[{"year":2025,...}]}
#include <nlohmann/json.hpp>

#include "common/civil_time.hpp"
#include "serve/employee_facts.hpp"

namespace sl::serve {

namespace {

using Json = nlohmann::ordered_json;

template <class T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json text_or_null(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

Json decision_json(const BonusDecision& d) {
  return {{"year", d.year},
          {"moyen_deplacement", d.moyen_deplacement},
          {"distance_km", optional_json(d.distance_km)},
          {"distance_source", text_or_null(d.distance_source)},
          {"distance_estimate", d.distance_estimate},
          {"threshold_km", optional_json(d.threshold_km)},
          {"eligible", d.eligible},
          {"reason", d.reason},
          {"reason_text", d.reason_text},
          {"declaration_anomaly", d.declaration_anomaly},
          {"salaire_brut_eur", text_or_null(d.salaire_brut_eur)},
          {"prime_eur", text_or_null(d.prime_eur)}};
}

}  // namespace

std::string employee_facts_json(const EmployeeFacts& f) {
  Json out;
  out["employee_id"] = f.employee_id;
  out["year"] = f.year;
  out["years"] = f.years;
  out["employee"] = {{"nom", f.nom},
                     {"prenom", f.prenom},
                     {"business_unit", f.business_unit},
                     {"in_silver", f.in_silver}};
  if (f.has_commute)
    out["commute"] = {
        {"declared_mode", f.declared_mode},
        {"mode", text_or_null(f.commute_mode)},
        {"travel_mode", text_or_null(f.travel_mode)},
        {"address", f.address},
        {"located",
         {{"match", text_or_null(f.address_match)}, {"commune", text_or_null(f.commune)}}},
        {"distance_km", optional_json(f.current_distance_km)},
        {"distance_source", text_or_null(f.current_distance_source)},
        {"distance_estimate", f.current_distance_estimate}};
  else
    out["commute"] = nullptr;
  out["decision"] = f.decision ? decision_json(*f.decision) : Json(nullptr);
  out["commute_changed"] = f.commute_changed;
  if (f.has_wellbeing)
    out["wellbeing"] = {{"activities", f.wellbeing_activities},
                        {"missing", f.wellbeing_missing},
                        {"eligible", f.wellbeing_eligible},
                        {"days", f.wellbeing_days},
                        {"monthly", f.monthly}};
  else
    out["wellbeing"] = nullptr;
  Json activities = Json::array();
  for (const auto& a : f.activities)
    activities.push_back(
        {{"activity_id", a.activity_id},
         {"start_local",
          a.start_local_us ? Json(format_timestamp_us(*a.start_local_us, 'T', false).substr(0, 19))
                           : Json(nullptr)},
         {"sport_type", a.sport_type},
         {"name", a.name},
         {"distance_km", optional_json(a.distance_km)},
         {"moving_time_s", optional_json(a.moving_time_s)},
         {"commute", a.commute},
         {"counted", a.counted}});
  out["activities"] = std::move(activities);
  Json findings = Json::array();
  for (const auto& i : f.findings)
    findings.push_back({{"table", i.table},
                        {"key", i.key},
                        {"rule", i.rule},
                        {"severity", i.severity},
                        {"reason", i.reason}});
  out["findings"] = std::move(findings);
  Json history = Json::array();
  for (const auto& d : f.history) history.push_back(decision_json(d));
  out["history"] = std::move(history);
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sl::serve
