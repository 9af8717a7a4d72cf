// EmployeeFacts: why one employee got (or did not get) the sport bonus and the well-being days
// of a year, as the lake holds it — the one builder behind `sportlake explain` and the employee
// page (/employee/<id>, /api/employee/<id>). Reads, never writes.
//
// Where each fact comes from (a fact is read, never recomputed, so the page says what the
// refresh decided):
// - the year's decision (mode, distance and its source, threshold, eligible, reason, bonus) and
//   the well-being count (activities, missing, days): Gold `prime_sportive` and `wellbeing` of
//   the year, as its last refresh wrote them;
// - the address as written and as located (gazetteer match, commune), the current distance:
//   Silver `commutes` and `employees` (the current state: `commute_changed` says when they no
//   longer match the year's decision, e.g. the address moved since);
// - the activities list and the monthly counts: Silver `activities` (counted as the rule counts
//   them, rewards::counts_for_wellbeing);
// - the data-quality findings: Silver `dq_issues` whose `employee_id` is this employee;
// - the history: every year of Gold `prime_sportive` for this employee, newest first.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/lake.hpp"
#include "serve/gold_reader.hpp"

namespace sl::serve {

struct BonusDecision {
  int year = 0;
  std::string moyen_deplacement;  // as declared
  std::optional<double> distance_km;
  std::string distance_source;  // google_distance_matrix, google_routes, offline, ""
  bool distance_estimate = false;
  std::optional<double> threshold_km;
  bool eligible = false;
  std::string reason;       // rewards::reason_code
  std::string reason_text;  // French
  bool declaration_anomaly = false;
  std::string salaire_brut_eur;  // decimal text, "49000.00"
  std::string prime_eur;         // decimal text, "2450.00"
};

struct ActivityLine {
  int64_t activity_id = 0;
  std::optional<int64_t> start_local_us;  // local time as if UTC
  std::string sport_type, name;
  std::optional<double> distance_km;
  std::optional<int32_t> moving_time_s;
  bool commute = false;
  bool counted = false;  // counts towards the well-being days
};

struct Finding {
  std::string table, key, rule, severity, reason;
};

struct EmployeeFacts {
  int64_t employee_id = 0;
  int year = 0;
  std::vector<int> years;  // the years refreshed, newest first (the page's year links)

  // Silver employees (current); absent when rejected by a data-quality error or deleted.
  bool in_silver = false;
  std::string nom, prenom, business_unit;
  std::string commute_mode;  // walk_run, bike_scooter, car, public_transport, unknown

  // Silver commutes (current).
  bool has_commute = false;
  std::string declared_mode;  // moyen_deplacement, as declared
  std::string address;        // as written
  std::string address_match;  // exact, postcode_mismatch, no_postcode, postcode_only,
                              // not_found, "" (not checked)
  std::string commune;        // as located
  std::string travel_mode;    // walking, bicycling, ""
  std::optional<double> current_distance_km;
  std::string current_distance_source;
  bool current_distance_estimate = false;

  // Gold of the year; nullopt when the employee is not in it (hired after the year, rejected).
  std::optional<BonusDecision> decision;
  // True when Silver's current mode or distance differ from the year's decision.
  bool commute_changed = false;

  // Gold wellbeing of the year.
  bool has_wellbeing = false;
  int wellbeing_activities = 0;
  int wellbeing_missing = 0;
  bool wellbeing_eligible = false;
  int wellbeing_days = 0;
  std::array<int, 12> monthly{};         // counted activities per month (Silver)
  std::vector<ActivityLine> activities;  // the year's activities, oldest first

  std::vector<Finding> findings;
  std::vector<BonusDecision> history;  // newest first
};

// The facts of `employee_id` for `year` (0: the latest refreshed year). Errc::not_found when the
// lake has no refresh, no Gold for `year`, or nothing about this employee at all. `gold`: the
// dashboard's reader (its years cached per Delta version), whose lake gives Silver too.
Result<EmployeeFacts> employee_facts(const GoldReader& gold, int64_t employee_id, int year);
// Asks `gold` to index now the tables `employee_facts` reads, as it reads them (the server, at
// start: its first employee page then finds them indexed).
void index_employee_tables(const GoldReader& gold);

// The facts as one JSON object (the API's answer and `sportlake explain --json`, the same
// bytes): money as decimal strings, times as "YYYY-MM-DDTHH:MM:SS" local.
std::string employee_facts_json(const EmployeeFacts& facts);

}  // namespace sl::serve
