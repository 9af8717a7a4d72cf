// The dashboard's HTTP server: a poll loop owning connections while their heads arrive,
// workers running cpp-httplib's request processing on complete heads.
#include "serve/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/metrics.hpp"
#include "serve/http_head.hpp"

namespace sl::serve {

namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd = -1;
  std::string client;  // the remote address: the key of the per-client limit
  int remote_port = 0;
  std::string local_ip;
  int local_port = 0;
  std::string received;  // bytes read, not yet processed
  Clock::time_point deadline;
  bool waiting_next = false;  // kept alive after an answer, no byte of a next request yet
  size_t requests = 0;
  bool keep = false;  // set by the worker: the connection may carry another request
  bool streaming = false;  // its request went to the stream pool (counted in Impl::streams)
  Clock::time_point head_complete;  // of the request being answered
};

// When the head of the request this thread answers was complete (request_seconds).
thread_local Clock::time_point t_head_complete{};

// The address of `ss` as text (an IPv4-mapped IPv6 address as IPv4, so a client is one key
// whichever way it came in) and its port.
std::string address_text(const sockaddr_storage& ss, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    *port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
      ::inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], text, sizeof text);
    else
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    *port = ntohs(a->sin6_port);
  }
  return text;
}

bool is_loopback(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET)
    return (ntohl(reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr.s_addr) >> 24) == 127;
  if (ss.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
  }
  return false;
}

int millis_until(Clock::time_point when, Clock::time_point now) {
  if (when <= now) return 0;
  return static_cast<int>(
             std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count()) +
         1;
}

// A request over a connection whose head is already received: reads come from those bytes
// (a worker never waits for a client), writes go to the socket, each within write_timeout.
class ReceivedStream final : public httplib::Stream {
 public:
  ReceivedStream(const Connection& connection, std::chrono::milliseconds write_timeout)
      : c_(connection), write_timeout_(write_timeout) {}

  bool is_readable() const override { return consumed_ < c_.received.size(); }
  // False too once the client has closed its side (a browser leaving a page with a live feed):
  // cpp-httplib asks this only of streamed answers, which then end at once instead of holding
  // the connection until their next write.
  bool is_writable() const override {
    if (write_failed_) return false;
    pollfd p{c_.fd, POLLRDHUP, 0};
    return !(::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)));
  }

  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, c_.received.size() - consumed_);
    std::memcpy(ptr, c_.received.data() + consumed_, n);
    consumed_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    const auto deadline = Clock::now() + write_timeout_;
    size_t done = 0;
    while (done < size && !write_failed_) {
      const ssize_t n = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{c_.fd, POLLOUT, 0};
        const int ms = millis_until(deadline, Clock::now());
        const int ready = ms > 0 ? ::poll(&p, 1, ms) : 0;
        if (ready > 0 || (ready < 0 && errno == EINTR)) continue;
      }
      write_failed_ = true;
    }
    return write_failed_ ? -1 : static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.client;
    port = c_.remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }

  size_t consumed() const { return consumed_; }
  bool write_failed() const { return write_failed_; }

 private:
  const Connection& c_;
  std::chrono::milliseconds write_timeout_;
  size_t consumed_ = 0;
  bool write_failed_ = false;
};

// cpp-httplib's routing and answer writing, fed one received request at a time.
class Router final : public httplib::Server {
 public:
  bool process(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }
  // cpp-httplib's chunked answers run while the server "listens" (its socket is valid) and end
  // once it is invalid: the listener's descriptor while we serve, invalid once we stop.
  void set_listening(int fd) { svr_sock_ = fd; }
};

// An answer the loop gives itself (the request never reaches a worker), then closes.
std::string refusal(int status, std::string_view reason, std::string_view message) {
  const std::string body = "{\"error\":\"" + std::string(message) + "\"}";
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
         "Cache-Control: no-store\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

double request_seconds() {
  if (t_head_complete == Clock::time_point{}) return 0;
  return std::chrono::duration<double>(Clock::now() - t_head_complete).count();
}

Result<ServerOptions> parse_listen(std::string_view listen, ServerOptions options) {
  auto bad = [&](std::string_view why) {
    return make_error(Errc::invalid_argument,
                      "listen address '" + std::string(listen) + "' " + std::string(why));
  };
  std::string_view host;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    const size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':')
      return bad("is not [address]:port");
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) return bad("is not host:port");
    host = listen.substr(0, colon);
    if (host.find(':') != std::string_view::npos)
      return bad("needs brackets around an IPv6 address: [::1]:8080");
    port_text = listen.substr(colon + 1);
  }
  int port = -1;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535)
    return bad("has no port within 0-65535");
  if (host.empty()) return bad("has no host (0.0.0.0 or :: for every interface)");
  options.host = std::string(host);
  options.port = port;
  return options;
}

Result<bool> is_loopback_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0)
    return make_error(Errc::unavailable, "cannot resolve '" + host + "': " + ::gai_strerror(rc));
  bool loopback = found != nullptr;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    sockaddr_storage ss{};
    std::memcpy(&ss, ai->ai_addr, std::min<size_t>(ai->ai_addrlen, sizeof ss));
    loopback = loopback && is_loopback(ss);
  }
  ::freeaddrinfo(found);
  return loopback;
}

struct HttpServer::Impl {
  ServerOptions options;
  Router router;
  int listener = -1;
  int wake = -1;  // eventfd: a worker handed a connection back

  std::mutex mutex;
  std::condition_variable work_ready;
  std::deque<std::unique_ptr<Connection>> work;   // complete heads waiting for a worker
  std::condition_variable stream_ready;
  std::deque<std::unique_ptr<Connection>> stream_work;  // heads of stream_paths requests
  std::vector<std::unique_ptr<Connection>> done;  // answered, back to the loop
  bool stopping = false;

  // Loop thread only.
  std::vector<std::unique_ptr<Connection>> reading;
  std::map<std::string, size_t> per_client;
  size_t open = 0;
  size_t streams = 0;  // connections in the stream pool

  void worker(bool stream);
  void accept_all(Clock::time_point now);
  bool receive(Connection& c, Clock::time_point now);
  void advance(std::unique_ptr<Connection> c, Clock::time_point now,
               std::vector<std::unique_ptr<Connection>>& kept);
  void release(std::unique_ptr<Connection> c);
  void refuse(std::unique_ptr<Connection> c, const std::string& answer);
};

void HttpServer::Impl::worker(bool stream) {
  auto& queue = stream ? stream_work : work;
  auto& ready = stream ? stream_ready : work_ready;
  for (;;) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;
      c = std::move(queue.front());
      queue.pop_front();
    }
    ReceivedStream stream(*c, options.write_timeout);
    t_head_complete = c->head_complete;
    const bool last = ++c->requests >= options.max_requests_per_connection;
    bool closed = false;
    bool answered = false;
    try {
      answered = router.process(stream, last, closed);
    } catch (...) {  // a handler's exception: nothing sensible to write any more
      answered = false;
    }
    t_head_complete = {};
    c->received.erase(0, stream.consumed());
    c->keep = answered && !closed && !last && !stream.write_failed();
    {
      std::lock_guard lock(mutex);
      done.push_back(std::move(c));
    }
    const uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake, &one, sizeof one);
  }
}

void HttpServer::Impl::release(std::unique_ptr<Connection> c) {
  ::close(c->fd);
  --open;
  auto it = per_client.find(c->client);
  if (it != per_client.end() && --it->second == 0) per_client.erase(it);
}

void HttpServer::Impl::refuse(std::unique_ptr<Connection> c, const std::string& answer) {
  // "HTTP/1.1 503 ...": the status is the answer's characters 9-11.
  metrics::registry()
      .counter("sportlake_http_refused_total",
               "Connections the server's front answered itself and closed (408 head too slow, "
               "413 body, 429 per-address cap, 431 head too large, 503 connection or stream cap).",
               {{"status", answer.substr(9, 3)}})
      .inc();
  // Best effort: the answer fits in an empty socket buffer; a client not reading gets nothing.
  [[maybe_unused]] auto n =
      ::send(c->fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // Closing with unread bytes makes the kernel send a reset, which can destroy the answer
  // before the client reads it: read what has arrived first (bounded), after a FIN of ours.
  ::shutdown(c->fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16 && ::recv(c->fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
  release(std::move(c));
}

void HttpServer::Impl::accept_all(Clock::time_point now) {
  for (;;) {
    sockaddr_storage remote{};
    socklen_t length = sizeof remote;
    const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&remote), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN: none left; EMFILE and the like: the next round tries again
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->client = address_text(remote, &c->remote_port);
    sockaddr_storage local{};
    length = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0)
      c->local_ip = address_text(local, &c->local_port);
    ++open;
    size_t& mine = per_client[c->client];
    ++mine;
    if (open > options.max_connections) {
      refuse(std::move(c), refusal(503, "Service Unavailable", "too many connections"));
      continue;
    }
    if (mine > options.max_connections_per_client) {
      refuse(std::move(c),
             refusal(429, "Too Many Requests", "too many connections from this address"));
      continue;
    }
    // The head and the body of an answer are two writes: without TCP_NODELAY the second waits
    // for the client's delayed ACK of the first (~40 ms on Linux) on a kept-alive connection.
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    c->deadline = now + options.head_timeout;
    reading.push_back(std::move(c));
  }
}

// Reads what the client sent (up to the head limit). False when the client closed or failed.
bool HttpServer::Impl::receive(Connection& c, Clock::time_point now) {
  char buffer[4096];
  while (c.received.size() <= options.max_head_bytes) {
    const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      if (c.waiting_next) {  // the next request starts: its head has head_timeout to arrive
        c.waiting_next = false;
        c.deadline = now + options.head_timeout;
      }
      c.received.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

void HttpServer::Impl::advance(std::unique_ptr<Connection> c, Clock::time_point now,
                               std::vector<std::unique_ptr<Connection>>& kept) {
  const HeadScan scan = scan_request_head(c->received, options.max_head_bytes);
  switch (scan.state) {
    case HeadState::complete: {
      c->head_complete = now;
      const std::string_view path = request_path(c->received);
      const auto& long_lived = options.stream_paths;
      if (std::find(long_lived.begin(), long_lived.end(), path) != long_lived.end()) {
        if (streams >= options.max_streams)
          return refuse(std::move(c), refusal(503, "Service Unavailable",
                                              "too many live streams; try again later"));
        ++streams;
        c->streaming = true;
        {
          std::lock_guard lock(mutex);
          stream_work.push_back(std::move(c));
        }
        stream_ready.notify_one();
        return;
      }
      {
        std::lock_guard lock(mutex);
        work.push_back(std::move(c));
      }
      work_ready.notify_one();
      return;
    }
    case HeadState::has_body:
      return refuse(std::move(c), refusal(413, "Content Too Large",
                                          "request bodies are not accepted: the API is read-only"));
    case HeadState::too_large:
      return refuse(std::move(c), refusal(431, "Request Header Fields Too Large",
                                          "the request head is too large"));
    case HeadState::incomplete:
      if (now < c->deadline) {
        kept.push_back(std::move(c));
      } else if (c->received.empty()) {
        release(std::move(c));  // an idle connection: closed without a word
      } else {
        refuse(std::move(c),
               refusal(408, "Request Timeout", "the request head did not arrive in time"));
      }
      return;
  }
}

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

HttpServer::~HttpServer() {
  if (impl_->listener >= 0) ::close(impl_->listener);
}

httplib::Server& HttpServer::router() {
  return impl_->router;
}

Result<BoundAddress> HttpServer::bind() {
  const ServerOptions& o = impl_->options;
  const std::string where = (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) +
                            ":" + std::to_string(o.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(o.port);
  if (const int rc = ::getaddrinfo(o.host.c_str(), port_text.c_str(), &hints, &found); rc != 0)
    return make_error(Errc::unavailable, "cannot resolve '" + o.host + "': " + ::gai_strerror(rc));
  int error = 0;
  for (const addrinfo* ai = found; ai != nullptr && impl_->listener < 0; ai = ai->ai_next) {
    const int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      impl_->listener = fd;
    } else {
      error = errno;
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  if (impl_->listener < 0)
    return make_error(Errc::unavailable, "cannot listen on " + where + ": " + std::strerror(error));
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&bound), &length);
  BoundAddress out;
  out.host = o.host;
  address_text(bound, &out.port);
  out.loopback = is_loopback(bound);
  out.url = "http://" + (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) +
            ":" + std::to_string(out.port) + "/";
  return out;
}

void HttpServer::run(const std::atomic<bool>& stop) {
  Impl& s = *impl_;
  s.wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::vector<std::thread> workers;
  for (size_t i = 0; i < std::max<size_t>(1, s.options.workers); ++i)
    workers.emplace_back([&s] { s.worker(false); });
  if (!s.options.stream_paths.empty())
    for (size_t i = 0; i < s.options.max_streams; ++i)
      workers.emplace_back([&s] { s.worker(true); });
  s.router.set_listening(s.listener);

  std::vector<pollfd> fds;
  while (!stop) {
    auto now = Clock::now();
    // Wake up for the stop flag at least every 200 ms, and at the first head deadline.
    auto next = now + std::chrono::milliseconds(200);
    fds.assign({pollfd{s.listener, POLLIN, 0}, pollfd{s.wake, POLLIN, 0}});
    for (const auto& c : s.reading) {
      fds.push_back({c->fd, POLLIN, 0});
      next = std::min(next, c->deadline);
    }
    const int ready = ::poll(fds.data(), fds.size(), millis_until(next, now));
    now = Clock::now();

    std::vector<std::unique_ptr<Connection>> current;
    current.swap(s.reading);
    for (size_t i = 0; i < current.size(); ++i) {
      const short events = ready > 0 ? fds[i + 2].revents : 0;
      if (events != 0 && !s.receive(*current[i], now)) {
        s.release(std::move(current[i]));
      }
    }
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      s.accept_all(now);
      for (auto& c : s.reading) current.push_back(std::move(c));
      s.reading.clear();
    }
    if (ready > 0 && (fds[1].revents & POLLIN)) {
      uint64_t count = 0;
      [[maybe_unused]] auto n = ::read(s.wake, &count, sizeof count);
    }
    std::vector<std::unique_ptr<Connection>> answered;
    {
      std::lock_guard lock(s.mutex);
      answered.swap(s.done);
    }
    for (auto& c : answered) {
      if (c->streaming) {
        c->streaming = false;
        --s.streams;
      }
      if (!c->keep) {
        s.release(std::move(c));
        continue;
      }
      c->waiting_next = c->received.empty();
      c->deadline = now + (c->waiting_next ? s.options.keep_alive_timeout : s.options.head_timeout);
      current.push_back(std::move(c));
    }
    for (auto& c : current)
      if (c) s.advance(std::move(c), now, s.reading);
  }

  // Stop: no new connection; the requests being answered finish (streams end: cpp-httplib sees
  // the server shutting down); then every connection closes.
  s.router.set_listening(-1);
  ::close(s.listener);
  s.listener = -1;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.work_ready.notify_all();
  s.stream_ready.notify_all();
  for (auto& t : workers) t.join();
  for (auto& c : s.reading) s.release(std::move(c));
  s.reading.clear();
  for (auto& c : s.done) s.release(std::move(c));
  s.done.clear();
  ::close(s.wake);
  s.wake = -1;
}

}  // namespace sl::serve
