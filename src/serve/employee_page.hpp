// The employee page: one employee's facts for a year (serve/employee_facts.hpp) as a French,
// server-rendered HTML page with its monthly chart as inline SVG (no script: the dashboard's CSP
// stays script-free), and as JSON.
//
// Routes (role hr only: a viewer gets 403, no token 401, an unknown employee 404):
//   GET /employee/<id>[?year=Y]       the page (Y: the latest refreshed year by default)
//   GET /api/employee/<id>[?year=Y]   the same facts as JSON (`sportlake explain --json`)
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "delta/lake.hpp"
#include "serve/access.hpp"
#include "serve/employee_facts.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

// The page of `facts`, as HTML.
std::string employee_page_html(const EmployeeFacts& facts);

// The monthly chart of counted activities: an inline <svg> with one bar per month, its count
// above it, and a <title>/<desc> for screen readers.
std::string monthly_chart_svg(const EmployeeFacts& facts);

// How a route learns the request's role: nullopt when the answer is already written (401, the
// 303 of a `?token=` login). The Dashboard's own check.
using Authenticate =
    std::function<std::optional<Role>(const httplib::Request&, httplib::Response&)>;

// Registers the two routes on `server`; `lake` must outlive it.
void mount_employee_routes(httplib::Server& server, const delta::Lake& lake,
                           Authenticate authenticate);

}  // namespace sl::serve
