// Error answers, as JSON and as pages.
#include "serve/responses.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include "common/json_writer.hpp"
#include "serve/page_layout.hpp"

namespace sl::serve {

Lang request_lang(const httplib::Request& req) {
  return choose_lang(req.get_param_value("lang"), req.get_header_value("Accept-Language"));
}

int http_status_of(const Error& e) {
  switch (e.code) {
    case Errc::not_found:
      return 404;
    case Errc::invalid_argument:
      return 400;
    default:
      return 500;
  }
}

std::string_view error_code_of(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    default:
      return "internal";
  }
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  std::string body = "{\"error\":";
  append_json_string(body, message);
  body += ",\"code\":";
  append_json_string(body, error_code_of(status));
  res.status = status;
  res.set_content(body + "}", "application/json");
}

void fail(httplib::Response& res, const Error& e) {
  const int status = http_status_of(e);
  refuse(res, status, status == 500 ? e.to_string() : e.message);
}

void refuse_page(httplib::Response& res, int status, const std::string& message, Lang lang,
                 Role role) {
  PageFrame frame;
  frame.lang = lang;
  frame.title = std::string(tr(lang, "common.error"));
  frame.role = role;
  frame.other_lang_href = url_with("/", {{"lang", lang == Lang::fr ? "en" : "fr"}});
  res.status = status;
  res.set_content(
      page_begin(frame) + "<p role=\"alert\">" + escape_html(message) + "</p>" + page_end(lang, "common.footer_plain"),
      "text/html; charset=utf-8");
}

void fail_page(httplib::Response& res, const Error& e, Lang lang, Role role) {
  const int status = http_status_of(e);
  refuse_page(res, status, status == 500 ? e.to_string() : e.message, lang, role);
}

}  // namespace sl::serve
