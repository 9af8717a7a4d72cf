// StatusReport's JSON (the /api/status answer) and text (`sportlake status`).
#include "ops/status_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sl::ops {
namespace {

StatusReport sample() {
  StatusReport r;
  r.generated_at_ms = 1'700'000'010'000;
  r.server_version = "15.5";
  r.database = "sportlake";
  r.embedded = true;
  r.wal_lsn = "0/3000000";
  r.slots = {{"sportlake_bronze", true, "0/2FFFF00", 256, 4096}};
  r.notifications = {{{"sent"}, 5}, {{"uncertain"}, 1}};
  r.distances = {{{"offline", "ok"}, 68}};
  r.job_failures = {{"notify", 1, {"activity 9 (employee 3): refused"}}};
  r.lake_root = "/lake";
  LakeTable bronze{"bronze", "strava_activities", "", 4, 1'700'000'000'000, 5, 5, 9000,
                   "never checked (sportlake lake check)", std::nullopt, false};
  LakeTable gold{"gold", "prime_sportive", "", 2, 1'700'000'005'000, 1, 1, 100,
                 "checked clean", 1'700'000'006'000, false};
  r.tables = {bronze, gold, {"silver", "employees", "unreadable", -1, 0, 0, 0, 0, "", {}, false}};
  return r;
}

TEST(StatusReport, JsonHasEveryFactWithTimesAndFreshness) {
  const auto j = nlohmann::json::parse(status_json(sample()));
  EXPECT_EQ(j["slots"][0]["name"], "sportlake_bronze");
  EXPECT_EQ(j["slots"][0]["wal_held_bytes"], 4096);
  EXPECT_EQ(j["notifications"][1]["status"], "uncertain");
  EXPECT_EQ(j["distances"][0]["provider"], "offline");
  EXPECT_EQ(j["job_failures"][0]["count"], 1);
  EXPECT_EQ(j["lake"]["last_bronze_commit_ms"], 1'700'000'000'000);
  EXPECT_EQ(j["lake"]["last_bronze_commit"], "2023-11-14T22:13:20.000Z");
  EXPECT_DOUBLE_EQ(j["lake"]["bronze_freshness_seconds"].get<double>(), 10.0);
  EXPECT_EQ(j["lake"]["last_refresh_ms"], 1'700'000'005'000);
  EXPECT_EQ(j["lake"]["last_check_ms"], 1'700'000'006'000);
  EXPECT_EQ(j["lake"]["tables"][0]["small_files"], 5);
  EXPECT_EQ(j["lake"]["tables"][2]["error"], "unreadable");
  EXPECT_FALSE(j["database"].contains("error"));
}

TEST(StatusReport, TextKeepsStatusLayout) {
  const std::string text = status_text(sample());
  for (const char* expected :
       {"notifications: 5 sent 1 uncertain", "distances: 68 offline ok",
        "bronze  strava_activities", "5 files (5 small)", "gold    prime_sportive",
        "silver  employees            error: unreadable", "last Bronze commit: 2023-11-14",
        "(10.0 s ago)", "notify     1 failing", "WAL held 4.0 kB"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST(StatusReport, AnUnreachableDatabaseStillShowsTheLake) {
  StatusReport r = sample();
  r.database_error = "connection refused";
  const std::string text = status_text(r);
  EXPECT_NE(text.find("database: unavailable: connection refused"), std::string::npos);
  EXPECT_NE(text.find("bronze  strava_activities"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(status_json(r))["database"]["error"], "connection refused");
}

TEST(StatusReport, KafkaLagPerGroupTopicAndPartition) {
  StatusReport r = sample();
  EXPECT_FALSE(nlohmann::json::parse(status_json(r)).contains("kafka"));  // not configured
  EXPECT_EQ(status_text(r).find("Kafka"), std::string::npos);
  r.kafka = true;
  r.consumer_lag = {{"sl_bronze", "rh_sport.public.rh_employees", 2, 40, 35, 5, 38, 2},
                    {"sl_notify", "rh_sport.public.strava_activities", 0, 9, std::nullopt, 9,
                     std::nullopt, std::nullopt}};
  const auto j = nlohmann::json::parse(status_json(r));
  const auto& lag = j["kafka"]["consumer_lag"];
  ASSERT_EQ(lag.size(), 2u);
  EXPECT_EQ(lag[0]["group"], "sl_bronze");
  EXPECT_EQ(lag[0]["partition"], 2);
  EXPECT_EQ(lag[0]["committed_offset"], 35);
  EXPECT_EQ(lag[0]["lag"], 5);
  EXPECT_EQ(lag[0]["bronze_offset"], 38);
  EXPECT_EQ(lag[0]["bronze_lag"], 2);
  EXPECT_TRUE(lag[1]["committed_offset"].is_null());
  EXPECT_TRUE(lag[1]["bronze_lag"].is_null());
  EXPECT_FALSE(j["kafka"].contains("error"));
  const std::string text = status_text(r);
  for (const char* expected :
       {"Kafka consumer lag", "rh_sport.public.rh_employees:2  committed 35 of 40, lag 5 (Bronze txn "
                              "at 38, lag 2)",
        "rh_sport.public.strava_activities:0  committed - of 9, lag 9\n"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;

  r.kafka_error =
      "broker unreachable (127.0.0.1:1, no answer within 1500 ms): kafka: cannot read the "
      "cluster's topics: Local: Timed out";
  r.consumer_lag.clear();
  EXPECT_EQ(nlohmann::json::parse(status_json(r))["kafka"]["error"], r.kafka_error);
  EXPECT_NE(status_text(r).find("\n  broker unreachable (127.0.0.1:1"), std::string::npos);
  EXPECT_EQ(status_text(r).find("no group committed yet"), std::string::npos);
}

}  // namespace
}  // namespace sl::ops
