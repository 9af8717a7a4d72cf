// /operations and /api/status.
#include "serve/operations_page.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include "common/civil_time.hpp"
#include "common/json_writer.hpp"
#include "serve/dashboard.hpp"

namespace sl::serve {

namespace {

constexpr const char* k_style = R"css(
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433;background:#f6f7fb}
h1{margin:0 0 .2rem}nav a{margin-right:.6rem}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1.2rem 0}
.card{background:#fff;border-radius:10px;padding:1rem 1.3rem;box-shadow:0 1px 3px #0002;min-width:10rem}
.card b{display:block;font-size:1.3rem}
table{border-collapse:collapse;background:#fff;margin:.6rem 0 1.6rem;font-size:.9rem}
th,td{padding:.35rem .7rem;border-bottom:1px solid #e3e6ee;text-align:left}
td.n{text-align:right}.bad{color:#a33;font-weight:600}.ok{color:#176b3a}
)css";

std::string when(std::optional<int64_t> ms) {
  return ms ? format_timestamp_ms(*ms * 1000) : "—";
}

std::string bytes_text(std::optional<int64_t> bytes) {
  if (!bytes) return "—";
  const double b = static_cast<double>(*bytes);
  if (b < 1024) return fmt::format("{} o", *bytes);
  if (b < 1048576) return fmt::format("{:.1f} Kio", b / 1024);
  if (b < 1073741824) return fmt::format("{:.1f} Mio", b / 1048576);
  return fmt::format("{:.1f} Gio", b / 1073741824);
}

std::string age(int64_t now_ms, std::optional<int64_t> ms) {
  if (!ms) return "jamais";
  return fmt::format("il y a {:.1f} s", static_cast<double>(now_ms - *ms) / 1000);
}

}  // namespace

void send_error(httplib::Response& res, int status, const std::string& message) {
  std::string body = "{\"error\":";
  append_json_string(body, message);
  res.status = status;
  res.set_content(body + "}", "application/json");
}

bool allowed(const Dashboard& dashboard, const httplib::Request& req, httplib::Response& res,
             Role needed) {
  const auto role = dashboard.authenticate(
      req, res, choose_lang(req.get_param_value("lang"), req.get_header_value("Accept-Language")));
  if (!role) return false;
  if (*role < needed) {
    send_error(res, 403,
               "'" + req.path + "' needs the " + std::string(role_name(needed)) +
                   " role (or hr); this token is " + std::string(role_name(*role)));
    return false;
  }
  return true;
}

std::string operations_html(const ops::StatusReport& r) {
  const auto e = [](std::string_view text) { return escape_html(text); };
  std::string html =
      "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"10\"><title>sportlake — exploitation</title>"
      "<style>";
  html += k_style;
  html +=
      "</style></head><body><h1>Exploitation</h1><nav><a href=\"/\">Tableau de bord</a>"
      "<a href=\"/api/status\">JSON</a><a href=\"/metrics\">Prometheus</a></nav>";
  html += "<p>État au " + e(when(r.generated_at_ms)) + " (la page se recharge toutes les 10 s).</p>";

  const auto bronze = r.last_bronze_commit_ms();
  html += "<div class=\"cards\">";
  auto card = [&](std::string_view label, const std::string& value, bool bad = false) {
    html += fmt::format("<div class=\"card\">{}<b{}>{}</b></div>", e(label),
                        bad ? " class=\"bad\"" : "", e(value));
  };
  card("Dernier commit Bronze", age(r.generated_at_ms, bronze), !bronze);
  card("Dernier rafraîchissement", age(r.generated_at_ms, r.last_refresh_ms()),
       !r.last_refresh_ms());
  card("Dernière vérification (lake check)", age(r.generated_at_ms, r.last_check_ms()));
  int64_t failing = 0;
  for (const auto& f : r.job_failures) failing += f.count;
  card("Lignes en échec", std::to_string(failing), failing > 0);
  html += "</div>";

  html += "<h2>Base de données</h2>";
  if (!r.database_error.empty()) {
    html += "<p class=\"bad\">Indisponible : " + e(r.database_error) + "</p>";
  } else {
    html += fmt::format("<p>PostgreSQL {} ({}, {}), WAL à {}</p>", e(r.server_version),
                        e(r.database), r.embedded ? "intégrée" : "externe", e(r.wal_lsn));
    html +=
        "<h2>Slots de réplication</h2><table><tr><th>Slot</th><th>État</th><th>Confirmé</th>"
        "<th>Retard</th><th>WAL retenu</th></tr>";
    if (r.slots.empty()) html += "<tr><td colspan=5>aucun (chaque job crée le sien)</td></tr>";
    for (const auto& s : r.slots)
      html += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
          e(s.name), s.active ? "actif" : "arrêté", e(s.confirmed_lsn), bytes_text(s.lag_bytes),
          bytes_text(s.wal_held_bytes));
    html += "</table><h2>Notifications</h2><table><tr><th>Statut</th><th>Nombre</th></tr>";
    for (const auto& c : r.notifications)
      html += fmt::format("<tr><td>{}</td><td class=n>{}</td></tr>", e(c.keys.at(0)), c.count);
    html +=
        "</table><h2>Distances</h2><table><tr><th>Fournisseur</th><th>Statut</th>"
        "<th>Nombre</th></tr>";
    for (const auto& c : r.distances)
      html += fmt::format("<tr><td>{}</td><td>{}</td><td class=n>{}</td></tr>", e(c.keys.at(0)),
                          e(c.keys.at(1)), c.count);
    html +=
        "</table><h2>Lignes en échec (job_failures)</h2><table><tr><th>Job</th><th>Nombre</th>"
        "<th>Les plus récentes</th></tr>";
    if (r.job_failures.empty()) html += "<tr><td colspan=3>aucune</td></tr>";
    for (const auto& f : r.job_failures) {
      std::string newest;
      for (const auto& line : f.newest) newest += (newest.empty() ? "" : "<br>") + e(line);
      html += fmt::format("<tr><td>{}</td><td class=n>{}</td><td>{}</td></tr>", e(f.job), f.count,
                          newest);
    }
    html += "</table>";
  }

  html += "<h2>Lac " + e(r.lake_root) + "</h2>";
  if (!r.lake_error.empty()) html += "<p class=\"bad\">Illisible : " + e(r.lake_error) + "</p>";
  html +=
      "<table><tr><th>Couche</th><th>Table</th><th>Version</th><th>Dernier commit</th>"
      "<th>Fichiers</th><th>Petits fichiers</th><th>Taille</th><th>Vérification</th></tr>";
  for (const auto& t : r.tables) {
    if (!t.error.empty()) {
      html += fmt::format("<tr><td>{}</td><td>{}</td><td colspan=6 class=bad>{}</td></tr>",
                          e(t.layer), e(t.name), e(t.error));
      continue;
    }
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td>{}</td><td class=n>{}</td>"
        "<td class=n>{}</td><td class=n>{}</td><td{}>{}</td></tr>",
        e(t.layer), e(t.name), t.version, e(when(t.committed_at_ms)), t.files, t.small_files,
        bytes_text(t.bytes), t.damaged ? " class=bad" : "", e(t.check));
  }
  html += "</table></body></html>";
  return html;
}

void mount_operations(httplib::Server& server, const Dashboard& dashboard,
                      StatusProvider status) {
  server.Get("/operations", [&dashboard, status](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!allowed(dashboard, req, res, Role::ops)) return;
    res.set_content(operations_html(status()), "text/html; charset=utf-8");
  });
  server.Get("/api/status", [&dashboard, status](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!allowed(dashboard, req, res, Role::ops)) return;
    res.set_content(ops::status_json(status()), "application/json");
  });
}

}  // namespace sl::serve
