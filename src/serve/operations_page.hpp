// The operations page and its JSON: what `sportlake status` shows, for the platform's operators.
//
//   GET /operations    ops: the page in the shared frame (serve/page_layout.hpp), French or
//                      English (serve/i18n.hpp: ?lang=, Accept-Language); it reloads every 10 s
//                      by the HTTP `Refresh: 10` header (no script, no <meta> refresh), which
//                      `?refresh=off` (a link on the page) leaves out
//   GET /api/status    ops: ops::status_json
// Role `ops` or `hr` (access.hpp); a viewer gets 403: slot names, employee ids of failed rows
// and the lake's layout are not for every reader of the aggregates.
//
// The facts come from a StatusProvider that the CLI gives (cli/status_facts.*: it reads
// PostgreSQL and the lake); this module does not depend on `pg`.
//
// Mount these routes BEFORE Dashboard::mount: its `/api/<table>` pattern would take
// `/api/status` first (cpp-httplib tries the routes in the order they were registered).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ops/status_report.hpp"
#include "serve/access.hpp"
#include "serve/i18n.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

class Dashboard;

using StatusProvider = std::function<ops::StatusReport()>;

// Does the request's token reach `needed` (roles are ordered: viewer < ops < hr)? Writes the
// 401 (or the 303 of a `?token=` login) or the 403 when not, as every route does
// (serve/responses.hpp): the 401 as JSON, the 403 as JSON {"error","code":"forbidden"} in the
// request's language.
bool allowed(const Dashboard& dashboard, const httplib::Request& req, httplib::Response& res,
             Role needed);
// The same, giving the request's role (nullopt when the answer is written); `page`: the 403 is
// a page in the shared frame (a person opened it), as the other pages' errors.
std::optional<Role> allowed_role(const Dashboard& dashboard, const httplib::Request& req,
                                 httplib::Response& res, Role needed, bool page);

// The page in `lang` for `role` (its navigation); `refresh`: it says it reloads, with a link
// that stops it (else the link that restarts it).
std::string operations_html(const ops::StatusReport& report, Lang lang, Role role, bool refresh);

void mount_operations(httplib::Server& server, const Dashboard& dashboard,
                      StatusProvider status);

}  // namespace sl::serve
