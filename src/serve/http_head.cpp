// Finding the end of a request head and its framing fields.
#include "serve/http_head.hpp"

#include <algorithm>
#include <cctype>

namespace sl::serve {

namespace {

constexpr std::string_view k_end_of_head = "\r\n\r\n";

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Does this field line announce a body? A Content-Length of zeros does not; anything else in
// Content-Length (a number, garbage, a list) or any Transfer-Encoding does.
bool announces_body(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trimmed(line.substr(colon + 1));
  if (same_name(name, "transfer-encoding")) return true;
  if (!same_name(name, "content-length")) return false;
  return value.empty() || value.find_first_not_of('0') != std::string_view::npos;
}

}  // namespace

HeadScan scan_request_head(std::string_view received, size_t max_bytes) {
  const std::string_view window = received.substr(0, std::min(received.size(), max_bytes));
  const size_t end = window.find(k_end_of_head);
  if (end == std::string_view::npos)
    return {received.size() >= max_bytes ? HeadState::too_large : HeadState::incomplete, 0};
  const size_t length = end + k_end_of_head.size();
  // Field lines run from after the request line to the empty line.
  std::string_view fields = window.substr(0, end + 2);
  const size_t first = fields.find("\r\n");
  fields.remove_prefix(first + 2);
  while (!fields.empty()) {
    const size_t eol = fields.find("\r\n");
    if (announces_body(fields.substr(0, eol))) return {HeadState::has_body, length};
    fields.remove_prefix(eol + 2);
  }
  return {HeadState::complete, length};
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semicolon = header.find(';');
    const std::string_view pair = trimmed(header.substr(0, semicolon));
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && trimmed(pair.substr(0, equals)) == name) {
      std::string_view value = trimmed(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return value;
    }
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return {};
}

std::string_view request_path(std::string_view head) {
  const std::string_view line = head.substr(0, head.find("\r\n"));
  const size_t start = line.find(' ');
  if (start == std::string_view::npos) return {};
  std::string_view target = line.substr(start + 1);
  target = target.substr(0, target.find(' '));
  return target.substr(0, target.find_first_of("?#"));
}

}  // namespace sl::serve
