// Silver's data-quality rules on hand-made Bronze states: each rule fires on its case (and only
// there), errors keep the row out of Silver, warnings keep it, commutes get the best distance.
#include "lakehouse/silver_build.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "common/civil_time.hpp"
#include "lakehouse/gold_build.hpp"
#include "lakehouse/lake_tables.hpp"
#include "lakehouse/table_builder.hpp"

namespace sl::lakehouse {
namespace {

constexpr int64_t k_hour_us = 3'600'000'000LL;

int64_t at(int year, int month, int day, int hour = 9) {
  return days_from_civil({year, month, day}) * 24 * k_hour_us + hour * k_hour_us;
}

// Bronze change metadata: one snapshot read per row, in order.
void meta(TableBuilder& t, int64_t n) {
  t.text("r").long_(100 + n).long_(100).text(std::nullopt);
}
std::vector<columnar::Field> meta_fields() {
  return {string_field("_op", false), long_field("_lsn", false), long_field("_commit_lsn", false),
          string_field("_unconverted")};
}

BronzeState employees() {
  auto fields = std::vector<columnar::Field>{long_field("id"),
                                             string_field("nom"),
                                             string_field("prenom"),
                                             date_field("date_naissance"),
                                             date_field("date_embauche"),
                                             string_field("business_unit"),
                                             euros_field("salaire_brut"),
                                             string_field("contrat"),
                                             int_field("nb_conges_payes"),
                                             string_field("adresse_complete"),
                                             string_field("moyen_deplacement")};
  for (auto& f : meta_fields()) fields.push_back(f);
  TableBuilder t(fields);
  auto add = [&](int64_t id, int64_t cents, const char* address, const char* mode) {
    t.long_(id).text("Nom").text("Prénom").date(days_from_civil({1990, 1, 1}));
    t.date(days_from_civil({2020, 1, 1})).text("R&D").euros(cents).text("CDI").int_(25);
    t.text(address).text(mode);
    meta(t, id);
    t.end_row();
  };
  add(1, 3'000'000, "1 Rue A, 34970 Lattes", "Marche/running");
  add(2, 4'000'000, "2 Rue B, 34000 Montpellier", "Vélo/Trottinette/Autres");
  add(3, 0, "3 Rue C, 34000 Montpellier", "Marche/running");           // salary 0: rejected
  add(4, 5'000'000, "4 Rue D, 34000 Montpellier", "en montgolfière");  // unknown mode: rejected
  add(5, 5'000'000, "5 Rue E 34000 Montpellier", "véhicule thermique/électrique");  // no comma
  return *BronzeState::of(t.take(), {"id"});
}

BronzeState activities() {
  auto fields = std::vector<columnar::Field>{long_field("activity_id"),
                                             long_field("employee_id"),
                                             string_field("name"),
                                             string_field("sport_type"),
                                             double_field("distance_m"),
                                             int_field("moving_time_s"),
                                             int_field("elapsed_time_s"),
                                             timestamp_field("start_date_utc"),
                                             timestamp_field("start_date_local"),
                                             bool_field("commute"),
                                             double_field("calories")};
  for (auto& f : meta_fields()) fields.push_back(f);
  TableBuilder t(fields);
  auto add = [&](int64_t id, int64_t employee, const char* sport, double metres, int moving,
                 int elapsed, int64_t start) {
    t.long_(id).long_(employee).text("x").text(sport).double_(metres).int_(moving).int_(elapsed);
    t.timestamp(start).timestamp(start + k_hour_us).boolean(false).double_(300.0);
    meta(t, id);
    t.end_row();
  };
  add(10, 1, "Run", 10'000, 3000, 3100, at(2025, 3, 1));   // fine: 12 km/h
  add(11, 1, "Run", 10'000, 600, 700, at(2025, 3, 2));     // 60 km/h: implausible (warning)
  add(12, 99, "Run", 5'000, 1500, 1600, at(2025, 3, 3));   // unknown employee: rejected
  add(13, 1, "Run", -5, 1500, 1600, at(2025, 3, 4));       // negative distance: rejected
  add(14, 1, "Workout", 0, 0, 0, at(2025, 3, 5));          // no duration: rejected
  add(15, 1, "Run", 5'000, 1500, 1600, at(2031, 1, 1));    // in the future: rejected
  add(16, 2, "Ride", 30'000, 4000, 3600, at(2025, 3, 6));  // moving > elapsed (warning)
  return *BronzeState::of(t.take(), {"activity_id"});
}

BronzeState distances() {
  auto fields = std::vector<columnar::Field>{
      string_field("origin"),        string_field("destination"), string_field("mode"),
      string_field("provider"),      double_field("distance_m"),  string_field("status"),
      timestamp_field("computed_at")};
  for (auto& f : meta_fields()) fields.push_back(f);
  TableBuilder t(fields);
  int64_t n = 0;
  auto add = [&](const char* origin, const char* mode, const char* provider, double metres,
                 const char* status) {
    t.text(origin).text("Work").text(mode).text(provider).double_(metres).text(status);
    t.timestamp(at(2025, 1, 1) + n);
    meta(t, ++n);
    t.end_row();
  };
  add("1 Rue A, 34970 Lattes", "walking", "offline", 2'000, "ok");
  add("1 Rue A, 34970 Lattes", "walking", "google_distance_matrix", 2'500, "ok");  // preferred
  add("2 Rue B, 34000 Montpellier", "bicycling", "offline", 40'000, "ok");         // over 25 km
  add("2 Rue B, 34000 Montpellier", "walking", "offline", 1'000, "ok");            // wrong mode
  return *BronzeState::of(t.take(), {"origin", "destination", "mode", "provider"});
}

size_t count(const Silver& s, std::string_view rule, std::string_view key = "") {
  return std::count_if(s.issues.begin(), s.issues.end(), [&](const DqIssue& i) {
    return i.rule == rule && (key.empty() || i.key == key);
  });
}

TEST(SilverBuild, EveryRuleOnItsCase) {
  auto e = employees();
  auto a = activities();
  auto d = distances();
  SilverInputs in;
  in.employees = &e;
  in.activities = &a;
  in.distances = &d;
  in.destination = "Work";
  in.now_us = at(2026, 6, 1);
  const Silver s = build_silver(in);

  EXPECT_EQ(count(s, "salary_positive", "3"), 1u);
  EXPECT_EQ(count(s, "commute_mode_known", "4"), 1u);
  EXPECT_EQ(count(s, "address_well_formed", "5"), 1u);
  EXPECT_EQ(count(s, "address_well_formed"), 1u);
  std::vector<int64_t> ids;
  for (const auto& x : s.employees) ids.push_back(x.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 5}));

  EXPECT_EQ(count(s, "speed_plausible", "11"), 1u);
  EXPECT_EQ(count(s, "speed_plausible"), 1u) << "12 km/h running and 27 km/h riding are fine";
  EXPECT_EQ(count(s, "employee_exists", "12"), 1u);
  EXPECT_EQ(count(s, "distance_non_negative", "13"), 1u);
  EXPECT_EQ(count(s, "elapsed_positive", "14"), 1u);
  EXPECT_EQ(count(s, "not_in_future", "15"), 1u);
  EXPECT_EQ(count(s, "moving_within_elapsed", "16"), 1u);
  std::vector<int64_t> kept;
  for (const auto& x : s.activities) kept.push_back(x.activity_id);
  EXPECT_EQ(kept, (std::vector<int64_t>{10, 11, 16}));
  for (const auto& i : s.issues) EXPECT_FALSE(i.reason.empty()) << i.rule;
  // Each finding names its employee (`sportlake explain` filters on it): the row's own id for
  // employees and commutes, the owner for activities, rejected ones included.
  auto employee_of = [&](std::string_view rule, std::string_view key) -> std::optional<int64_t> {
    for (const auto& i : s.issues)
      if (i.rule == rule && i.key == key) return i.employee_id;
    return std::nullopt;
  };
  EXPECT_EQ(employee_of("salary_positive", "3"), 3);
  EXPECT_EQ(employee_of("address_well_formed", "5"), 5);
  EXPECT_EQ(employee_of("speed_plausible", "11"), 1);
  EXPECT_EQ(employee_of("employee_exists", "12"), 99);
  EXPECT_EQ(employee_of("distance_non_negative", "13"), 1);
  EXPECT_EQ(employee_of("moving_within_elapsed", "16"), 2);
  EXPECT_EQ(employee_of("within_threshold", "2"), 2);

  // Commutes: a routed distance before an estimate, by the mode's travel mode.
  ASSERT_EQ(s.commutes.size(), 3u);
  EXPECT_EQ(s.commutes[0].distance_m, 2'500);
  EXPECT_EQ(s.commutes[0].distance_source, "google_distance_matrix");
  EXPECT_FALSE(s.commutes[0].distance_estimate);
  EXPECT_EQ(s.commutes[1].distance_m, 40'000);
  EXPECT_TRUE(s.commutes[1].distance_estimate);
  EXPECT_EQ(count(s, "within_threshold", "2"), 1u);
  EXPECT_FALSE(s.commutes[2].distance_m.has_value()) << "a car commute needs no distance";
  EXPECT_EQ(count(s, "distance_known"), 0u);

  // Gold of 2025 from it: the walker is eligible, the cyclist an anomaly, the driver not sporty.
  const Gold g = build_gold(s, 2025, {});
  EXPECT_EQ(g.summary.employees, 3);
  EXPECT_EQ(g.summary.sporty_commuters, 2);
  EXPECT_EQ(g.summary.eligible_bonus, 1);
  EXPECT_EQ(g.summary.total_bonus_cents, 150'000);
  EXPECT_EQ(g.summary.declaration_anomalies, 1);
  EXPECT_EQ(g.summary.activities, 3);
  EXPECT_EQ(g.summary.dq_errors, 6);
  // The dashboard's distributions: 1 km bins of the sporty commutes, shortfalls of well-being.
  std::string bins, shortfall;
  for (const auto& b : g.distance_bins)
    bins += b.travel_mode + ":" + std::to_string(b.km) + "=" + std::to_string(b.employees) + " ";
  for (const auto& w : g.wellbeing_shortfall)
    shortfall += std::to_string(w.missing) + "=" + std::to_string(w.employees) + " ";
  EXPECT_EQ(bins, "bicycling:40=1 walking:2=1 ");
  EXPECT_EQ(shortfall, "13=1 14=1 15=1 ") << "one, two and no activities: 14, 13, 15 short of 15";
}

TEST(SilverBuild, DoubleEncodedNamesAreRepairedAndReported) {
  auto fields = std::vector<columnar::Field>{long_field("id"),
                                             string_field("nom"),
                                             string_field("prenom"),
                                             euros_field("salaire_brut"),
                                             string_field("adresse_complete"),
                                             string_field("moyen_deplacement")};
  for (auto& f : meta_fields()) fields.push_back(f);
  TableBuilder t(fields);
  auto add = [&](int64_t id, const char* nom, const char* prenom) {
    t.long_(id).text(nom).text(prenom).euros(3'000'000).text("1 Rue A, 34970 Lattes");
    t.text("Marche/running");
    meta(t, id);
    t.end_row();
  };
  add(1, "LefÃ¨vre", "Ã‰lodie");  // "Lefèvre", "Élodie" read as Windows-1252
  add(2, "Lefèvre", "Élodie");    // fine
  add(3, "Durand", "Ã‰va Ő");     // "Ő" has no Windows-1252 byte: ambiguous, reported as is
  auto e = *BronzeState::of(t.take(), {"id"});
  SilverInputs in;
  in.employees = &e;
  const Silver s = build_silver(in);
  ASSERT_EQ(s.employees.size(), 3u);
  EXPECT_EQ(s.employees[0].nom, "Lefèvre");
  EXPECT_EQ(s.employees[0].prenom, "Élodie");
  EXPECT_EQ(s.employees[2].prenom, "Ã‰va Ő");
  EXPECT_EQ(count(s, "name_encoding", "1"), 2u);
  EXPECT_EQ(count(s, "name_encoding", "2"), 0u);
  EXPECT_EQ(count(s, "name_encoding", "3"), 1u);
  for (const auto& i : s.issues) {
    if (i.rule != "name_encoding") continue;
    EXPECT_EQ(i.severity, i.key == "1" ? "info" : "warning") << i.reason;
    if (i.key == "1" && i.reason.starts_with("nom")) {
      EXPECT_NE(i.reason.find("LefÃ¨vre"), std::string::npos) << i.reason;
    }
  }
}

TEST(SilverBuild, JobFailuresAreReportedWithTheirKey) {
  auto fields = std::vector<columnar::Field>{string_field("job"), string_field("item"),
                                             long_field("employee_id"), string_field("error"),
                                             int_field("failures")};
  for (auto& f : meta_fields()) fields.push_back(f);
  TableBuilder t(fields);
  int64_t n = 0;
  auto add = [&](const char* job, const char* item, std::optional<int64_t> employee,
                 const char* error, int failures) {
    t.text(job).text(item);
    if (employee)
      t.long_(*employee);
    else
      t.long_(std::nullopt);
    t.text(error).int_(failures);
    meta(t, ++n);
    t.end_row();
  };
  add("distances", "employee 42", 42, "address of 3000 bytes", 2);
  add("notify", "activity 7", 7, "violates check constraint", 1);
  add("publish", "2025 kpi_by_bu 1a2b", std::nullopt, "index row size exceeds", 1);
  auto f = *BronzeState::of(t.take(), {"job", "item"});
  SilverInputs in;
  in.job_failures = &f;
  const Silver s = build_silver(in);
  ASSERT_EQ(s.issues.size(), 3u);
  EXPECT_EQ(count(s, "distances_failed", "42"), 1u);
  EXPECT_EQ(count(s, "notify_failed", "7"), 1u);
  EXPECT_EQ(count(s, "publish_failed", "2025 kpi_by_bu 1a2b"), 1u);
  // The notify failure belongs to the activities' part, built after the employees' part.
  auto rule = [&](std::string_view name) {
    return *std::find_if(s.issues.begin(), s.issues.end(),
                         [&](const DqIssue& i) { return i.rule == name; });
  };
  EXPECT_EQ(rule("distances_failed").employee_id, 42);
  EXPECT_EQ(rule("notify_failed").employee_id, 7);
  EXPECT_EQ(rule("notify_failed").table, "activities");
  EXPECT_EQ(rule("publish_failed").employee_id, std::nullopt);
  EXPECT_NE(rule("distances_failed").reason.find("3000 bytes"), std::string::npos);
  EXPECT_NE(rule("distances_failed").reason.find("2 essais"), std::string::npos);
  EXPECT_EQ(rule("distances_failed").table, "commutes");
}

// The full refresh builds each piece straight into its tables' columns (SilverColumns), in the
// buffers of a piece already written (reuse): the same columns as Silver's rows built as structs
// and turned into columns by their spec, and nothing of the reused piece shows through.
TEST(SilverBuild, ColumnsBuiltAreTheRowsAsTheirSpecWritesThem) {
  auto a = activities();
  SilverInputs in;
  in.activities = &a;
  in.now_us = at(2026, 6, 1);
  IdSet employee_ids;
  for (int64_t id : {1, 2, 5}) employee_ids.insert(id);
  Silver rows;
  SilverRows as_rows(rows);
  build_activity_rows(in, employee_ids, a.rows(), as_rows);
  const auto& specs = silver_specs();
  const auto expected_activities =
      record_batch(specs.activities, std::span<const Activity>(rows.activities));
  const auto expected_issues = record_batch(specs.dq_issues, std::span<const DqIssue>(rows.issues));
  ASSERT_GT(rows.activities.size(), 0u);
  ASSERT_GE(rows.issues.size(), 3u);

  auto same = [](const columnar::RecordBatch& got, const columnar::RecordBatch& expected) {
    ASSERT_EQ(got.num_rows, expected.num_rows);
    ASSERT_EQ(got.columns.size(), expected.columns.size());
    for (size_t c = 0; c < got.columns.size(); ++c) {
      EXPECT_EQ(got.schema[c].name, expected.schema[c].name);
      EXPECT_EQ(got.columns[c].length, expected.columns[c].length) << got.schema[c].name;
      EXPECT_EQ(columnar::to_debug_string(got.columns[c]),
                columnar::to_debug_string(expected.columns[c]))
          << got.schema[c].name;
    }
  };
  SilverColumns columns;
  build_activity_rows(in, employee_ids, a.rows(), columns);
  auto first_activities = columns.take_activities();
  auto first_issues = columns.take_issues();
  same(first_activities, expected_activities);
  same(first_issues, expected_issues);

  // Built again in the first piece's buffers, twice over (more rows than the first held, and
  // more than a block: SpecRows fills its columns k_rows_per_block rows at a time).
  columns.reuse(std::move(first_activities), std::move(first_issues));
  std::vector<size_t> many;
  for (size_t i = 0; i < k_rows_per_block + 7; ++i)
    for (size_t r : a.rows()) many.push_back(r);
  build_activity_rows(in, employee_ids, many, columns);
  Silver many_rows;
  SilverRows as_many_rows(many_rows);
  build_activity_rows(in, employee_ids, many, as_many_rows);
  same(columns.take_activities(),
       record_batch(specs.activities, std::span<const Activity>(many_rows.activities)));
  same(columns.take_issues(),
       record_batch(specs.dq_issues, std::span<const DqIssue>(many_rows.issues)));
}

}  // namespace
}  // namespace sl::lakehouse

namespace sl::lakehouse {
namespace {

// Gold's parts (gold_parts.hpp): a year whose months are given partly as activities, partly as
// the parts of those activities stored and taken back, gives the same Gold — to the last bit —
// as all the activities given in any order.
// An employee's tally is found by its id in a vector for small non-negative ids and in a hash map
// for the others: every kind of id gets its own activities, and only its own.
TEST(GoldParts, EveryKindOfEmployeeIdGetsItsOwnActivities) {
  const std::vector<int64_t> ids = {3, 0, -5, int64_t{1} << 21, int64_t{1} << 40, (int64_t{1} << 20) - 1};
  std::vector<Employee> employees;
  for (int64_t id : ids) employees.push_back({.id = id, .business_unit = "R&D"});
  employees.push_back({.id = 7, .business_unit = "R&D"});  // none
  YearActivities year(2025);
  int64_t activity_id = 0;
  for (size_t e = 0; e < ids.size(); ++e)
    for (size_t n = 0; n <= e; ++n) {
      Activity a;
      a.activity_id = ++activity_id;
      a.employee_id = ids[e];
      a.sport_type = "Run";
      a.start_date_local_us = days_from_civil({2025, 3, 1 + static_cast<int>(n)}) * 86'400'000'000LL;
      year.add(a);
    }
  const Gold g = build_gold(employees, {}, year, {}, 2025, {});
  ASSERT_EQ(g.wellbeing.size(), employees.size());
  for (const auto& w : g.wellbeing) {
    const auto at = std::find(ids.begin(), ids.end(), w.employee_id);
    const int expected = at == ids.end() ? 0 : static_cast<int>(at - ids.begin()) + 1;
    EXPECT_EQ(w.activities, expected) << w.employee_id;
  }
}

TEST(GoldParts, MonthsTakenBackAsPartsGiveTheSameGold) {
  std::vector<Employee> employees;
  for (int64_t id = 1; id <= 6; ++id) employees.push_back({.id = id, .business_unit = "R&D"});
  std::vector<Activity> activities;
  for (int64_t i = 0; i < 400; ++i) {
    Activity a;
    a.activity_id = i;
    a.employee_id = 1 + (i * 7) % 6;
    a.sport_type = (i / 12) % 3 == 0 ? "Run" : (i / 12) % 3 == 1 ? "Ride" : "Course à pied";
    a.distance_m = 1000.0 + static_cast<double>(i) * 37.123456789;  // not whole millimetres
    a.moving_time_s = static_cast<int32_t>(600 + i);
    a.commute = i % 5 == 0;
    const int month = 1 + static_cast<int>((i * 11) % 12);
    a.start_date_local_us = days_from_civil({2025, month, 1 + static_cast<int>(i % 28)}) * 86'400'000'000LL;
    activities.push_back(a);
  }
  YearActivities all(2025), reversed(2025), mixed(2025), stored(2025);
  for (const auto& a : activities) all.add(a);
  for (auto a = activities.rbegin(); a != activities.rend(); ++a) reversed.add(*a);
  // Months 1-7 as parts (stored, then taken back), 8-12 as activities.
  for (const auto& a : activities) stored.add(a);
  for (int month = 1; month <= 7; ++month) {
    for (const auto& p : stored.wellbeing_parts(month, 42)) mixed.add(p);
    for (const auto& p : stored.monthly_parts(month, 42)) mixed.add(p);
  }
  for (const auto& a : activities)
    if (civil_from_days(floor_div(*a.start_date_local_us, 86'400'000'000LL)).month > 7) mixed.add(a);
  EXPECT_TRUE(mixed.wellbeing_parts(3, 42).empty()) << "the parts taken back are not given again";
  EXPECT_FALSE(mixed.wellbeing_parts(9, 42).empty());

  auto gold = [&](const YearActivities& y) { return build_gold(employees, {}, y, {}, 2025, {}); };
  const Gold a = gold(all), b = gold(reversed), c = gold(mixed);
  ASSERT_EQ(a.monthly.size(), 36u);
  ASSERT_EQ(a.wellbeing.size(), 6u);
  for (const Gold* other : {&b, &c}) {
    ASSERT_EQ(other->monthly.size(), a.monthly.size());
    for (size_t i = 0; i < a.monthly.size(); ++i) {
      EXPECT_EQ(other->monthly[i].month, a.monthly[i].month);
      EXPECT_EQ(other->monthly[i].sport_type, a.monthly[i].sport_type);
      EXPECT_EQ(other->monthly[i].activities, a.monthly[i].activities);
      EXPECT_EQ(other->monthly[i].distance_km, a.monthly[i].distance_km);  // exactly
      EXPECT_EQ(other->monthly[i].moving_hours, a.monthly[i].moving_hours);
    }
    for (size_t i = 0; i < a.wellbeing.size(); ++i) {
      EXPECT_EQ(other->wellbeing[i].activities, a.wellbeing[i].activities);
      EXPECT_EQ(other->wellbeing[i].first_activity_us, a.wellbeing[i].first_activity_us);
      EXPECT_EQ(other->wellbeing[i].last_activity_us, a.wellbeing[i].last_activity_us);
    }
    EXPECT_EQ(other->summary.activities, a.summary.activities);
  }
  EXPECT_EQ(a.summary.activities, 320) << "400 less the 80 commutes";
}

}  // namespace
}  // namespace sl::lakehouse
