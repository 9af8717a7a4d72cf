// Rendered answers per request key and lake versions.
#include "serve/response_cache.hpp"

#include <httplib.h>

namespace sl::serve {

void ResponseCache::switch_versions(const std::string& versions) {
  if (versions == versions_) return;
  versions_ = versions;
  lru_.clear();
  by_key_.clear();
  bytes_ = 0;
}

std::shared_ptr<const CachedAnswer> ResponseCache::find(const std::string& versions,
                                                        const std::string& key) {
  std::lock_guard lock(mutex_);
  switch_versions(versions);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ResponseCache::insert(const std::string& versions, const std::string& key,
                           CachedAnswer answer) {
  const size_t size = answer.body.size() + key.size();
  if (size > max_bytes_) return;
  std::lock_guard lock(mutex_);
  // Rendered from versions older than those another request has seen meanwhile: not kept.
  if (versions != versions_) return;
  if (auto it = by_key_.find(key); it != by_key_.end()) {
    bytes_ -= it->second->second->body.size() + key.size();
    lru_.erase(it->second);
    by_key_.erase(it);
  }
  lru_.emplace_front(key, std::make_shared<const CachedAnswer>(std::move(answer)));
  by_key_[key] = lru_.begin();
  bytes_ += size;
  while (!lru_.empty() && (lru_.size() > max_entries_ || bytes_ > max_bytes_)) {
    const auto& last = lru_.back();
    bytes_ -= last.second->body.size() + last.first.size();
    by_key_.erase(last.first);
    lru_.pop_back();
  }
}

size_t ResponseCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::string answer_key(const httplib::Request& req, Lang lang, Role role) {
  // Unit separators: no parameter's text can forge another key.
  std::string key = req.path;
  for (const auto& [name, value] : req.params)  // a multimap: sorted by name
    if (name != "token" && name != "lang") key += '\x1f' + name + '\x1e' + value;
  return key + '\x1f' + std::string(lang_code(lang)) + '\x1f' + std::string(role_name(role));
}

void answer_cached(ResponseCache& cache, const Result<std::string>& versions,
                   const std::string& key, httplib::Response& res,
                   const std::function<void(httplib::Response&)>& render) {
  if (!versions) return render(res);
  if (auto hit = cache.find(*versions, key)) {
    res.set_content(hit->body, hit->content_type);
    return;
  }
  render(res);
  // Still -1 until cpp-httplib writes the answer: the handler set no error status.
  if (res.status == -1 || res.status == 200)
    cache.insert(*versions, key, {res.body, res.get_header_value("Content-Type")});
}

}  // namespace sl::serve
