// How every route of the dashboard answers what it cannot serve, in the request's language:
// scripts get JSON {"error": "<message>", "code": "<stable code>"}, people a page in the shared
// frame (serve/page_layout.hpp). One home for the error convention, so a new page or API route
// cannot drift from it.
//
//   status  code          when
//   400     bad_request   a bad parameter (year=abc, format=xml, sort=salary)
//   401     unauthorized  no valid token
//   403     forbidden     a viewer asking per-employee rows
//   404     not_found     no refresh yet, a year not refreshed, an unknown table or employee
//   500     internal      a damaged table (the message, in English, names it)
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "serve/access.hpp"
#include "serve/i18n.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

// The request's language: `?lang=`, else Accept-Language, else French (serve/i18n.hpp).
Lang request_lang(const httplib::Request& req);

// 404 for Errc::not_found, 400 for Errc::invalid_argument, 500 otherwise.
int http_status_of(const Error& e);
// "bad_request", "unauthorized", "forbidden", "not_found", "internal" (any other status).
std::string_view error_code_of(int status);

// {"error": message, "code": error_code_of(status)} with `status`.
void refuse(httplib::Response& res, int status, const std::string& message);
// The error as JSON: a request's mistake (400, 404) says its message (written in the request's
// language), a server's failure keeps its category ("io error: ...").
void fail(httplib::Response& res, const Error& e);

// The same, as a page: the shared frame (title "Erreur"/"Error") and the message as an alert.
void refuse_page(httplib::Response& res, int status, const std::string& message, Lang lang,
                 Role role);
void fail_page(httplib::Response& res, const Error& e, Lang lang, Role role);

}  // namespace sl::serve
