// SlackWebhook against a real HTTP server on loopback (cpp-httplib) that records what it receives
// and answers as Slack does: 200 ok, 429 with Retry-After, 500, 404 no_service, no answer at all;
// and a port nobody listens on.
#include "integrations/slack_webhook.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

namespace sl::integrations {
namespace {

class SlackServer : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/ok", [this](const httplib::Request& req, httplib::Response& res) {
      bodies_.push_back(req.body);
      content_types_.push_back(req.get_header_value("Content-Type"));
      res.set_content("ok", "text/plain");
    });
    server_.Post("/limited", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "3");
      res.set_content("rate_limited", "text/plain");
    });
    server_.Post("/error", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("rollup_error", "text/plain");
    });
    server_.Post("/gone", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("no_service", "text/plain");
    });
    server_.Post("/silent", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  std::string url(std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
};

TEST_F(SlackServer, TwoHundredIsSentAndTheBodyArrivesAsJson) {
  SlackWebhook hook(url("/ok"));
  SlackCard card{"Bravo Juliette Mendes ! Tu viens de courir 10,9 km <vite> & bien",
                 "🏃 Nouvelle activité : Course à pied",
                 {{"Distance", "10,9 km"}, {"Durée", "1 h 17 min"}},
                 "💬 « Reprise du sport »"};
  auto result = hook.post(slack_payload(card));
  EXPECT_EQ(result.outcome, NotifyOutcome::sent);
  EXPECT_EQ(result.http_status, 200);
  ASSERT_EQ(bodies_.size(), 1u);
  EXPECT_EQ(content_types_[0], "application/json; charset=utf-8");
  auto json = nlohmann::json::parse(bodies_[0]);
  EXPECT_EQ(json["text"],
            "Bravo Juliette Mendes ! Tu viens de courir 10,9 km &lt;vite&gt; &amp; bien");
  ASSERT_EQ(json["blocks"].size(), 4u);
  EXPECT_EQ(json["blocks"][0]["type"], "header");
  EXPECT_EQ(json["blocks"][0]["text"]["text"], "🏃 Nouvelle activité : Course à pied");
  EXPECT_EQ(json["blocks"][2]["fields"][1]["text"], "*Durée*\n1 h 17 min");
  EXPECT_EQ(json["blocks"][3]["elements"][0]["text"], "💬 « Reprise du sport »");
}

TEST_F(SlackServer, RateLimitedWaitsForRetryAfter) {
  auto result = SlackWebhook(url("/limited")).post("{\"text\":\"x\"}");
  EXPECT_EQ(result.outcome, NotifyOutcome::retry_later);
  EXPECT_EQ(result.http_status, 429);
  EXPECT_EQ(result.retry_after, std::chrono::seconds(3));
}

TEST_F(SlackServer, ServerErrorsAreRetriedOtherRefusalsAreNot) {
  EXPECT_EQ(SlackWebhook(url("/error")).post("{}").outcome, NotifyOutcome::retry_later);
  auto gone = SlackWebhook(url("/gone")).post("{}");
  EXPECT_EQ(gone.outcome, NotifyOutcome::rejected);
  EXPECT_EQ(gone.detail, "no_service");
}

TEST_F(SlackServer, NoAnswerAfterSendingIsUncertain) {
  auto result =
      SlackWebhook(url("/silent"), std::chrono::milliseconds(300)).post("{\"text\":\"x\"}");
  EXPECT_EQ(result.outcome, NotifyOutcome::uncertain);
  EXPECT_EQ(result.http_status, 0);
}

TEST(SlackWebhook, NobodyListeningIsSafeToRetry) {
  // A port taken by a socket that never listens: connections to it are refused.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  auto result =
      SlackWebhook("http://127.0.0.1:" + std::to_string(port) + "/services/T/B/secret").post("{}");
  EXPECT_EQ(result.outcome, NotifyOutcome::retry_later);
  EXPECT_EQ(result.detail.find("secret"), std::string::npos) << "the webhook path is a secret";
  ::close(fd);
}

TEST(SlackPayload, LongTextsAreClippedWithinSlackLimits) {
  SlackCard card{std::string(5000, 'a'), std::string(300, 'h'), {}, ""};
  auto json = nlohmann::json::parse(slack_payload(card));
  EXPECT_LE(json["text"].get<std::string>().size(), 3000u);
  EXPECT_LE(json["blocks"][0]["text"]["text"].get<std::string>().size(), 150u);
  EXPECT_EQ(redact_url("https://hooks.slack.com/services/T0/B0/XYZ"), "https://hooks.slack.com/…");
}

// No secret of a webhook URL reaches a log: path, user info, query, fragment.
TEST(RedactUrl, HidesEveryPlaceASecretCanHide) {
  EXPECT_EQ(redact_url("https://hooks.slack.com/services/T0/B0/XYZ"), "https://hooks.slack.com/…");
  EXPECT_EQ(redact_url("https://bot:s3cret@chat.example.com/hook"), "https://…@chat.example.com/…");
  EXPECT_EQ(redact_url("https://chat.example.com?token=s3cret"), "https://chat.example.com?…");
  EXPECT_EQ(redact_url("http://127.0.0.1:8080#s3cret"), "http://127.0.0.1:8080#…");
  EXPECT_EQ(redact_url("https://u:p@h:1/x?y=z"), "https://…@h:1/…");
  EXPECT_EQ(redact_url("https://chat.example.com/"), "https://chat.example.com/");
  EXPECT_EQ(redact_url("https://chat.example.com"), "https://chat.example.com");
  for (const char* url : {"https://bot:s3cret@h/p", "https://h?token=s3cret", "https://h/s3cret"})
    EXPECT_EQ(redact_url(url).find("s3cret"), std::string::npos) << url;
}

}  // namespace
}  // namespace sl::integrations
