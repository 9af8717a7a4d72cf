// HttpClient: blocking HTTP requests over libcurl (one handle, reused: keep-alive to the same
// host), with the one fact a non-idempotent POST needs after a failure: whether the request may
// have reached the server.
//
// A transport failure is an HttpFailure whose `request_sent` tells the two cases apart: false
// when nothing went out (connection refused, DNS, TLS handshake: safe to retry), true when bytes
// of the request were written (a timeout or a reset while waiting for the answer: the server may
// have acted on it, so a non-idempotent request must not be sent again blindly).
// Not thread-safe (one client per thread).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sl::integrations {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;       // names in lower case
  std::string header(std::string_view name) const;  // "" when absent
};

struct HttpFailure {
  std::string message;        // curl's description, with the host (never the full URL: secrets)
  bool request_sent = false;  // some bytes of the request were written
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connect_timeout{5000};
  // The remote service ("slack", "google"): the label of the call's duration and errors in the
  // process's metrics (sportlake_outbound_request_duration_seconds, ..._errors_total); "" does
  // not count.
  std::string service;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  std::variant<HttpResponse, HttpFailure> send(const HttpRequest& request);

 private:
  std::variant<HttpResponse, HttpFailure> send_uncounted(const HttpRequest& request);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "https://hooks.slack.com/services/T000/B000/XXX" → "https://hooks.slack.com/…": for logs (the
// path of a webhook URL is its secret; user info, a query or a fragment may hold one too:
// "https://u:p@host?token=x" → "https://…@host?…").
std::string redact_url(std::string_view url);

}  // namespace sl::integrations
