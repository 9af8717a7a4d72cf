// S3Storage over libcurl (see s3_storage.hpp).
#include "delta/s3_storage.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "common/uuid.hpp"
#include "delta/s3_xml.hpp"

namespace sl::delta {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The connection, TLS session and DNS caches shared by every thread's handle: a scan's short-lived
// reader threads reuse the keep-alive connections earlier threads opened instead of opening
// (and on AWS, TLS-handshaking) one each.
class SharedConnections {
 public:
  SharedConnections() {
    global_init_once();
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &SharedConnections::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &SharedConnections::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
  // Never cleaned up: thread-local handles may outlive any owner at exit.
  CURLSH* get() const { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<SharedConnections*>(self)->mutexes_[data % k_locks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<SharedConnections*>(self)->mutexes_[data % k_locks].unlock();
  }
  static constexpr int k_locks = CURL_LOCK_DATA_LAST;
  CURLSH* share_ = nullptr;
  std::mutex mutexes_[k_locks];
};

CURLSH* shared_connections() {
  static auto* shared = new SharedConnections();  // lives until exit, see get()
  return shared->get();
}

// One easy handle per thread (its options reset before each request); connections come from the
// shared cache, so consecutive requests reuse the keep-alive connections to the endpoint.
struct ThreadHandle {
  CURL* curl = nullptr;
  ~ThreadHandle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

CURL* thread_curl() {
  thread_local ThreadHandle handle;
  if (!handle.curl) {
    global_init_once();
    handle.curl = curl_easy_init();
  }
  return handle.curl;
}

// Keeps the ETag header of a reply (an uploaded part's identity).
size_t on_header(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view k_etag = "etag:";
  if (line.size() > k_etag.size()) {
    std::string name(line.substr(0, k_etag.size()));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == k_etag) {
      std::string_view value = line.substr(k_etag.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
      *static_cast<std::string*>(user) = std::string(value);
    }
  }
  return size * count;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

bool retryable_curl(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

const std::string k_if_none_match = "If-None-Match: *";

bool retryable_reply(long status, const std::string& code) {
  if ((status >= 500 && status != 501) || status == 429) return true;
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ConditionalRequestConflict";
}

// The largest name sorting strictly before every name ≥ `name` that S3 can hold, approximately:
// the name with its last byte lowered (entries between it and `name` are filtered by the caller).
std::string just_below(std::string_view name) {
  std::string out(name);
  while (!out.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(out.back());
    if (last > 0x01) {
      --last;
      return out;
    }
    out.pop_back();
  }
  return out;
}

void sleep_backoff(std::chrono::milliseconds first, int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const int64_t base = first.count() << std::min(attempt, 10);
  const int64_t capped = std::min<int64_t>(base, 5'000);
  std::uniform_int_distribution<int64_t> jitter(capped / 2, capped);
  std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
}

}  // namespace

struct S3Storage::Reply {
  long status = 0;
  std::string body;
  int64_t content_length = -1;
  int64_t last_modified_s = -1;
  std::string etag;
};

bool is_s3_uri(std::string_view location) {
  return location.starts_with("s3://") || location.starts_with("s3a://");
}

Result<S3Location> parse_s3_uri(std::string_view uri) {
  std::string_view rest = uri;
  if (rest.starts_with("s3://")) {
    rest.remove_prefix(5);
  } else if (rest.starts_with("s3a://")) {
    rest.remove_prefix(6);
  } else {
    return make_error(Errc::invalid_argument, "'" + std::string(uri) + "' is not an s3:// URI");
  }
  const size_t slash = rest.find('/');
  S3Location out;
  out.bucket = std::string(rest.substr(0, slash));
  std::string_view prefix = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  while (prefix.starts_with('/')) prefix.remove_prefix(1);
  while (prefix.ends_with('/')) prefix.remove_suffix(1);
  out.prefix = std::string(prefix);
  const bool bucket_ok =
      out.bucket.size() >= 3 && out.bucket.size() <= 63 &&
      std::all_of(out.bucket.begin(), out.bucket.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      });
  if (!bucket_ok)
    return make_error(Errc::invalid_argument,
                      "'" + std::string(uri) + "': bucket names are 3-63 characters a-z 0-9 . -");
  if (out.prefix.find("//") != std::string::npos)
    return make_error(Errc::invalid_argument, "'" + std::string(uri) + "': empty path segment");
  return out;
}

std::string s3_uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
    }
  }
  return out;
}

std::string s3_url(const S3Options& options, std::string_view bucket, std::string_view key,
                   std::string_view query) {
  std::string scheme = "https://";
  std::string host = "s3." + options.region + ".amazonaws.com";
  std::string base;
  if (!options.endpoint.empty()) {
    std::string_view endpoint = options.endpoint;
    const size_t sep = endpoint.find("://");
    if (sep != std::string_view::npos) {
      scheme = std::string(endpoint.substr(0, sep + 3));
      endpoint.remove_prefix(sep + 3);
    }
    while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
    const size_t slash = endpoint.find('/');
    host = std::string(endpoint.substr(0, slash));
    if (slash != std::string_view::npos) base = std::string(endpoint.substr(slash));
  }
  std::string url = scheme;
  if (options.path_style) {
    url += host + base + "/" + std::string(bucket);
  } else {
    url += std::string(bucket) + "." + host + base;
  }
  url += '/';
  url += s3_uri_encode(key, true);
  if (!query.empty()) {
    url += '?';
    url += query;
  }
  return url;
}

S3Storage::S3Storage(S3Options options, S3Location root, std::shared_ptr<FooterCache> footers)
    : options_(std::move(options)), root_(std::move(root)), footers_(std::move(footers)) {}

std::string S3Storage::key(std::string_view path) const {
  if (root_.prefix.empty()) return std::string(path);
  if (path.empty()) return root_.prefix;
  return root_.prefix + "/" + std::string(path);
}

std::string S3Storage::describe(std::string_view path) const {
  const std::string k = key(path);
  return "s3://" + root_.bucket + (k.empty() ? "" : "/" + k);
}

Result<S3Storage::Reply> S3Storage::send(const char* method, std::string_view object_key,
                                         const std::string& query, std::string_view body,
                                         const std::string& header, std::string_view what) const {
  CURL* curl = thread_curl();
  const std::string where = "s3://" + root_.bucket + "/" + std::string(object_key);
  if (!curl) return make_error(Errc::internal, "S3: curl could not be initialised");
  const std::string url = s3_url(options_, root_.bucket, object_key, query);
  const std::string method_name(method);
  const std::string sigv4 = "aws:amz:" + options_.region + ":s3";
  std::string last_problem;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    if (attempt > 1) sleep_backoff(options_.first_backoff, attempt - 2);
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_SHARE, shared_connections());
    Reply reply;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Expect:");
    // Never curl's default form type for a body: some stores then parse it as a form.
    if (method_name == "PUT")
      headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    if (method_name == "POST") headers = curl_slist_append(headers, "Content-Type: application/xml");
    if (!header.empty()) headers = curl_slist_append(headers, header.c_str());
    std::string token_header;
    if (!options_.session_token.empty()) {
      token_header = "x-amz-security-token: " + options_.session_token;
      headers = curl_slist_append(headers, token_header.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    if (method_name == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
      curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
    } else if (method_name == "GET") {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
      if (method_name == "PUT" || method_name == "POST") {
        // POSTFIELDS (not an upload callback): libcurl hashes the payload into the signature.
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      }
    }
    if (!options_.access_key_id.empty()) {
      curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
      curl_easy_setopt(curl, CURLOPT_USERNAME, options_.access_key_id.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.secret_access_key.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.etag);
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      last_problem = curl_easy_strerror(code);
      if (retryable_curl(code)) continue;
      return make_error(Errc::io, "S3 " + std::string(what) + " " + where + ": " + last_problem);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_off_t length = -1, filetime = -1;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    curl_easy_getinfo(curl, CURLINFO_FILETIME_T, &filetime);
    reply.content_length = length;
    reply.last_modified_s = filetime;
    if (reply.status >= 200 && reply.status < 300) return reply;
    const S3ErrorReply error = parse_s3_error(reply.body);
    last_problem = "HTTP " + std::to_string(reply.status) +
                   (error.code.empty() ? "" : " " + error.code) +
                   (error.message.empty() ? "" : ": " + error.message);
    if (retryable_reply(reply.status, error.code)) continue;
    return reply;  // the caller interprets 404, 412...
  }
  return make_error(Errc::unavailable, "S3 " + std::string(what) + " " + where + ": " +
                                           last_problem + " (after " +
                                           std::to_string(std::max(1, options_.max_attempts)) +
                                           " attempts)");
}

namespace {

Error reply_error(const char* what, const std::string& where, long status, std::string_view body) {
  const S3ErrorReply error = parse_s3_error(body);
  Errc code = Errc::io;
  if (status == 404) code = Errc::not_found;
  else if (status == 400 || status == 403 || status == 405) code = Errc::invalid_argument;
  return make_error(code, std::string("S3 ") + what + " " + where + ": HTTP " +
                              std::to_string(status) + (error.code.empty() ? "" : " " + error.code) +
                              (error.message.empty() ? "" : ": " + error.message));
}

}  // namespace

Result<std::string> S3Storage::read(std::string_view path) const {
  SL_ASSIGN_OR_RETURN(auto reply, send("GET", key(path), "", {}, "", "GET"));
  if (reply.status != 200) return reply_error("GET", describe(path), reply.status, reply.body);
  return std::move(reply.body);
}

Result<std::string> S3Storage::read_range(std::string_view path, uint64_t offset,
                                          uint64_t length) const {
  if (length == 0) return std::string();
  const std::string range =
      "Range: bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1);
  SL_ASSIGN_OR_RETURN(auto reply, send("GET", key(path), "", {}, range, "GET"));
  if (reply.status == 200) {  // a store that ignores Range sends the whole object
    if (offset >= reply.body.size()) return std::string();
    return reply.body.substr(offset, length);
  }
  if (reply.status != 206) return reply_error("GET", describe(path), reply.status, reply.body);
  return std::move(reply.body);
}

Result<FileInfo> S3Storage::stat(std::string_view path) const {
  SL_ASSIGN_OR_RETURN(auto reply, send("HEAD", key(path), "", {}, "", "HEAD"));
  if (reply.status != 200) return reply_error("HEAD", describe(path), reply.status, reply.body);
  return FileInfo{std::string(path), static_cast<uint64_t>(std::max<int64_t>(0, reply.content_length)),
                  std::max<int64_t>(0, reply.last_modified_s) * 1000};
}

Result<std::vector<FileInfo>> S3Storage::list_keys(const std::string& prefix, bool delimited,
                                                   const std::string& start_after) const {
  std::vector<FileInfo> out;
  const size_t root_length = root_.prefix.empty() ? 0 : root_.prefix.size() + 1;
  std::string token;
  do {
    // The canonical query: parameters sorted by name, values encoded.
    std::string query;
    if (!token.empty()) query += "continuation-token=" + s3_uri_encode(token, false) + "&";
    if (delimited) query += "delimiter=%2F&";
    query += "list-type=2&prefix=" + s3_uri_encode(prefix, false);
    if (!start_after.empty()) query += "&start-after=" + s3_uri_encode(start_after, false);
    SL_ASSIGN_OR_RETURN(auto reply, send("GET", "", query, {}, "", "LIST"));
    const std::string where = "s3://" + root_.bucket + "/" + prefix;
    if (reply.status != 200) return reply_error("LIST", where, reply.status, reply.body);
    auto page = parse_list_objects_v2(reply.body);
    if (!page) return page.error().with_context("S3 LIST " + where);
    for (auto& object : page->objects) {
      if (!object.key.starts_with(prefix) || object.key.ends_with('/') ||
          object.key.size() <= root_length)
        continue;
      out.push_back({object.key.substr(root_length), object.size, object.modification_time_ms});
    }
    if (page->truncated && page->next_continuation_token == token)
      return make_error(Errc::corrupt, "S3 LIST " + where + ": the continuation token repeats");
    token = page->truncated ? page->next_continuation_token : "";
  } while (!token.empty());
  std::sort(out.begin(), out.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Result<std::vector<FileInfo>> S3Storage::list_from(std::string_view dir,
                                                   std::string_view first_name) const {
  const std::string dir_key = key(dir);
  const std::string prefix = dir_key.empty() ? "" : dir_key + "/";
  const std::string start_after = first_name.empty() ? "" : prefix + just_below(first_name);
  SL_ASSIGN_OR_RETURN(auto files, list_keys(prefix, true, start_after));
  const size_t dir_length = dir.empty() ? 0 : dir.size() + 1;
  std::erase_if(files, [&](const FileInfo& f) {
    return std::string_view(f.path).substr(dir_length) < first_name;
  });
  return files;
}

Result<std::vector<FileInfo>> S3Storage::list_recursive(std::string_view dir) const {
  const std::string dir_key = key(dir);
  return list_keys(dir_key.empty() ? "" : dir_key + "/", false, "");
}

Result<bool> S3Storage::conditional_put_honoured() const {
  static std::mutex mutex;
  static std::map<std::string, bool> known;  // "<endpoint> <region> <bucket>" → honoured
  const std::string store = options_.endpoint + " " + options_.region + " " + root_.bucket;
  {
    std::lock_guard lock(mutex);
    if (auto it = known.find(store); it != known.end()) return it->second;
  }
  const std::string probe = key("_sportlake/conditional-put-probe-" + random_uuid());
  SL_ASSIGN_OR_RETURN(auto first, send("PUT", probe, "", "1", k_if_none_match, "PUT"));
  if (first.status != 200 && first.status != 501)
    return reply_error("PUT", "s3://" + root_.bucket + "/" + probe, first.status, first.body);
  bool honoured = false;
  if (first.status == 200) {
    SL_ASSIGN_OR_RETURN(auto second, send("PUT", probe, "", "2", k_if_none_match, "PUT"));
    honoured = second.status == 412;
    (void)send("DELETE", probe, "", {}, "", "DELETE");
  }
  std::lock_guard lock(mutex);
  known[store] = honoured;
  return honoured;
}

Result<PutOutcome> S3Storage::put_if_absent(std::string_view path, std::string_view bytes) {
  SL_ASSIGN_OR_RETURN(const bool honoured, conditional_put_honoured());
  if (!honoured) {
    if (!options_.single_writer)
      return make_error(Errc::unsupported,
                        "S3 PUT " + describe(path) + ": the store at " +
                            (options_.endpoint.empty() ? "AWS" : options_.endpoint) +
                            " does not honour conditional PUTs (If-None-Match: *), which make "
                            "concurrent commits safe; refusing to write. With exactly one writer, "
                            "set SPORTLAKE_S3_SINGLE_WRITER=true");
    auto existing = stat(path);
    if (existing.ok()) return PutOutcome::already_exists;
    if (existing.error().code != Errc::not_found) return existing.error();
    SL_TRY(put(path, bytes));
    return PutOutcome::created;
  }
  SL_ASSIGN_OR_RETURN(auto reply, send("PUT", key(path), "", bytes, k_if_none_match, "PUT"));
  if (reply.status == 200) return PutOutcome::created;
  if (reply.status == 412) {
    // After a lost reply (retried by us, or silently by libcurl on a reused connection), our
    // own first attempt may be the object that is there now: commits are unique byte strings.
    SL_ASSIGN_OR_RETURN(auto existing, read(path));
    return existing == bytes ? PutOutcome::created : PutOutcome::already_exists;
  }
  if (reply.status == 501)
    return make_error(Errc::unsupported,
                      "S3 PUT " + describe(path) +
                          ": the store does not support conditional PUT (If-None-Match), which "
                          "commits need");
  return reply_error("PUT", describe(path), reply.status, reply.body);
}

Status S3Storage::put_multipart(std::string_view path, std::string_view bytes) {
  const std::string object = key(path);
  const std::string where = describe(path);
  SL_ASSIGN_OR_RETURN(auto started, send("POST", object, "uploads=", "", "", "POST"));
  if (started.status != 200) return reply_error("POST", where, started.status, started.body);
  auto upload_id = parse_initiate_multipart(started.body);
  if (!upload_id) return upload_id.error().with_context("S3 POST " + where);
  const std::string id_query = "uploadId=" + s3_uri_encode(*upload_id, false);
  auto upload = [&]() -> Status {
    std::string complete = "<CompleteMultipartUpload>";
    const uint64_t part_size = std::max<uint64_t>(options_.part_size, 5ull << 20);
    int number = 1;
    for (uint64_t offset = 0; offset < bytes.size(); offset += part_size, ++number) {
      const std::string_view part = bytes.substr(offset, part_size);
      SL_ASSIGN_OR_RETURN(auto reply, send("PUT", object,
                                           "partNumber=" + std::to_string(number) + "&" + id_query,
                                           part, "", "PUT part"));
      if (reply.status != 200) return reply_error("PUT part", where, reply.status, reply.body);
      if (reply.etag.empty())
        return make_error(Errc::io, "S3 PUT part " + where + ": no ETag in the reply");
      complete += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" +
                  xml_escape(reply.etag) + "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";
    SL_ASSIGN_OR_RETURN(auto done, send("POST", object, id_query, complete, "", "POST"));
    // CompleteMultipartUpload may fail with a 200 whose body is an <Error>.
    const S3ErrorReply error = parse_s3_error(done.body);
    if (done.status != 200 || !error.code.empty())
      return reply_error("POST", where, done.status == 200 ? 500 : done.status, done.body);
    return {};
  };
  Status status = upload();
  if (!status) (void)send("DELETE", object, id_query, {}, "", "DELETE");  // abort the parts
  return status;
}

Status S3Storage::put(std::string_view path, std::string_view bytes) {
  if (bytes.size() >= options_.multipart_threshold && options_.multipart_threshold > 0)
    return put_multipart(path, bytes);
  SL_ASSIGN_OR_RETURN(auto reply, send("PUT", key(path), "", bytes, "", "PUT"));
  if (reply.status != 200) return reply_error("PUT", describe(path), reply.status, reply.body);
  return {};
}

Status S3Storage::remove(std::string_view path) {
  SL_ASSIGN_OR_RETURN(auto reply, send("DELETE", key(path), "", {}, "", "DELETE"));
  if (reply.status == 204 || reply.status == 200 || reply.status == 404) return {};
  return reply_error("DELETE", describe(path), reply.status, reply.body);
}

}  // namespace sl::delta
