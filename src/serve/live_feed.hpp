// The live feed: the latest announced activities (notification_outbox rows `sent`), and new ones
// as they are announced, as server-sent events; and the small script that shows them on the
// overview page without a reload.
//
//   GET /api/feed         viewer: text/event-stream. First `retry: 2000` and the latest
//                         `keep` (20) activities (after `Last-Event-ID` when the browser
//                         reconnects), then each new one as `event: activity`, `id:
//                         <activity_id>`, `data: {"activity_id", "sent_at", "sent_at_ms",
//                         "text"}`; a `: keep-alive` comment every 15 s; the stream ends after
//                         10 minutes (the browser reconnects) and when the server stops.
//   GET /static/feed.js   anyone: the script (code only, no data), from the binary.
//
// One poller thread reads the outbox every `poll` (0.5 s) through a FeedSource the CLI gives
// (serve does not depend on pg), and only while someone is connected; every stream waits on
// the same condition. The HTTP server runs each stream on its own bounded pool (http_server.hpp
// `stream_paths`, `max_streams`): streams never hold the request workers, and beyond the bound
// a new stream gets 503.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "serve/i18n.hpp"

namespace httplib {
class Server;
}

namespace sl::serve {

class Dashboard;

struct FeedItem {
  std::string activity_id;
  std::string cursor;  // the source's position of this item (its sent_at, exactly)
  int64_t sent_at_ms = 0;
  std::string text;
};

// The announced activities after `after` (nullopt: the newest `limit`), oldest first.
using FeedSource =
    std::function<Result<std::vector<FeedItem>>(const std::optional<FeedItem>& after, size_t limit)>;

struct FeedOptions {
  std::chrono::milliseconds poll{500};
  size_t keep = 20;
  std::chrono::milliseconds heartbeat{15'000};
  std::chrono::milliseconds max_stream{600'000};
};

class LiveFeed {
 public:
  // Polls `source` until `stop` becomes true (or destruction).
  LiveFeed(FeedSource source, const std::atomic<bool>& stop, FeedOptions options = {});
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // /api/feed and /static/feed.js; before Dashboard::mount (see operations_page.hpp).
  void mount(httplib::Server& server, const Dashboard& dashboard);

  // The overview page's feed section (an empty list and the script tag) and the page's CSP,
  // which allows scripts and connections to this origin only (no inline script).
  static std::string section_html(Lang lang);
  static const char* page_csp();
  // Fills the empty list of section_html in `page` with the latest `keep` items, newest first,
  // so the page shows them without script (the script then adds what comes after). Per
  // request, outside the page's cache: the feed moves without a refresh. The items come from
  // the poller while someone watches, else from the source at most once per `poll` (a source
  // that fails is not asked again for 5 s: the page is served with what was known).
  void fill_section(std::string& page, Lang lang);

 private:
  struct Entry {
    uint64_t seq;
    FeedItem item;
  };
  struct Stream;
  void poll_loop();
  std::vector<FeedItem> latest();
  bool next_chunk(Stream& stream, std::string& chunk, const std::function<bool()>& client_open);

  FeedSource source_;
  const std::atomic<bool>& stop_;
  FeedOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Entry> recent_;  // the latest `keep`, oldest first
  uint64_t next_seq_ = 1;
  size_t watchers_ = 0;
  bool closing_ = false;
  bool primed_ = false;  // recent_ holds the source's latest (the poller read it)
  // Pages asked while nobody watches: the latest items read for a page (under mutex_), and
  // which request reads the source for the next ones.
  std::vector<FeedItem> page_items_;
  std::chrono::steady_clock::time_point page_items_until_{};
  std::mutex page_reading_;
  std::thread poller_;
};

}  // namespace sl::serve
