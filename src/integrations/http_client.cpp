// libcurl easy interface behind HttpClient.
#include "integrations/http_client.hpp"

#include <curl/curl.h>

#include <mutex>

#include "common/metrics.hpp"

namespace sl::integrations {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) headers->clear();  // a new response (after 100-continue, redirect)
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    (*headers)[name] = std::string(value);
  }
  return size * count;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string redact_url(std::string_view url) {
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t rest = url.find_first_of("/?#", authority);
  if (rest == std::string_view::npos) rest = url.size();
  std::string_view host = url.substr(authority, rest - authority);
  std::string out(url.substr(0, authority));
  // user:password@ is a secret too.
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) {
    out += "…@";
    host.remove_prefix(at + 1);
  }
  out += host;
  // The path, query and fragment may all carry the token: kept only when there is nothing in them.
  if (rest + 1 < url.size()) {
    out += url[rest];
    out += "…";
  } else {
    out += url.substr(rest);
  }
  return out;
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
  ~Impl() {
    if (curl) curl_easy_cleanup(curl);
  }
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->curl = curl_easy_init();
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

std::variant<HttpResponse, HttpFailure> HttpClient::send(const HttpRequest& request) {
  if (request.service.empty()) return send_uncounted(request);
  auto& registry = metrics::registry();
  const metrics::Labels service = {{"service", request.service}};
  std::variant<HttpResponse, HttpFailure> answer;
  {
    metrics::ScopedTimer timer(registry.histogram(
        "sportlake_outbound_request_duration_seconds",
        "Calls to outside services (Slack webhook, Google Maps), answered or not.",
        metrics::duration_buckets(), service));
    answer = send_uncounted(request);
  }
  // transport: no answer (refused, timed out); http_429, http_4xx, http_5xx: an error status.
  std::string kind;
  if (std::holds_alternative<HttpFailure>(answer)) {
    kind = "transport";
  } else if (const int status = std::get<HttpResponse>(answer).status; status == 429) {
    kind = "http_429";
  } else if (status >= 400) {
    kind = status >= 500 ? "http_5xx" : "http_4xx";
  }
  if (!kind.empty())
    registry
        .counter("sportlake_outbound_request_errors_total",
                 "Calls to outside services that failed, by kind.",
                 {{"service", request.service}, {"kind", kind}})
        .inc();
  return answer;
}

std::variant<HttpResponse, HttpFailure> HttpClient::send_uncounted(const HttpRequest& request) {
  CURL* curl = impl_->curl;
  if (!curl) return HttpFailure{"http: curl could not be initialised", false};
  curl_easy_reset(curl);
  HttpResponse response;
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  // No "Expect: 100-continue" round trip for small bodies.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    long request_size = 0;
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
    return HttpFailure{"http: " + redact_url(request.url) + ": " + curl_easy_strerror(code),
                       request_size > 0};
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace sl::integrations
