// The dashboard's routes.
#include "serve/dashboard.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "columnar/cell_text.hpp"
#include "serve/employee_facts.hpp"
#include "serve/employee_page.hpp"
#include "serve/http_head.hpp"
#include "serve/live_feed.hpp"
#include "serve/response_cache.hpp"
#include "serve/responses.hpp"
#include "serve/statistical_secrecy.hpp"

namespace sl::serve {

namespace {

constexpr std::string_view k_session_cookie = "sportlake_session";

// No script, no frame, no foreign resource: the pages are server-rendered (charts are inline
// SVG) with one inline style.
constexpr const char* k_content_security_policy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void security_headers(httplib::Response& res) {
  // A page that needs more (the overview's live-feed script, live_feed.hpp) sets its own, as
  // strict otherwise.
  if (!res.has_header("Content-Security-Policy"))
    res.set_header("Content-Security-Policy", k_content_security_policy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  // Salaries, names and addresses: never kept by a browser or a proxy cache.
  res.set_header("Cache-Control", "no-store");
}

// The request's URL without its `token` parameter (where a `?token=` login redirects to).
std::string without_token(const httplib::Request& req) {
  QueryParams params;
  for (const auto& [name, value] : req.params)
    if (name != "token") params.push_back({name, value});
  return url_with(req.path, params);
}

enum class Format { json, csv };

Result<Format> format_param(const httplib::Request& req, Lang lang) {
  if (!req.has_param("format")) return Format::json;
  const std::string text = req.get_param_value("format");
  if (text == "json") return Format::json;
  if (text == "csv") return Format::csv;
  return make_error(Errc::invalid_argument, trf(lang, "error.bad_format", text));
}

Result<int> year_param(const httplib::Request& req, bool required, Lang lang) {
  if (!req.has_param("year")) {
    if (required)
      return make_error(Errc::invalid_argument, std::string(tr(lang, "error.year_required")));
    return 0;
  }
  const std::string text = req.get_param_value("year");
  int year = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || ptr != text.data() + text.size() || year < 1900 || year > 9999)
    return make_error(Errc::invalid_argument, trf(lang, "error.bad_year", text));
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

// The request's table parameters (`prefix` "bu_" for the units' table). The views point into
// `req`, which outlives their use.
TableQueryText table_params(const httplib::Request& req, std::string_view prefix) {
  auto value = [&req, prefix](std::string_view name) -> std::string_view {
    const std::string key = std::string(prefix) + std::string(name);
    auto it = req.params.find(key);
    return it == req.params.end() ? std::string_view() : std::string_view(it->second);
  };
  return {value("sort"), value("dir"), value("q"), value("page"), value("page_size")};
}

bool has_table_params(const TableQueryText& t) {
  return !t.sort.empty() || !t.dir.empty() || !t.q.empty() || !t.page.empty() ||
         !t.page_size.empty();
}

}  // namespace

bool Dashboard::per_employee(std::string_view table) {
  return table == "prime_sportive" || table == "wellbeing" || table == "dq_issues";
}

std::optional<Role> Dashboard::authenticate(const httplib::Request& req, httplib::Response& res,
                                            Lang lang) const {
  if (tokens_ == nullptr) return Role::hr;
  std::string presented;
  const std::string authorization = req.get_header_value("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    presented = authorization.substr(7);
  } else if (req.has_param("token")) {
    // A browser's login: the token becomes a session cookie and leaves the address bar.
    const auto role = tokens_->role_of(req.get_param_value("token"));
    if (!role) {
      refuse(res, 401, std::string(tr(lang, "error.invalid_token")));
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
    refuse(res, 401, std::string(tr(lang, "error.auth_required")));
    return std::nullopt;
  }
  const auto role = tokens_->role_of(presented);
  if (!role) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"sportlake\", error=\"invalid_token\"");
    refuse(res, 401, std::string(tr(lang, "error.invalid_token")));
  }
  return role;
}

Dashboard::Dashboard(delta::Lake lake, const TokenStore* tokens)
    : reader_(std::move(lake)), tokens_(tokens), overview_(reader_) {
  reader_.keep_indexes_fresh();  // a refresh's new Silver never makes an employee page wait
  index_employee_tables(reader_);  // nor does the first one after the server starts
}

void Dashboard::mount(httplib::Server& server) const {
  // Every answer, routed or not (404s, 401s and errors too), carries the security headers.
  server.set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& res) { security_headers(res); });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  // Readiness (a load balancer's, a test's): the first employee page will not wait.
  server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const bool ready = reader_.indexes_ready();
    res.status = ready ? 200 : 503;
    if (!ready) res.set_header("Retry-After", "1");
    res.set_content(ready ? "ready" : "indexing", "text/plain");
  });
  // Browsers ask for it on every page: no icon, and no 401 in their console.
  server.Get("/favicon.ico",
             [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  server.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    const Lang lang = request_lang(req);
    const auto role = authenticate(req, res, lang);
    if (!role) return;
    res.set_header("Content-Language", std::string(lang_code(lang)));
    res.set_header("Vary", "Accept-Language, Cookie");
    answer_cached(pages_, reader_.versions_key(false), answer_key(req, lang, *role), res,
                  [&](httplib::Response& out) {
                    auto year = year_param(req, false, lang);
                    if (!year) return fail_page(out, year.error(), lang, *role);
                    OverviewRequest request;
                    request.year = *year;
                    request.lang = lang;
                    request.role = *role;
                    request.employees = table_params(req, "");
                    request.units = table_params(req, "bu_");
                    auto html = overview_.render(request);
                    if (!html) return fail_page(out, html.error(), lang, *role);
                    out.set_content(*html, "text/html; charset=utf-8");
                  });
    if (res.status != -1) return;  // an error page
    res.set_header("Content-Security-Policy", LiveFeed::page_csp());  // the feed's script
    if (feed_) feed_->fill_section(res.body, lang);
  });
  mount_employee_routes(server, reader_, employee_answers_, [this](const auto& req, auto& res) {
    return authenticate(req, res, request_lang(req));
  });
  server.Get("/api/years", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res, request_lang(req))) return;
    auto years = reader_.years();
    if (!years) return fail(res, years.error());
    std::string out = "[";
    for (size_t i = 0; i < years->size(); ++i) out += (i ? "," : "") + std::to_string((*years)[i]);
    res.set_content(out + "]", "application/json");
  });
  server.Get(R"(/api/([a-z_]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const Lang lang = request_lang(req);
    const auto role = authenticate(req, res, lang);
    if (!role) return;
    const std::string table = req.matches[1];
    const bool is_dq = table == "dq_issues";
    const auto& gold = GoldReader::gold_tables();
    if (!is_dq && std::find(gold.begin(), gold.end(), table) == gold.end())
      return refuse(res, 404, trf(lang, "error.unknown_table", table));
    if (per_employee(table) && *role != Role::hr)
      return refuse(res, 403, trf(lang, "error.hr_only", table));
    auto format = format_param(req, lang);
    if (!format) return fail(res, format.error());
    auto answer = [&](httplib::Response& out) {
      SharedBatch rows;
      std::string name = table;
      if (is_dq) {
        auto issues = reader_.dq_issues();
        if (!issues) return fail(out, issues.error());
        rows = std::make_shared<const columnar::RecordBatch>(std::move(*issues));
      } else {
        auto year = year_param(req, true, lang);
        if (!year) return fail(out, year.error());
        auto read = reader_.year_rows(table, *year);
        if (!read) return fail(out, read.error());
        rows = *role == Role::hr ? *read : hide_small_groups(*read);
        name += "_" + std::to_string(*year);
      }
      const TableQueryText params = table_params(req, "");
      if (!has_table_params(params)) return send_rows(*format, out, *rows, name);
      auto query = parse_table_query(params, *rows, "", lang);
      if (!query) return fail(out, query.error());
      std::vector<std::string> text_columns;
      for (const auto& field : rows->schema)
        if (field.type.id == columnar::TypeId::string) text_columns.push_back(field.name);
      if (*format == Format::csv) {  // every matching row, in the asked order
        query->page = 1;
        query->page_size = static_cast<int64_t>(std::max<size_t>(rows->num_rows, 1));
      }
      const TablePage page = api_tables_.run(rows, *query, text_columns);
      const auto taken = take_rows(*rows, page.rows);
      if (*format == Format::csv) return send_rows(*format, out, taken, name);
      out.set_content(
          fmt::format("{{\"total\":{},\"page\":{},\"pages\":{},\"page_size\":{},\"rows\":{}}}",
                      page.total, page.page, page.pages, query->page_size,
                      columnar::rows_json(taken)),
          "application/json");
    };
    // Gold's JSON is cached per version (a CSV's file name is a header the cache does not keep).
    if (is_dq || *format != Format::json) return answer(res);
    answer_cached(api_answers_, reader_.versions_key(false), answer_key(req, lang, *role), res,
                  answer);
  });
}

}  // namespace sl::serve
