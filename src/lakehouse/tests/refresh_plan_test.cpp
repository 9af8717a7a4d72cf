// The incremental refresh's dependency rules (refresh_plan.hpp) and its reading of Bronze's log
// (bronze_changes.hpp): which activities are rebuilt for which change, and which log histories
// force a full rebuild.
#include "lakehouse/refresh_plan.hpp"

#include <gtest/gtest.h>

#include "lakehouse/bronze_changes.hpp"
#include "lakehouse/silver_build.hpp"

namespace sl::lakehouse {
namespace {

TEST(RefreshPlan, EmployeesInOrOutAreTheSymmetricDifference) {
  EXPECT_EQ(employees_in_or_out({1, 2, 3}, {2, 3, 4}), (std::set<int64_t>{1, 4}));
  EXPECT_TRUE(employees_in_or_out({1, 2}, {2, 1}).empty());
}

TEST(RefreshPlan, ChangedActivitiesAloneAreRebuilt) {
  ActivityDependencies d;
  d.changed = {30, 10, 30};
  // Other employees' activities and findings are listed but nobody entered or left.
  d.silver_activities = {{11, 5}, {12, 6}};
  d.rejected_activity_findings = {{"13", 7}};
  const auto r = activities_to_rebuild(d);
  EXPECT_EQ(r.activities, (std::vector<int64_t>{10, 30}));
  EXPECT_TRUE(r.other_finding_keys.empty());
  EXPECT_TRUE(r.rebuilds_findings_of("10") && r.rebuilds_findings_of("30"));
  EXPECT_FALSE(r.rebuilds_findings_of("13") || r.rebuilds_findings_of("010"));
}

TEST(RefreshPlan, AnEmployeeLeavingRebuildsTheirActivities) {
  // Employee 5 left Silver (deleted, or now rejected): their activities in Silver must go to
  // employee_exists findings; employee 6 stays and keeps theirs untouched.
  ActivityDependencies d;
  d.employees_in_or_out = {5};
  d.silver_activities = {{11, 5}, {12, 6}, {14, 5}};
  const auto r = activities_to_rebuild(d);
  EXPECT_EQ(r.activities, (std::vector<int64_t>{11, 14}));
}

TEST(RefreshPlan, AnEmployeeArrivingRebuildsTheActivitiesRejectedForThem) {
  // Employee 7 was unknown: activity 13 was rejected (employee_exists); now it is accepted.
  ActivityDependencies d;
  d.employees_in_or_out = {7};
  d.rejected_activity_findings = {{"13", 7}, {"15", 8}};
  const auto r = activities_to_rebuild(d);
  EXPECT_EQ(r.activities, (std::vector<int64_t>{13}));
}

TEST(RefreshPlan, AnActivityRejectedForAnotherRuleFollowsItsEmployee) {
  // Activity 80 is out of Silver for a zero duration; its employee 7 leaves: it must gain the
  // employee_exists finding although it is in no Silver activity (found by a random history:
  // looking only at the employee_exists findings missed it).
  ActivityDependencies d;
  d.employees_in_or_out = {7};
  d.rejected_activity_findings = {{"80", 7}};
  EXPECT_EQ(activities_to_rebuild(d).activities, (std::vector<int64_t>{80}));
}

TEST(RefreshPlan, NotifyFailuresAndDueActivitiesAreRebuilt) {
  ActivityDependencies d;
  d.notify_items = {"21", "not-an-id"};
  d.now_due = {40};
  const auto r = activities_to_rebuild(d);
  EXPECT_EQ(r.activities, (std::vector<int64_t>{21, 40}));
  // A key that is no activity id: only its findings are replaced.
  EXPECT_EQ(r.other_finding_keys, (std::set<std::string>{"not-an-id"}));
  for (const char* key : {"21", "40", "not-an-id"}) EXPECT_TRUE(r.rebuilds_findings_of(key));
  EXPECT_FALSE(r.rebuilds_findings_of("22"));
  EXPECT_TRUE(activities_to_rebuild({}).empty());
}

TEST(RefreshPlan, FindingsOfActivitiesAreOwnedByTheActivitiesPart) {
  EXPECT_TRUE(owned_by_activity({.table = "activities", .rule = "notify_failed"}));
  EXPECT_FALSE(owned_by_activity({.table = "commutes", .rule = "distances_failed"}));
  EXPECT_FALSE(owned_by_activity({.table = "employees", .rule = "salary_positive"}));
}

TEST(RefreshPlan, AStartMonthIsLocalThenUtc) {
  Activity a;
  a.start_date_utc_us = 1'735'689'600'000'000LL - 3'600'000'000LL;  // 2024-12-31 23:00 UTC
  set_start_month(a);
  EXPECT_EQ(std::pair(a.start_year, a.start_month), std::pair(2024, 12));
  a.start_date_local_us = 1'735'689'600'000'000LL;  // 2025-01-01 00:00 local
  set_start_month(a);
  EXPECT_EQ(std::pair(a.start_year, a.start_month), std::pair(2025, 1));
}

delta::Add add(std::string path, bool data_change = true) {
  delta::Add a;
  a.path = std::move(path);
  a.data_change = data_change;
  return a;
}
delta::Remove remove(std::string path, bool data_change) {
  delta::Remove r;
  r.path = std::move(path);
  r.data_change = data_change;
  return r;
}

TEST(BronzeChanges, TheFilesAddedAfterTheWatermark) {
  delta::Snapshot latest;
  latest.version = 4;
  latest.files = {add("a"), add("b"), add("c")};
  const auto c = changes_from_commits({{3, {add("b")}}, {4, {add("c")}}}, latest, 2);
  ASSERT_FALSE(c.rewritten);
  ASSERT_EQ(c.files.size(), 2u);
  EXPECT_EQ(c.files[0].path, "b");
  EXPECT_EQ(c.files[1].path, "c");
  EXPECT_EQ(c.to_version, 4);
  EXPECT_TRUE(changes_from_commits({}, latest, 4).empty());
}

TEST(BronzeChanges, ACompactionIsReadInsteadOfTheFilesItMerged) {
  delta::Snapshot latest;
  latest.version = 5;
  latest.files = {add("a"), add("bc", false)};
  const auto c = changes_from_commits(
      {{3, {add("b")}},
       {4, {add("c")}},
       {5, {remove("b", false), remove("c", false), add("bc", false)}}},
      latest, 2);
  ASSERT_FALSE(c.rewritten);
  ASSERT_EQ(c.files.size(), 1u);
  EXPECT_EQ(c.files[0].path, "bc");
  // A compaction of older files alone adds nothing to read.
  EXPECT_TRUE(changes_from_commits({{5, {remove("a", false), add("a2", false)}}}, latest, 4)
                  .files.empty());
}

TEST(BronzeChanges, RewrittenHistoriesFallBackToFull) {
  delta::Snapshot latest;
  latest.version = 4;
  latest.files = {add("a")};
  EXPECT_TRUE(changes_from_commits({{4, {delta::Metadata{}}}}, latest, 3).rewritten);
  EXPECT_TRUE(changes_from_commits({{4, {remove("a", true)}}}, latest, 3).rewritten);
  EXPECT_TRUE(changes_from_commits({}, latest, 7).rewritten);  // recreated below the watermark
  // A changed file gone with no compaction holding it (vacuumed).
  EXPECT_TRUE(changes_from_commits({{4, {add("gone")}}}, latest, 3).rewritten);
}

}  // namespace
}  // namespace sl::lakehouse
