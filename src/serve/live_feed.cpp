// The live feed's poller, its event stream and its script.
#include "serve/live_feed.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "common/civil_time.hpp"
#include "common/json_writer.hpp"
#include "serve/dashboard.hpp"
#include "serve/operations_page.hpp"
#include "serve/page_layout.hpp"

namespace sl::serve {

namespace {

// Text only (textContent): an activity's text can never become markup.
constexpr const char* k_feed_js = R"js(// sportlake live feed: announced activities from /api/feed (server-sent events).
(function () {
  "use strict";
  var list = document.getElementById("feed-list");
  var state = document.getElementById("feed-state");
  if (!list || !state || !window.EventSource) return;
  var lang = document.documentElement.lang || "fr";
  var words = lang === "en"
    ? { live: "live", lost: "reconnecting…", closed: "feed unavailable",
        none: "no activity announced yet" }
    : { live: "en direct", lost: "reconnexion…", closed: "flux indisponible",
        none: "aucune activité annoncée pour l'instant" };
  // An empty list says so, or the section looks broken.
  function live() {
    state.textContent = list.children.length ? words.live : words.live + " · " + words.none;
  }
  var source = new EventSource("/api/feed");
  source.addEventListener("activity", function (event) {
    var a = JSON.parse(event.data);
    // The page came with the latest ones already (served in the HTML): each shows once.
    for (var i = 0; i < list.children.length; i++)
      if (list.children[i].getAttribute("data-activity-id") === a.activity_id) return;
    var item = document.createElement("li");
    item.setAttribute("data-activity-id", a.activity_id);
    var time = document.createElement("time");
    time.setAttribute("datetime", a.sent_at);
    time.textContent = new Date(a.sent_at_ms).toLocaleString(lang);
    item.appendChild(time);
    item.appendChild(document.createTextNode(" " + a.text));
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 20) list.removeChild(list.lastChild);
    if (source.readyState === EventSource.OPEN) live();
  });
  source.onopen = live;
  source.onerror = function () {
    state.textContent = source.readyState === EventSource.CLOSED ? words.closed : words.lost;
  };
})();
)js";

std::string event_text(const FeedItem& item) {
  std::string data;
  JsonWriter w(data);
  w.begin_object()
      .field("activity_id", item.activity_id)
      .field("sent_at", format_timestamp_ms(item.sent_at_ms * 1000))
      .field("sent_at_ms", item.sent_at_ms)
      .field("text", item.text)
      .end_object();
  // The JSON has no raw newline (JsonWriter escapes control characters): one data line.
  return "event: activity\nid: " + item.activity_id + "\ndata: " + data + "\n\n";
}

}  // namespace

struct LiveFeed::Stream {
  uint64_t sent = 0;  // the last seq written
  bool started = false;
  std::chrono::steady_clock::time_point deadline;
};

LiveFeed::LiveFeed(FeedSource source, const std::atomic<bool>& stop, FeedOptions options)
    : source_(std::move(source)), stop_(stop), options_(options) {
  poller_ = std::thread([this] { poll_loop(); });
}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  poller_.join();
}

void LiveFeed::poll_loop() {
  std::optional<FeedItem> last;
  bool primed = false;
  std::string last_error;
  std::unique_lock lock(mutex_);
  while (!closing_ && !stop_) {
    if (watchers_ > 0) {
      const bool newest = !primed;  // asking for the newest: caught up by definition
      lock.unlock();
      auto fresh = source_(primed ? last : std::nullopt, options_.keep);
      lock.lock();
      if (!fresh) {
        if (fresh.error().message != last_error)
          spdlog::warn("serve: live feed: {}", fresh.error().to_string());
        last_error = fresh.error().message;
      } else {
        last_error.clear();
        primed = true;
        primed_ = newest || fresh->size() < options_.keep;  // caught up with the source
        for (auto& item : *fresh) {
          last = item;
          recent_.push_back({next_seq_++, std::move(item)});
          if (recent_.size() > options_.keep) recent_.pop_front();
        }
        if (!fresh->empty()) changed_.notify_all();
      }
    }
    if (watchers_ == 0) primed_ = false;  // recent_ no longer follows the source
    changed_.wait_for(lock, options_.poll);
  }
  closing_ = true;
  changed_.notify_all();  // the streams end
}

// The next piece of `stream` (false: end it after writing `chunk`).
bool LiveFeed::next_chunk(Stream& stream, std::string& chunk,
                          const std::function<bool()>& client_open) {
  std::unique_lock lock(mutex_);
  const uint64_t newest = next_seq_ - 1;
  if (!stream.started) {
    stream.started = true;
    chunk = "retry: 2000\n\n";
  } else {
    // In slices of 0.5 s: a client that went away ends its stream within that, not at the
    // next keep-alive.
    const auto heartbeat_at = std::chrono::steady_clock::now() + options_.heartbeat;
    while (!changed_.wait_for(lock, std::chrono::milliseconds(500),
                              [&] { return closing_ || stop_ || next_seq_ - 1 > stream.sent; }) &&
           std::chrono::steady_clock::now() < heartbeat_at) {
      lock.unlock();
      const bool open = client_open();
      lock.lock();
      if (!open) return false;
    }
  }
  for (const auto& entry : recent_)
    if (entry.seq > stream.sent) {
      chunk += event_text(entry.item);
      stream.sent = entry.seq;
    }
  stream.sent = std::max(stream.sent, newest);
  if (chunk.empty()) chunk = ": keep-alive\n\n";
  return !closing_ && !stop_ && std::chrono::steady_clock::now() < stream.deadline;
}

void LiveFeed::mount(httplib::Server& server, const Dashboard& dashboard) {
  server.Get("/static/feed.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(k_feed_js, "text/javascript; charset=utf-8");
  });
  server.Get("/api/feed", [this, &dashboard](const httplib::Request& req,
                                             httplib::Response& res) {
    if (!allowed(dashboard, req, res, Role::viewer)) return;
    auto stream = std::make_shared<Stream>();
    stream->deadline = std::chrono::steady_clock::now() + options_.max_stream;
    {
      std::lock_guard lock(mutex_);
      // A browser reconnecting says what it saw last: only what came after (all we keep when
      // that one is gone).
      const std::string last_seen = req.get_header_value("Last-Event-ID");
      for (const auto& entry : recent_)
        if (!last_seen.empty() && entry.item.activity_id == last_seen) stream->sent = entry.seq;
      ++watchers_;
    }
    changed_.notify_all();  // the poller starts at once when it was idle
    res.set_header("X-Accel-Buffering", "no");  // a reverse proxy must not hold the events
    // Exactly "text/event-stream", no charset (events are UTF-8 by definition): cpp-httplib
    // compresses a chunked answer for a client that accepts gzip or br (every browser) unless
    // its type is that exact string, and a compressor keeps the events until it has kilobytes
    // to emit: Chromium saw the stream open and never an event (curl asks no compression).
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, stream](size_t, httplib::DataSink& sink) {
          std::string chunk;
          const bool more = next_chunk(*stream, chunk, [&sink] { return sink.is_writable(); });
          if (chunk.empty()) return false;  // the client went away
          if (!sink.write(chunk.data(), chunk.size())) return false;
          if (!more) sink.done();
          return true;
        },
        [this](bool) {
          std::lock_guard lock(mutex_);
          --watchers_;
        });
  });
}

std::vector<FeedItem> LiveFeed::latest() {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (primed_) {
      std::vector<FeedItem> items;
      for (const auto& entry : recent_) items.push_back(entry.item);
      return items;
    }
    if (now < page_items_until_) return page_items_;
  }
  // One request reads the source; the others meanwhile serve what was known (a database that
  // does not answer holds one page, not every page).
  std::unique_lock reading(page_reading_, std::try_to_lock);
  if (!reading.owns_lock()) {
    std::lock_guard lock(mutex_);
    return page_items_;
  }
  auto fresh = source_(std::nullopt, options_.keep);
  if (!fresh) spdlog::warn("serve: live feed for a page: {}", fresh.error().to_string());
  std::lock_guard lock(mutex_);
  if (fresh) page_items_ = std::move(*fresh);
  page_items_until_ = now + (fresh ? options_.poll : std::chrono::milliseconds(5000));
  return page_items_;
}

void LiveFeed::fill_section(std::string& page, Lang lang) {
  static constexpr std::string_view k_empty = "<ol id=\"feed-list\"></ol>";
  const size_t at = page.find(k_empty);
  if (at == std::string::npos) return;
  const auto items = latest();
  std::string html;
  for (auto it = items.rbegin(); it != items.rend(); ++it)  // newest first, as the script adds
    html += "<li data-activity-id=\"" + escape_html(it->activity_id) + "\"><time datetime=\"" +
            format_timestamp_ms(it->sent_at_ms * 1000) + "\">" +
            escape_html(format_datetime_us(lang, it->sent_at_ms * 1000)) + "</time> " +
            escape_html(it->text) + "</li>";
  page.insert(at + k_empty.size() - std::string_view("</ol>").size(), html);
}

std::string LiveFeed::section_html(Lang lang) {
  return std::string("<section aria-labelledby=\"feed-title\"><h2 id=\"feed-title\">") +
         (lang == Lang::en ? "Announced activities" : "Activités annoncées") +
         "</h2><p id=\"feed-state\" aria-live=\"polite\"></p><ol id=\"feed-list\"></ol></section>"
         "<script src=\"/static/feed.js\" defer></script>";
}

const char* LiveFeed::page_csp() {
  return "default-src 'none'; script-src 'self'; connect-src 'self'; "
         "style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'";
}

}  // namespace sl::serve
