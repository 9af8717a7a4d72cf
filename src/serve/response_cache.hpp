// ResponseCache: answers already rendered (a page's HTML, an API route's JSON), kept per request
// key — the year, language, role and table parameters that made them — under the lake versions
// they were drawn from (GoldReader::versions_key). A page asked again costs a lookup instead of
// its rendering; a refresh commits new versions, and the first request that sees them drops
// every answer of the old ones. Bounded by entries and bytes, least recently used out first.
// Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/result.hpp"
#include "serve/access.hpp"
#include "serve/i18n.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

struct CachedAnswer {
  std::string body;
  std::string content_type;
};

class ResponseCache {
 public:
  explicit ResponseCache(size_t max_entries = 512, size_t max_bytes = 64u << 20)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The answer kept for `key` under `versions`; null when none (or only one of other versions,
  // which are then all dropped).
  std::shared_ptr<const CachedAnswer> find(const std::string& versions, const std::string& key);
  // Keeps `answer` for `key`, drawn from `versions`.
  void insert(const std::string& versions, const std::string& key, CachedAnswer answer);

  size_t size() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const CachedAnswer>>;
  void switch_versions(const std::string& versions);  // mutex_ held

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::string versions_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
  size_t bytes_ = 0;
};

// What makes an answer: the path, the query parameters (the `token` of a login aside; `lang` as
// the language chosen, Accept-Language included) and the role.
std::string answer_key(const httplib::Request& req, Lang lang, Role role);

// Answers `res` from `cache` when it holds the answer of `key` under `versions`; otherwise
// `render` writes `res`, and a 200 is kept. Without versions (a table missing: an error page
// follows) nothing is cached.
void answer_cached(ResponseCache& cache, const Result<std::string>& versions,
                   const std::string& key, httplib::Response& res,
                   const std::function<void(httplib::Response&)>& render);

}  // namespace sl::serve
