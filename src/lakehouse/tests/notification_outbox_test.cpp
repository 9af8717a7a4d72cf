// outbox_update: what each outcome of a post does to its notification_outbox row.
#include "lakehouse/notification_outbox.hpp"

#include <gtest/gtest.h>

namespace sl::lakehouse {
namespace {

using integrations::NotifyOutcome;
using integrations::NotifyResult;
using std::chrono::milliseconds;

TEST(OutboxUpdate, SentClearsTheErrorAndKeepsTheHttpStatus) {
  auto u = outbox_update({.outcome = NotifyOutcome::sent, .http_status = 200}, 1, 8);
  EXPECT_EQ(u.status, OutboxStatus::sent);
  EXPECT_EQ(u.http_status, 200);
  EXPECT_FALSE(u.last_error);
  EXPECT_FALSE(u.retry_in);
}

TEST(OutboxUpdate, RetryAfterIsHonoured) {
  auto u = outbox_update({.outcome = NotifyOutcome::retry_later,
                          .http_status = 429,
                          .retry_after = milliseconds(7000),
                          .detail = "rate_limited"},
                         2, 8);
  EXPECT_EQ(u.status, OutboxStatus::pending);
  EXPECT_EQ(u.retry_in, milliseconds(7000));
  EXPECT_EQ(u.last_error, "rate_limited");
  EXPECT_EQ(u.http_status, 429);
}

TEST(OutboxUpdate, WithoutRetryAfterTheBackoffDoublesUpToFiveMinutes) {
  NotifyResult error{.outcome = NotifyOutcome::retry_later, .http_status = 500, .detail = "x"};
  EXPECT_EQ(outbox_update(error, 1, 100).retry_in, milliseconds(2000));
  EXPECT_EQ(outbox_update(error, 3, 100).retry_in, milliseconds(8000));
  EXPECT_EQ(outbox_update(error, 8, 100).retry_in, milliseconds(256000));
  EXPECT_EQ(outbox_update(error, 9, 100).retry_in, milliseconds(300000));
  EXPECT_EQ(outbox_update(error, 40, 100).retry_in, milliseconds(300000));
}

TEST(OutboxUpdate, GivesUpAfterMaxAttempts) {
  NotifyResult refused{.outcome = NotifyOutcome::retry_later, .detail = "connection refused"};
  auto u = outbox_update(refused, 8, 8);
  EXPECT_EQ(u.status, OutboxStatus::failed);
  EXPECT_EQ(u.last_error, "gave up after 8 attempts: connection refused");
  EXPECT_FALSE(u.http_status);  // no answer: no HTTP status
  EXPECT_FALSE(u.retry_in);
}

TEST(OutboxUpdate, RejectedFailsAtOnce) {
  auto u = outbox_update(
      {.outcome = NotifyOutcome::rejected, .http_status = 404, .detail = "no_service"}, 1, 8);
  EXPECT_EQ(u.status, OutboxStatus::failed);
  EXPECT_EQ(u.http_status, 404);
  EXPECT_EQ(u.last_error, "no_service");
}

TEST(OutboxUpdate, UncertainIsNeverRetried) {
  auto u = outbox_update({.outcome = NotifyOutcome::uncertain, .detail = "timeout"}, 1, 8);
  EXPECT_EQ(u.status, OutboxStatus::uncertain);
  EXPECT_FALSE(u.retry_in);
  EXPECT_EQ(u.last_error, "timeout");
}

}  // namespace
}  // namespace sl::lakehouse
