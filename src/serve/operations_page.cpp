// /operations and /api/status.
#include "serve/operations_page.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <algorithm>
#include <optional>

#include "serve/dashboard.hpp"
#include "serve/page_layout.hpp"
#include "serve/responses.hpp"

namespace sl::serve {

namespace {

// A millisecond time as a date and time in the page's language; "—" when absent.
std::string when(Lang lang, std::optional<int64_t> ms) {
  return ms ? format_datetime_us(lang, *ms * 1000) : "—";
}

std::string bytes_text(Lang lang, std::optional<int64_t> bytes) {
  return bytes ? format_bytes(lang, *bytes) : "—";
}

std::string age(Lang lang, int64_t now_ms, std::optional<int64_t> ms) {
  if (!ms) return std::string(tr(lang, "ops.never"));
  return trf(lang, "ops.ago", format_duration(lang, static_cast<double>(now_ms - *ms) / 1000));
}

// The page's header row: `keys` translated, numeric columns (`n`) right-aligned.
std::string header_row(Lang lang, std::initializer_list<std::string_view> keys,
                       std::initializer_list<std::string_view> numeric = {}) {
  std::string html = "<tr>";
  for (std::string_view key : keys) {
    const bool n = std::find(numeric.begin(), numeric.end(), key) != numeric.end();
    html += fmt::format("<th scope=\"col\"{}>{}</th>", n ? " class=\"n\"" : "",
                        escape_html(tr(lang, key)));
  }
  return html + "</tr>";
}

}  // namespace

std::optional<Role> allowed_role(const Dashboard& dashboard, const httplib::Request& req,
                                 httplib::Response& res, Role needed, bool page) {
  const Lang lang = request_lang(req);
  const auto role = dashboard.authenticate(req, res, lang);
  if (!role) return std::nullopt;
  if (*role < needed) {
    const std::string message =
        trf(lang, "error.role_needed", req.path, role_name(needed), role_name(*role));
    if (page)
      refuse_page(res, 403, message, lang, *role);
    else
      refuse(res, 403, message);
    return std::nullopt;
  }
  return role;
}

bool allowed(const Dashboard& dashboard, const httplib::Request& req, httplib::Response& res,
             Role needed) {
  return allowed_role(dashboard, req, res, needed, false).has_value();
}

std::string operations_html(const ops::StatusReport& r, Lang lang, Role role, bool refresh) {
  const auto e = [](std::string_view text) { return escape_html(text); };
  const auto t = [lang](std::string_view key) { return escape_html(tr(lang, key)); };
  const auto num = [lang](int64_t value) { return format_int(lang, value); };
  const std::string lang_param(lang_code(lang));
  PageFrame frame;
  frame.lang = lang;
  frame.title = std::string(tr(lang, "ops.title"));
  frame.current = "/operations";
  frame.role = role;
  frame.other_lang_href = url_with("/operations", {{"refresh", refresh ? "" : "off"},
                                                   {"lang", lang == Lang::fr ? "en" : "fr"}});
  std::string html = page_begin(frame);
  html += fmt::format("<nav aria-label=\"{}\" class=\"pages\"><ul><li><a href=\"/api/status\">JSON"
                      "</a></li><li><a href=\"/metrics\">Prometheus</a></li></ul></nav>",
                      t("ops.links"));
  const std::string as_of = when(lang, r.generated_at_ms);
  if (refresh)
    html += fmt::format("<p>{} <a href=\"{}\">{}</a></p>", e(trf(lang, "ops.as_of", as_of)),
                        e(url_with("/operations", {{"refresh", "off"}, {"lang", lang_param}})),
                        t("ops.stop_refresh"));
  else
    html += fmt::format("<p>{} <a href=\"{}\">{}</a></p>",
                        e(trf(lang, "ops.refresh_stopped", as_of)),
                        e(url_with("/operations", {{"lang", lang_param}})), t("ops.start_refresh"));

  const auto bronze = r.last_bronze_commit_ms();
  html += fmt::format("<h2 class=\"sr-only\">{}</h2><ul class=\"cards\">", t("ops.freshness"));
  auto card = [&](std::string_view key, const std::string& value, bool bad = false) {
    html += fmt::format("<li class=\"card\">{}<span class=\"v{}\">{}</span></li>", t(key),
                        bad ? " bad" : "", e(value));
  };
  card("ops.last_bronze", age(lang, r.generated_at_ms, bronze), !bronze);
  card("ops.last_refresh", age(lang, r.generated_at_ms, r.last_refresh_ms()),
       !r.last_refresh_ms());
  card("ops.last_check", age(lang, r.generated_at_ms, r.last_check_ms()));
  int64_t failing = 0;
  for (const auto& f : r.job_failures) failing += f.count;
  card("ops.failing_rows", num(failing), failing > 0);
  html += "</ul>";

  html += "<h2>" + t("ops.database") + "</h2>";
  if (!r.database_error.empty()) {
    html += "<p class=\"bad\">" + e(trf(lang, "ops.db_unavailable", r.database_error)) + "</p>";
  } else {
    html += "<p>" +
            e(trf(lang, "ops.db_line", r.server_version, r.database,
                  tr(lang, r.embedded ? "ops.embedded" : "ops.external"), r.wal_lsn)) +
            "</p>";
    html += "<h2>" + t("ops.slots") + "</h2><table>" +
            header_row(lang, {"ops.slot", "ops.state", "ops.confirmed", "ops.lag", "ops.wal_held"},
                       {"ops.lag", "ops.wal_held"});
    if (r.slots.empty()) html += "<tr><td colspan=\"5\">" + t("ops.no_slot") + "</td></tr>";
    for (const auto& s : r.slots)
      html += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
          "</tr>",
          e(s.name), t(s.active ? "ops.active" : "ops.stopped"), e(s.confirmed_lsn),
          e(bytes_text(lang, s.lag_bytes)), e(bytes_text(lang, s.wal_held_bytes)));
    html += "</table><h2>" + t("ops.notifications") + "</h2><table>" +
            header_row(lang, {"ops.status", "ops.count"}, {"ops.count"});
    if (r.notifications.empty()) html += "<tr><td colspan=\"2\">" + t("ops.none") + "</td></tr>";
    for (const auto& c : r.notifications)
      html += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>", e(c.keys.at(0)),
                          num(c.count));
    html += "</table><h2>" + t("ops.distances") + "</h2><table>" +
            header_row(lang, {"ops.provider", "ops.status", "ops.count"}, {"ops.count"});
    if (r.distances.empty()) html += "<tr><td colspan=\"3\">" + t("ops.none") + "</td></tr>";
    for (const auto& c : r.distances)
      html += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>", e(c.keys.at(0)),
                          e(c.keys.at(1)), num(c.count));
    html += "</table><h2>" + t("ops.job_failures") + "</h2><table>" +
            header_row(lang, {"ops.job", "ops.count", "ops.newest"}, {"ops.count"});
    if (r.job_failures.empty()) html += "<tr><td colspan=\"3\">" + t("ops.none") + "</td></tr>";
    for (const auto& f : r.job_failures) {
      std::string newest;
      for (const auto& line : f.newest) newest += (newest.empty() ? "" : "<br>") + e(line);
      html += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>", e(f.job),
                          num(f.count), newest);
    }
    html += "</table>";
  }

  if (r.kafka) {
    html += "<h2>" + t("ops.kafka_lag") + "</h2>";
    if (!r.kafka_error.empty())
      html += "<p class=\"bad\">" + e(trf(lang, "ops.kafka_unavailable", r.kafka_error)) + "</p>";
    html += "<table>" +
            header_row(lang,
                       {"ops.group", "ops.partition", "ops.high_watermark", "ops.committed",
                        "ops.lag", "ops.bronze_lag"},
                       {"ops.high_watermark", "ops.committed", "ops.lag", "ops.bronze_lag"});
    if (r.consumer_lag.empty() && r.kafka_error.empty())
      html += "<tr><td colspan=\"6\">" + t("ops.no_group") + "</td></tr>";
    auto optional_num = [&](std::optional<int64_t> v) { return v ? num(*v) : std::string("–"); };
    for (const auto& l : r.consumer_lag)
      html += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
          "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
          e(l.group), e(l.topic + ":" + std::to_string(l.partition)), num(l.high_watermark),
          optional_num(l.committed), num(l.lag), optional_num(l.bronze_lag));
    html += "</table>";
  }

  html += "<h2>" + e(trf(lang, "ops.lake", r.lake_root)) + "</h2>";
  if (!r.lake_error.empty())
    html += "<p class=\"bad\">" + e(trf(lang, "ops.lake_unreadable", r.lake_error)) + "</p>";
  html += "<table>" +
          header_row(lang,
                     {"ops.layer", "ops.table", "ops.version", "ops.last_commit", "ops.files",
                      "ops.small_files", "ops.size", "ops.check"},
                     {"ops.version", "ops.files", "ops.small_files", "ops.size"});
  for (const auto& tb : r.tables) {
    if (!tb.error.empty()) {
      html += fmt::format("<tr><td>{}</td><td>{}</td><td colspan=\"6\" class=\"bad\">{}</td></tr>",
                          e(tb.layer), e(tb.name), e(tb.error));
      continue;
    }
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td{}>{}</td></tr>",
        e(tb.layer), e(tb.name), num(tb.version), e(when(lang, tb.committed_at_ms)), num(tb.files),
        num(tb.small_files), e(bytes_text(lang, tb.bytes)), tb.damaged ? " class=\"bad\"" : "",
        e(tb.check));
  }
  html += "</table>";
  return html + page_end(lang, "ops.footer");
}

void mount_operations(httplib::Server& server, const Dashboard& dashboard,
                      StatusProvider status) {
  server.Get("/operations", [&dashboard, status](const httplib::Request& req,
                                                 httplib::Response& res) {
    const Lang lang = request_lang(req);
    const auto role = allowed_role(dashboard, req, res, Role::ops, true);
    if (!role) return;
    // The 10 s refresh is the HTTP `Refresh` header, not a <meta>: the page offers a link that
    // stops it (WCAG 2.2.1), which axe's meta-refresh rule cannot see (serve/README.md).
    const bool refresh = req.get_param_value("refresh") != "off";
    if (refresh) res.set_header("Refresh", "10");
    res.set_header("Content-Language", std::string(lang_code(lang)));
    res.set_header("Vary", "Accept-Language, Cookie");
    res.set_content(operations_html(status(), lang, *role, refresh), "text/html; charset=utf-8");
  });
  server.Get("/api/status", [&dashboard, status](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!allowed(dashboard, req, res, Role::ops)) return;
    res.set_content(ops::status_json(status()), "application/json");
  });
}

}  // namespace sl::serve
