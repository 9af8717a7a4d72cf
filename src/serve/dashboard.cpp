// The dashboard's routes and its HTML page.
#include "serve/dashboard.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "columnar/cell_text.hpp"
#include "common/json_writer.hpp"
#include "serve/employee_page.hpp"
#include "serve/http_head.hpp"

namespace sl::serve {

namespace {

std::string error_json(const std::string& message) {
  std::string out = "{\"error\":";
  append_json_string(out, message);
  return out + "}";
}

int status_of(const Error& e) {
  switch (e.code) {
    case Errc::not_found:
      return 404;
    case Errc::invalid_argument:
      return 400;
    default:
      return 500;
  }
}

void fail(httplib::Response& res, const Error& e) {
  res.status = status_of(e);
  res.set_content(error_json(e.to_string()), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(error_json(message), "application/json");
}

constexpr std::string_view k_session_cookie = "sportlake_session";

// No script, no frame, no foreign resource: the page is server-rendered with one inline style.
constexpr const char* k_content_security_policy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void security_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy", k_content_security_policy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  // Salaries, names and addresses: never kept by a browser or a proxy cache.
  res.set_header("Cache-Control", "no-store");
}

// The request's URL without its `token` parameter (where a `?token=` login redirects to).
std::string without_token(const httplib::Request& req) {
  std::string query;
  for (const auto& [name, value] : req.params) {
    if (name == "token") continue;
    query += (query.empty() ? "?" : "&") + percent_encoded(name) + "=" + percent_encoded(value);
  }
  return req.path + query;
}

enum class Format { json, csv };

Result<Format> format_param(const httplib::Request& req) {
  if (!req.has_param("format")) return Format::json;
  const std::string text = req.get_param_value("format");
  if (text == "json") return Format::json;
  if (text == "csv") return Format::csv;
  return make_error(Errc::invalid_argument, "format '" + text + "' is not json or csv");
}

Result<int> year_param(const httplib::Request& req, bool required) {
  if (!req.has_param("year")) {
    if (required) return make_error(Errc::invalid_argument, "the parameter year is required");
    return 0;
  }
  const std::string text = req.get_param_value("year");
  int year = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || ptr != text.data() + text.size() || year < 1900 || year > 9999)
    return make_error(Errc::invalid_argument, "year '" + text + "' is not a year");
  return year;
}

void send_rows(Format format, httplib::Response& res, const columnar::RecordBatch& batch,
               const std::string& name) {
  if (format == Format::csv) {
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.set_content(columnar::rows_csv(batch, columnar::CsvCells::spreadsheet_safe),
                    "text/csv; charset=utf-8");
  } else {
    res.set_content(columnar::rows_json(batch), "application/json");
  }
}

// The column `name` of row `row` as display text ("" when null or absent).
std::string cell(const columnar::RecordBatch& b, std::string_view name, size_t row) {
  for (size_t c = 0; c < b.schema.size(); ++c) {
    if (b.schema[c].name != name) continue;
    if (!b.columns[c].is_valid(row)) return "";
    auto j = columnar::cell_json(b.columns[c], row);
    if (j.is_boolean()) return j.get<bool>() ? "oui" : "non";
    if (j.is_number_float()) return fmt::format("{:.1f}", j.get<double>());
    return j.is_string() ? j.get<std::string>() : j.dump();
  }
  return "";
}

// "172482.50" → "172 482,50" (French grouping, decimal comma).
std::string french_amount(const std::string& text) {
  const size_t point = text.find('.');
  std::string whole = text.substr(0, point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0 && whole[i - 1] != '-') grouped += "\u202f";
    grouped += whole[i];
  }
  return point == std::string::npos ? grouped : grouped + "," + text.substr(point + 1);
}

constexpr const char* k_style = R"css(
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433;background:#f6f7fb}
h1{margin:0 0 .2rem}nav a{margin-right:.6rem}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.2rem 0}
.card{background:#fff;border-radius:10px;padding:1rem 1.3rem;box-shadow:0 1px 3px #0002;min-width:10rem}
.card b{display:block;font-size:1.6rem}
table{border-collapse:collapse;background:#fff;margin:.6rem 0 1.6rem;font-size:.9rem}
th,td{padding:.35rem .7rem;border-bottom:1px solid #e3e6ee;text-align:left}
td.n{text-align:right}.no{color:#a33}.yes{color:#176b3a}
)css";

}  // namespace

bool Dashboard::per_employee(std::string_view table) {
  return table == "prime_sportive" || table == "wellbeing" || table == "dq_issues";
}

std::optional<Role> Dashboard::authenticate(const httplib::Request& req,
                                            httplib::Response& res) const {
  if (tokens_ == nullptr) return Role::hr;
  std::string presented;
  const std::string authorization = req.get_header_value("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    presented = authorization.substr(7);
  } else if (req.has_param("token")) {
    // A browser's login: the token becomes a session cookie and leaves the address bar.
    const auto role = tokens_->role_of(req.get_param_value("token"));
    if (!role) {
      refuse(res, 401, "invalid token");
      return std::nullopt;
    }
    res.set_header("Set-Cookie", std::string(k_session_cookie) + "=" +
                                     req.get_param_value("token") +
                                     "; HttpOnly; SameSite=Strict; Path=/");
    res.set_redirect(without_token(req), 303);
    return std::nullopt;
  } else {
    presented = std::string(cookie_value(req.get_header_value("Cookie"), k_session_cookie));
  }
  if (presented.empty()) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"sportlake\"");
    refuse(res, 401,
           "authentication required: Authorization: Bearer <token>, or open the page once with "
           "?token=<token> (the tokens are in SPORTLAKE_HOME/serve)");
    return std::nullopt;
  }
  const auto role = tokens_->role_of(presented);
  if (!role) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"sportlake\", error=\"invalid_token\"");
    refuse(res, 401, "invalid token");
  }
  return role;
}

Result<std::string> Dashboard::page(int year, Role role) const {
  SL_ASSIGN_OR_RETURN(auto years, reader_.years());
  if (years.empty()) return make_error(Errc::not_found, "no refresh yet: run `sportlake refresh`");
  if (year == 0) year = years.front();
  SL_ASSIGN_OR_RETURN(auto kpi, reader_.year_rows("kpi_summary", year));
  if (kpi.num_rows == 0) return make_error(Errc::not_found, "no Gold for " + std::to_string(year));
  SL_ASSIGN_OR_RETURN(auto by_bu, reader_.year_rows("kpi_by_bu", year));

  std::string html = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">";
  html += "<title>sportlake " + std::to_string(year) + "</title><style>" + k_style +
          "</style></head><body>";
  html += "<h1>Avantages sportifs " + std::to_string(year) + "</h1><nav>";
  for (int y : years) html += fmt::format("<a href=\"/?year={0}\">{0}</a>", y);
  if (role == Role::hr)
    html += fmt::format(
        " · <a href=\"/api/prime_sportive?year={0}&format=csv\">CSV primes</a>"
        " · <a href=\"/api/wellbeing?year={0}&format=csv\">CSV bien-être</a>"
        " · <a href=\"/api/dq_issues?format=csv\">CSV qualité</a>",
        year);
  html +=
      fmt::format(" · <a href=\"/api/kpi_by_bu?year={0}&format=csv\">CSV par BU</a></nav>", year);
  auto card = [&](const std::string& label, const std::string& value) {
    html += "<div class=\"card\">" + escape_html(label) + "<b>" + escape_html(value) + "</b></div>";
  };
  html += "<div class=\"cards\">";
  card("Salariés", cell(kpi, "employees", 0));
  card("Trajets sportifs", cell(kpi, "sporty_commuters", 0));
  card("Primes accordées", cell(kpi, "eligible_bonus", 0));
  card("Coût des primes", french_amount(cell(kpi, "total_bonus_eur", 0)) + " €");
  card("Éligibles bien-être", cell(kpi, "wellbeing_eligible", 0));
  card("Jours bien-être", cell(kpi, "wellbeing_days", 0));
  card("Activités", cell(kpi, "activities", 0));
  card("Anomalies de déclaration", cell(kpi, "declaration_anomalies", 0));
  card("Distances inconnues", cell(kpi, "unknown_distances", 0));
  html += "</div>";

  html +=
      "<h2>Par business unit</h2><table><tr><th>BU</th><th>Salariés</th><th>Primes</th>"
      "<th>Coût (€)</th><th>Éligibles bien-être</th><th>Activités</th></tr>";
  for (size_t r = 0; r < by_bu.num_rows; ++r)
    html += fmt::format(
        "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>"
        "<td class=n>{}</td><td class=n>{}</td></tr>",
        escape_html(cell(by_bu, "business_unit", r)), cell(by_bu, "employees", r),
        cell(by_bu, "eligible_bonus", r), french_amount(cell(by_bu, "total_bonus_eur", r)),
        cell(by_bu, "wellbeing_eligible", r), cell(by_bu, "activities", r));
  html += "</table>";
  if (role != Role::hr) {
    html +=
        "<p>Les lignes par salarié (primes, jours bien-être) sont réservées au rôle hr.</p>"
        "</body></html>";
    return html;
  }
  SL_ASSIGN_OR_RETURN(auto prime, reader_.year_rows("prime_sportive", year));
  SL_ASSIGN_OR_RETURN(auto wellbeing, reader_.year_rows("wellbeing", year));

  html +=
      "<h2>Prime sportive</h2><table><tr><th>Salarié</th><th>BU</th><th>Mode</th>"
      "<th>Distance (km)</th><th>Seuil</th><th>Éligible</th><th>Motif</th><th>Prime (€)</th>"
      "</tr>";
  for (size_t r = 0; r < prime.num_rows; ++r) {
    if (cell(prime, "threshold_km", r).empty()) continue;  // only sporty commuters
    const bool yes = cell(prime, "eligible", r) == "oui";
    html += fmt::format(
        "<tr><td><a href=\"/employee/{}?year={}\">{} {}</a></td><td>{}</td><td>{}</td><td "
        "class=n>{}{}</td><td class=n>{}</td>"
        "<td class={}>{}</td><td>{}</td><td class=n>{}</td></tr>",
        cell(prime, "employee_id", r), year, escape_html(cell(prime, "prenom", r)),
        escape_html(cell(prime, "nom", r)), escape_html(cell(prime, "business_unit", r)),
        escape_html(cell(prime, "moyen_deplacement", r)), cell(prime, "distance_km", r),
        cell(prime, "distance_estimate", r) == "oui" ? " (estimée)" : "",
        cell(prime, "threshold_km", r), yes ? "yes" : "no", cell(prime, "eligible", r),
        escape_html(cell(prime, "reason_text", r)), french_amount(cell(prime, "prime_eur", r)));
  }
  html += "</table>";

  html +=
      "<h2>Jours bien-être</h2><table><tr><th>Salarié</th><th>BU</th><th>Activités</th>"
      "<th>Éligible</th><th>Jours</th><th>Manquantes</th></tr>";
  for (size_t r = 0; r < wellbeing.num_rows; ++r) {
    if (cell(wellbeing, "activities", r) == "0") continue;
    html += fmt::format(
        "<tr><td><a href=\"/employee/{}?year={}\">{} {}</a></td><td>{}</td><td class=n>{}</td><td "
        "class={}>{}</td><td class=n>{}</td>"
        "<td class=n>{}</td></tr>",
        cell(wellbeing, "employee_id", r), year, escape_html(cell(wellbeing, "prenom", r)),
        escape_html(cell(wellbeing, "nom", r)), escape_html(cell(wellbeing, "business_unit", r)),
        cell(wellbeing, "activities", r), cell(wellbeing, "eligible", r) == "oui" ? "yes" : "no",
        cell(wellbeing, "eligible", r), cell(wellbeing, "days", r), cell(wellbeing, "missing", r));
  }
  html += "</table><p>sportlake — données lues dans les tables Delta Gold.</p></body></html>";
  return html;
}

void Dashboard::mount(httplib::Server& server) const {
  // Every answer, routed or not (404s, 401s and errors too), carries the security headers.
  server.set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& res) { security_headers(res); });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    const auto role = authenticate(req, res);
    if (!role) return;
    auto year = year_param(req, false);
    if (!year) return fail(res, year.error());
    auto html = page(*year, *role);
    if (!html) return fail(res, html.error());
    res.set_content(*html, "text/html; charset=utf-8");
  });
  mount_employee_routes(server, reader_.lake(),
                        [this](const auto& req, auto& res) { return authenticate(req, res); });
  server.Get("/api/years", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res)) return;
    auto years = reader_.years();
    if (!years) return fail(res, years.error());
    std::string out = "[";
    for (size_t i = 0; i < years->size(); ++i) out += (i ? "," : "") + std::to_string((*years)[i]);
    res.set_content(out + "]", "application/json");
  });
  server.Get(R"(/api/([a-z_]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto role = authenticate(req, res);
    if (!role) return;
    const std::string table = req.matches[1];
    const bool is_dq = table == "dq_issues";
    const auto& gold = GoldReader::gold_tables();
    if (!is_dq && std::find(gold.begin(), gold.end(), table) == gold.end())
      return refuse(res, 404, "no Gold table '" + table + "'");
    if (per_employee(table) && *role != Role::hr)
      return refuse(res, 403, "'" + table + "' holds per-employee rows: the hr role reads it");
    auto format = format_param(req);
    if (!format) return fail(res, format.error());
    if (is_dq) {
      auto rows = reader_.dq_issues();
      if (!rows) return fail(res, rows.error());
      return send_rows(*format, res, *rows, "dq_issues");
    }
    auto year = year_param(req, true);
    if (!year) return fail(res, year.error());
    auto rows = reader_.year_rows(table, *year);
    if (!rows) return fail(res, rows.error());
    send_rows(*format, res, *rows, table + "_" + std::to_string(*year));
  });
}

}  // namespace sl::serve
