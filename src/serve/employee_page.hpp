// The employee page: one employee's facts for a year (serve/employee_facts.hpp) as a
// server-rendered HTML page in the shared frame (serve/page_layout.hpp), French or English
// (serve/i18n.hpp), with its monthly chart as inline SVG (no script: the dashboard's CSP stays
// script-free), and as JSON.
//
// Routes (role hr only: a viewer gets 403, no token 401, an unknown employee 404, a bad year
// 400; the API's errors are JSON {"error","code"}, the page's are pages — serve/responses.hpp):
//   GET /employee/<id>[?year=Y]       the page (Y: the latest refreshed year by default)
//   GET /api/employee/<id>[?year=Y]   the same facts as JSON (`sportlake explain --json`)
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "delta/lake.hpp"
#include "serve/access.hpp"
#include "serve/employee_facts.hpp"
#include "serve/i18n.hpp"
#include "serve/response_cache.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

// The page of `facts`, as HTML in `lang`.
std::string employee_page_html(const EmployeeFacts& facts, Lang lang);

// The monthly chart of counted activities (serve/svg_chart.hpp, id `chart-employee-monthly`):
// a bar per month with activities, data-category = the month (1..12), data-value = the count.
std::string monthly_chart_svg(const EmployeeFacts& facts, Lang lang);

// How a route learns the request's role: nullopt when the answer is already written (401, the
// 303 of a `?token=` login). The Dashboard's own check.
using Authenticate =
    std::function<std::optional<Role>(const httplib::Request&, httplib::Response&)>;

// Registers the two routes on `server`; `gold` and `cache` (their rendered answers) must
// outlive it.
void mount_employee_routes(httplib::Server& server, const GoldReader& gold, ResponseCache& cache,
                           Authenticate authenticate);

}  // namespace sl::serve
