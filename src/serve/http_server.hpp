// HttpServer: the dashboard's HTTP/1.1 server. cpp-httplib parses requests, routes them and
// writes the answers; in front of it, one event loop (poll) owns every connection while its
// request head arrives, so a slow client costs a file descriptor, never a worker thread.
//
// Why (cpp-httplib 0.11 alone): its thread-per-connection pool blocks a worker in recv() for
// each client, and its read timeout is per recv(): 8 clients sending a header byte every 2 s
// hold 8 workers, one byte every 0.9 s holds them forever. Here:
//   1. the loop accepts (a client = a remote address: at most max_connections_per_client open
//      connections, 429 beyond; at most max_connections in all, 503 beyond), sets TCP_NODELAY;
//   2. it reads the head of a request without blocking, until CRLF CRLF, within head_timeout
//      counted from the first byte (408 after it) and max_head_bytes (431); a keep-alive
//      connection waits keep_alive_timeout for a next request, then is closed;
//   3. a complete head goes to a worker (one of `workers` threads), which runs cpp-httplib's
//      request processing on the bytes already received (it never waits for the client) and
//      writes the answer (write_timeout per write);
//   4. the connection comes back to the loop for its next request, or is closed.
// Request bodies are refused (413): the API is read-only.
// Long-lived answers (server-sent events) would hold a worker for their whole life: a request
// for one of `stream_paths` goes to its own pool of `max_streams` threads instead (503 when all
// are taken), so the workers stay free for everyone else. A stream's content provider sees the
// server stopping (cpp-httplib's is_shutting_down) and ends.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace httplib {
class Server;
}

namespace sl::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address or a name; an IPv6 address without brackets
  int port = 8080;                 // 0: any free port
  size_t workers = 8;
  size_t max_connections = 256;  // cpp-httplib uses select(): descriptors must stay < 1024
  size_t max_connections_per_client = 16;
  size_t max_head_bytes = 16 * 1024;
  size_t max_requests_per_connection = 1000;
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};
  std::chrono::milliseconds write_timeout{5'000};
  std::vector<std::string> stream_paths;  // exact paths (the query string aside)
  size_t max_streams = 32;
};

// "host:port", or "[v6 address]:port".
Result<ServerOptions> parse_listen(std::string_view listen, ServerOptions defaults = {});

// Does `host` name loopback addresses only (127.0.0.0/8, ::1, "localhost")? Resolved without
// binding anything; "0.0.0.0", "::" and any other interface are not.
Result<bool> is_loopback_host(const std::string& host);

struct BoundAddress {
  std::string host;  // as asked
  int port = 0;      // as bound (the free port chosen for 0)
  bool loopback = false;
  std::string url;  // "http://127.0.0.1:8080/", "http://[::1]:8080/"
};

// On the thread answering a request (a route's handler, the router's logger, which cpp-httplib
// calls once the answer is written): the seconds since the request's head was complete — its
// wait for a free worker included, so what a client waits minus the network. 0 elsewhere.
double request_seconds();

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Where the routes are registered (before run).
  httplib::Server& router();
  // Binds and listens. Errc::unavailable when the address cannot be bound.
  Result<BoundAddress> bind();
  // Serves until `stop` becomes true; then lets the requests in progress finish.
  void run(const std::atomic<bool>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sl::serve
