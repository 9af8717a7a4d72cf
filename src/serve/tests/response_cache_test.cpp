// The rendered answers' cache: hits under the same versions, everything dropped on new ones,
// least recently used out first, answers of older versions not kept.
#include <gtest/gtest.h>

#include "serve/response_cache.hpp"

namespace sl::serve {
namespace {

CachedAnswer page(std::string body) { return {std::move(body), "text/html"}; }

TEST(ResponseCache, HitsUnderTheSameVersionsOnly) {
  ResponseCache cache;
  EXPECT_EQ(cache.find("1.1", "/?year=2025"), nullptr);
  cache.insert("1.1", "/?year=2025", page("<p>2025</p>"));
  auto hit = cache.find("1.1", "/?year=2025");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->body, "<p>2025</p>");
  EXPECT_EQ(hit->content_type, "text/html");
  EXPECT_EQ(cache.find("1.1", "/?year=2024"), nullptr);
  // A refresh committed: the old answers are gone, even when asked under the old versions again.
  EXPECT_EQ(cache.find("1.2", "/?year=2025"), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find("1.1", "/?year=2025"), nullptr);
}

TEST(ResponseCache, DoesNotKeepWhatOlderVersionsRendered) {
  ResponseCache cache;
  EXPECT_EQ(cache.find("1.1", "a"), nullptr);
  EXPECT_EQ(cache.find("1.2", "a"), nullptr);  // another request saw the refresh
  cache.insert("1.1", "a", page("old"));      // the first one finishes with the old figures
  EXPECT_EQ(cache.find("1.2", "a"), nullptr);
  cache.insert("1.2", "a", page("new"));
  EXPECT_EQ(cache.find("1.2", "a")->body, "new");
}

TEST(ResponseCache, EvictsTheLeastRecentlyUsed) {
  ResponseCache cache(2, 1 << 20);
  cache.find("v", "a");
  cache.insert("v", "a", page("A"));
  cache.insert("v", "b", page("B"));
  ASSERT_NE(cache.find("v", "a"), nullptr);  // a is now the most recent
  cache.insert("v", "c", page("C"));
  EXPECT_NE(cache.find("v", "a"), nullptr);
  EXPECT_EQ(cache.find("v", "b"), nullptr);
  EXPECT_NE(cache.find("v", "c"), nullptr);
  cache.insert("v", "c", page("C2"));  // replacing keeps one entry
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find("v", "c")->body, "C2");
}

TEST(ResponseCache, BoundedByBytes) {
  ResponseCache cache(100, 10);
  cache.find("v", "a");
  cache.insert("v", "a", page("12345"));
  cache.insert("v", "b", page("12345"));  // 6 + 6 bytes with the keys: a goes
  EXPECT_EQ(cache.find("v", "a"), nullptr);
  EXPECT_NE(cache.find("v", "b"), nullptr);
  cache.insert("v", "big", page(std::string(20, 'x')));  // larger than the whole cache
  EXPECT_EQ(cache.find("v", "big"), nullptr);
  EXPECT_NE(cache.find("v", "b"), nullptr);
}

}  // namespace
}  // namespace sl::serve
