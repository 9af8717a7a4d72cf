// Listen addresses: host:port, [IPv6]:port, and the URL printed for them.
#include <gtest/gtest.h>

#include "serve/http_server.hpp"

namespace sl::serve {
namespace {

TEST(HttpServer, ParsesListenAddresses) {
  auto v4 = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad :
       {"::1:8080", "127.0.0.1", "127.0.0.1:x", "127.0.0.1:70000", "[::1]8080", ":8080", "[::1"}) {
    auto parsed = parse_listen(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
  }
  EXPECT_NE(parse_listen("::1:8080").error().message.find("brackets"), std::string::npos);
}

TEST(HttpServer, BindsLoopbackAndSaysSo) {
  HttpServer v4(*parse_listen("127.0.0.1:0"));
  auto bound = v4.bind();
  ASSERT_TRUE(bound.ok()) << bound.error().to_string();
  EXPECT_TRUE(bound->loopback);
  EXPECT_GT(bound->port, 0);
  EXPECT_EQ(bound->url, "http://127.0.0.1:" + std::to_string(bound->port) + "/");

  HttpServer v6(*parse_listen("[::1]:0"));
  auto bound6 = v6.bind();
  if (!bound6.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << bound6.error().to_string();
  EXPECT_TRUE(bound6->loopback);
  EXPECT_EQ(bound6->url, "http://[::1]:" + std::to_string(bound6->port) + "/");
}

TEST(HttpServer, LoopbackHostsWithoutBinding) {
  for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
    EXPECT_TRUE(*is_loopback_host(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "192.0.2.1", "::ffff:192.0.2.1"})
    EXPECT_FALSE(*is_loopback_host(host)) << host;
}

}  // namespace
}  // namespace sl::serve
