// The request head as the server's front reads it before any worker sees the request: where it
// ends, and whether it announces a body (the dashboard takes none).
//
// Grammar read (RFC 9112 §2.1, §6): request-line CRLF *( field-line CRLF ) CRLF, a field-line
// being `name ":" OWS value OWS`. Only the end of the head and the two framing fields
// Content-Length and Transfer-Encoding are looked at; the rest is cpp-httplib's to parse.
//
//   GET /api/years HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer slh_…\r\n\r\n
#pragma once

#include <cstddef>
#include <string_view>

namespace sl::serve {

enum class HeadState {
  incomplete,  // no CRLF CRLF yet, and fewer than max_bytes received: wait for more
  complete,    // a whole head of `length` bytes, without a body
  too_large,   // max_bytes received without the end of the head (431)
  has_body,    // a whole head announcing a body: Content-Length other than 0, or any
               // Transfer-Encoding (413: the API is read-only)
};

struct HeadScan {
  HeadState state = HeadState::incomplete;
  size_t length = 0;  // bytes of the head, final CRLF CRLF included (complete, has_body)
};

// Scans the bytes received so far on a connection for a request head of at most `max_bytes`.
HeadScan scan_request_head(std::string_view received, size_t max_bytes);

// The path of the request line at the start of `head` ("GET /api/feed?x HTTP/1.1" →
// "/api/feed"): the request target up to its query or fragment; "" when the first line has no
// target. A view into `head`.
std::string_view request_path(std::string_view head);

// The value of the cookie `name` in a Cookie field value (RFC 6265 §4.2.1:
// `a=1; sportlake_session=slh_x`), "" when absent. The first one wins.
std::string_view cookie_value(std::string_view header, std::string_view name);

}  // namespace sl::serve
