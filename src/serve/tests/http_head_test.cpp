// The server's front reads request heads: where they end, whether they announce a body, cookies.
#include <gtest/gtest.h>

#include "serve/http_head.hpp"

namespace sl::serve {
namespace {

TEST(HttpHead, IncompleteUntilTheEmptyLine) {
  EXPECT_EQ(scan_request_head("", 100).state, HeadState::incomplete);
  EXPECT_EQ(scan_request_head("GET / HTTP/1.1\r\nHost: x\r\n", 100).state, HeadState::incomplete);
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto scan = scan_request_head(head + "GET /next", 100);
  EXPECT_EQ(scan.state, HeadState::complete);
  EXPECT_EQ(scan.length, head.size());  // a pipelined next request is not part of it
}

TEST(HttpHead, RequestPathIsTheTargetWithoutItsQuery) {
  EXPECT_EQ(request_path("GET /api/feed HTTP/1.1\r\nHost: x\r\n\r\n"), "/api/feed");
  EXPECT_EQ(request_path("GET /api/feed?token=x HTTP/1.1\r\n"), "/api/feed");
  EXPECT_EQ(request_path("GET /a#b HTTP/1.1\r\n"), "/a");
  EXPECT_EQ(request_path("GET"), "");
  EXPECT_EQ(request_path(""), "");
  EXPECT_EQ(request_path("GET /x"), "/x");
}

TEST(HttpHead, TooLargeWithoutAnEnd) {
  EXPECT_EQ(scan_request_head(std::string(64, 'a'), 64).state, HeadState::too_large);
  EXPECT_EQ(scan_request_head(std::string(63, 'a'), 64).state, HeadState::incomplete);
  // The end must lie within the limit.
  EXPECT_EQ(scan_request_head(std::string(64, 'a') + "\r\n\r\n", 64).state, HeadState::too_large);
}

TEST(HttpHead, BodiesAreAnnounced) {
  auto state = [](const std::string& field) {
    return scan_request_head("POST / HTTP/1.1\r\nHost: x\r\n" + field + "\r\n\r\n", 1000).state;
  };
  EXPECT_EQ(state("Content-Length: 5"), HeadState::has_body);
  EXPECT_EQ(state("content-LENGTH:12"), HeadState::has_body);
  EXPECT_EQ(state("Content-Length: x"), HeadState::has_body);
  EXPECT_EQ(state("Transfer-Encoding: chunked"), HeadState::has_body);
  EXPECT_EQ(state("Content-Length: 0"), HeadState::complete);
  EXPECT_EQ(state("Content-Length:   00 "), HeadState::complete);
  EXPECT_EQ(state("X-Content-Length: 5"), HeadState::complete);
}

TEST(HttpHead, CookieValues) {
  EXPECT_EQ(cookie_value("a=1; sportlake_session=slh_x; b=2", "sportlake_session"), "slh_x");
  EXPECT_EQ(cookie_value("sportlake_session=\"v\"", "sportlake_session"), "v");
  EXPECT_EQ(cookie_value("xsportlake_session=v", "sportlake_session"), "");
  EXPECT_EQ(cookie_value("", "sportlake_session"), "");
  EXPECT_EQ(cookie_value(";;=;a", "a"), "");
}

}  // namespace
}  // namespace sl::serve
