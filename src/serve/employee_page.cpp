// The employee page (HTML + inline SVG) and its two routes.
#include "serve/employee_page.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "common/civil_time.hpp"
#include "common/json_writer.hpp"
#include "serve/dashboard.hpp"

namespace sl::serve {

namespace {

constexpr std::array<const char*, 12> k_months = {"janv.", "févr.", "mars",  "avr.",
                                                  "mai",   "juin",  "juil.", "août",
                                                  "sept.", "oct.",  "nov.",  "déc."};

// 4.25 → "4,3" (French decimal comma).
std::string fr_number(double value, int digits) {
  std::string text = fmt::format("{:.{}f}", value, digits);
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

// "172482.50" (a decimal's text) → "172 482,50 €" (narrow no-break space between thousands).
std::string fr_euros(const std::string& decimal) {
  if (decimal.empty()) return "—";
  const size_t point = decimal.find('.');
  const std::string whole = decimal.substr(0, point);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0 && whole[i - 1] != '-') out += "\u202f";
    out += whole[i];
  }
  if (point != std::string::npos) out += "," + decimal.substr(point + 1);
  return out + "\u00a0€";
}

std::string distance_source_fr(const std::string& source, bool estimate) {
  if (source == "google_distance_matrix") return "Google Distance Matrix (trajet calculé)";
  if (source == "google_routes") return "Google Routes (trajet calculé)";
  if (source == "offline")
    return "estimation hors ligne (vol d'oiseau entre les communes localisées × facteur de détour)";
  if (source.empty()) return "aucune";
  return source + (estimate ? " (estimation)" : "");
}

std::string address_match_fr(const std::string& match) {
  if (match == "exact") return "localisée : code postal et commune concordent";
  if (match == "postcode_mismatch")
    return "localisée par la commune : le code postal ne lui correspond pas";
  if (match == "no_postcode") return "localisée par la commune : adresse sans code postal";
  if (match == "postcode_only") return "localisée par le code postal : commune introuvable";
  if (match == "not_found") return "non localisée";
  return "non vérifiée (pas de gazetteer)";
}

std::string km(std::optional<double> value) {
  return value ? fr_number(*value, 1) + "\u00a0km" : "inconnue";
}

std::string local_date(std::optional<int64_t> us) {
  if (!us) return "";
  const std::string text = format_timestamp_us(*us, ' ', false);
  const CivilDate d = civil_from_days(floor_div(*us, 86'400'000'000LL));
  return fmt::format("{} {} {} {}", d.day, k_months[d.month - 1], d.year, text.substr(11, 5));
}

std::string duration(std::optional<int32_t> seconds) {
  if (!seconds) return "";
  return fmt::format("{} h {:02d}", *seconds / 3600, *seconds % 3600 / 60);
}

constexpr const char* k_style = R"css(
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433;background:#f6f7fb;max-width:70rem}
h1{margin:0 0 .2rem}nav a{margin-right:.6rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:1rem 1.3rem;border-radius:10px;box-shadow:0 1px 3px #0002}
dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;background:#fff;margin:.6rem 0 1.6rem;font-size:.9rem}
th,td{padding:.35rem .7rem;border-bottom:1px solid #e3e6ee;text-align:left}
td.n{text-align:right}.no{color:#a33}.yes{color:#176b3a}.note{background:#fff6d6;padding:.5rem .8rem;border-radius:6px}
svg{background:#fff;border-radius:10px;box-shadow:0 1px 3px #0002}
)css";

void field(std::string& html, const std::string& label, const std::string& value_html) {
  html += "<dt>" + escape_html(label) + "</dt><dd>" + value_html + "</dd>";
}

void decision_section(std::string& html, const EmployeeFacts& f) {
  html += "<h2>Prime sportive</h2><dl>";
  const BonusDecision* d = f.decision ? &*f.decision : nullptr;
  field(html, "Mode déclaré", escape_html(d ? d->moyen_deplacement : f.declared_mode));
  if (f.has_commute) {
    field(html, "Adresse (telle qu'écrite)", escape_html(f.address));
    std::string located = escape_html(address_match_fr(f.address_match));
    if (!f.commune.empty()) located += " — commune retenue : " + escape_html(f.commune);
    field(html, "Adresse (telle que localisée)", located);
  }
  if (d) {
    if (d->threshold_km || d->distance_km) {
      field(html, "Distance domicile-travail", escape_html(km(d->distance_km)));
      field(html, "Source de la distance",
            escape_html(distance_source_fr(d->distance_source, d->distance_estimate)));
    } else {  // car, public transport: no distance is asked for them
      field(html, "Distance domicile-travail", "non calculée (mode non sportif)");
    }
    field(html, "Seuil applicable",
          d->threshold_km ? escape_html(km(d->threshold_km))
                          : "aucun (mode non sportif : jamais éligible)");
    field(html, "Décision",
          fmt::format("<span class=\"{}\">{}</span>", d->eligible ? "yes" : "no",
                      escape_html(d->reason_text)));
    field(html, "Salaire brut annuel", escape_html(fr_euros(d->salaire_brut_eur)));
    field(html, "Prime", "<b>" + escape_html(fr_euros(d->prime_eur)) + "</b>");
  } else {
    field(html, "Décision",
          fmt::format("aucune pour {} (embauché après l'année, ou écarté des calculs : voir la "
                      "qualité des données)",
                      f.year));
  }
  html += "</dl>";
  if (f.commute_changed)
    html += fmt::format(
        "<p class=\"note\">Le trajet actuel ({}, {}) n'est plus celui de la décision {} : le "
        "prochain <code>sportlake refresh --year {}</code> la recalculera.</p>",
        escape_html(f.declared_mode), escape_html(km(f.current_distance_km)), f.year, f.year);
}

void wellbeing_section(std::string& html, const EmployeeFacts& f) {
  html += "<h2>Jours bien-être</h2><dl>";
  if (f.has_wellbeing) {
    field(html, "Activités comptées", std::to_string(f.wellbeing_activities));
    field(html, "Décision",
          f.wellbeing_eligible
              ? fmt::format("<span class=\"yes\">éligible : {} jours</span>", f.wellbeing_days)
              : fmt::format("<span class=\"no\">non éligible : il manque {} activité{} pour "
                            "atteindre {}</span>",
                            f.wellbeing_missing, f.wellbeing_missing > 1 ? "s" : "",
                            f.wellbeing_activities + f.wellbeing_missing));
  } else {
    field(html, "Décision", fmt::format("aucune pour {}", f.year));
  }
  html += "</dl>" + monthly_chart_svg(f);
}

void activities_section(std::string& html, const EmployeeFacts& f) {
  html += fmt::format("<h2>Activités {} ({})</h2>", f.year, f.activities.size());
  if (f.activities.empty()) {
    html += "<p>Aucune activité.</p>";
    return;
  }
  html +=
      "<table><tr><th>Date</th><th>Sport</th><th>Nom</th><th>Distance</th><th>Durée</th>"
      "<th>Comptée</th></tr>";
  for (const auto& a : f.activities)
    html += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td>"
        "<td>{}</td></tr>",
        escape_html(local_date(a.start_local_us)), escape_html(a.sport_type), escape_html(a.name),
        a.distance_km ? escape_html(km(a.distance_km)) : "", duration(a.moving_time_s),
        a.counted ? "oui" : "non (trajet domicile-travail)");
  html += "</table>";
}

void findings_section(std::string& html, const EmployeeFacts& f) {
  html += "<h2>Qualité des données</h2>";
  if (f.findings.empty()) {
    html += "<p>Aucun constat.</p>";
    return;
  }
  html +=
      "<table><tr><th>Gravité</th><th>Table</th><th>Clé</th><th>Règle</th><th>Constat</th></tr>";
  for (const auto& i : f.findings)
    html += fmt::format(
        "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        i.severity == "info" ? "yes" : "no", escape_html(i.severity), escape_html(i.table),
        escape_html(i.key), escape_html(i.rule), escape_html(i.reason));
  html += "</table>";
}

void history_section(std::string& html, const EmployeeFacts& f) {
  html += "<h2>Historique de la décision</h2>";
  html +=
      "<table><tr><th>Année</th><th>Mode</th><th>Distance</th><th>Seuil</th><th>Décision</th>"
      "<th>Prime</th></tr>";
  for (const auto& d : f.history)
    html += fmt::format(
        "<tr><td><a href=\"/employee/{}?year={}\">{}</a></td><td>{}</td><td class=n>{}</td>"
        "<td class=n>{}</td><td class=\"{}\">{}</td><td class=n>{}</td></tr>",
        f.employee_id, d.year, d.year, escape_html(d.moyen_deplacement),
        escape_html(km(d.distance_km)), d.threshold_km ? escape_html(km(d.threshold_km)) : "—",
        d.eligible ? "yes" : "no", escape_html(d.reason_text), escape_html(fr_euros(d.prime_eur)));
  html += "</table>";
}

// Same error body as the dashboard's: {"error": "..."}.
void refuse(httplib::Response& res, int status, const std::string& message) {
  std::string body = "{\"error\":";
  append_json_string(body, message);
  res.status = status;
  res.set_content(body + "}", "application/json");
}

// The facts a request asks for, or the answer already written (401/403/400/404/500).
std::optional<EmployeeFacts> requested_facts(const httplib::Request& req, httplib::Response& res,
                                             const delta::Lake& lake,
                                             const Authenticate& authenticate) {
  const auto role = authenticate(req, res);
  if (!role) return std::nullopt;
  if (*role != Role::hr) {
    refuse(res, 403, "an employee's page holds per-employee rows: the hr role reads it");
    return std::nullopt;
  }
  const std::string id_text = req.matches[1];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size()) {
    refuse(res, 404, "no employee '" + id_text + "'");
    return std::nullopt;
  }
  int year = 0;
  if (req.has_param("year")) {
    const std::string text = req.get_param_value("year");
    auto [ptr, yec] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (yec != std::errc() || ptr != text.data() + text.size() || year < 1900 || year > 9999) {
      refuse(res, 400, "year '" + text + "' is not a year");
      return std::nullopt;
    }
  }
  auto facts = employee_facts(lake, id, year);
  if (!facts) {
    refuse(res, facts.error().code == Errc::not_found ? 404 : 500, facts.error().to_string());
    return std::nullopt;
  }
  return std::move(*facts);
}

}  // namespace

std::string monthly_chart_svg(const EmployeeFacts& f) {
  constexpr int k_bar = 36, k_gap = 12, k_left = 16, k_top = 24, k_plot = 120;
  const int width = k_left * 2 + 12 * k_bar + 11 * k_gap;
  const int height = k_top + k_plot + 28;
  const int most = std::max(1, *std::max_element(f.monthly.begin(), f.monthly.end()));
  int total = 0;
  for (int n : f.monthly) total += n;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" aria-labelledby=\"chart-title chart-desc\" class=\"monthly\">"
      "<title id=\"chart-title\">Activités comptées par mois, {2}</title>"
      "<desc id=\"chart-desc\">{3} activités comptées pour les jours bien-être en {2}</desc>",
      width, height, f.year, total);
  for (int m = 0; m < 12; ++m) {
    const int n = f.monthly[m];
    const int h = n * k_plot / most;
    const int x = k_left + m * (k_bar + k_gap);
    const int y = k_top + k_plot - h;
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#3d6fd8\" data-month=\"{}\" "
        "data-count=\"{}\"><title>{} : {}</title></rect>",
        x, y, k_bar, h, m + 1, n, k_months[m], n);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2433\">{}"
        "</text>",
        x + k_bar / 2, y - 4, n);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a5468\">{}"
        "</text>",
        x + k_bar / 2, k_top + k_plot + 18, k_months[m]);
  }
  return svg + "</svg>";
}

std::string employee_page_html(const EmployeeFacts& f) {
  const std::string name = f.prenom + " " + f.nom;
  std::string html = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">";
  html += fmt::format("<title>{} — {}</title><style>{}</style></head><body>", escape_html(name),
                      f.year, k_style);
  html += fmt::format("<h1>{} <small>n° {} · {}</small></h1><nav>", escape_html(name),
                      f.employee_id, escape_html(f.business_unit));
  html += fmt::format("<a href=\"/?year={}\">Tableau de bord</a> · ", f.year);
  for (int y : f.years) {
    if (y == f.year)
      html += fmt::format("<b>{}</b> ", y);
    else
      html += fmt::format("<a href=\"/employee/{}?year={}\">{}</a>", f.employee_id, y, y);
  }
  html +=
      fmt::format(" · <a href=\"/api/employee/{}?year={}\">JSON</a></nav>", f.employee_id, f.year);
  if (!f.in_silver)
    html +=
        "<p class=\"note\">Ce salarié n'est plus dans Silver (supprimé de la source, ou écarté "
        "par une erreur de qualité des données).</p>";
  decision_section(html, f);
  wellbeing_section(html, f);
  activities_section(html, f);
  findings_section(html, f);
  history_section(html, f);
  html += "<p>sportlake — faits lus dans les tables Delta Silver et Gold.</p></body></html>";
  return html;
}

void mount_employee_routes(httplib::Server& server, const delta::Lake& lake,
                           Authenticate authenticate) {
  server.Get(R"(/employee/([0-9]+))",
             [&lake, authenticate](const httplib::Request& req, httplib::Response& res) {
               auto facts = requested_facts(req, res, lake, authenticate);
               if (facts) res.set_content(employee_page_html(*facts), "text/html; charset=utf-8");
             });
  server.Get(R"(/api/employee/([0-9]+))",
             [&lake, authenticate](const httplib::Request& req, httplib::Response& res) {
               auto facts = requested_facts(req, res, lake, authenticate);
               if (facts) res.set_content(employee_facts_json(*facts), "application/json");
             });
}

}  // namespace sl::serve
