// The employee page (shared frame, French or English, the monthly chart as inline SVG) and its
// two routes.
#include "serve/employee_page.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "common/civil_time.hpp"
#include "serve/gold_reader.hpp"
#include "serve/page_layout.hpp"
#include "serve/responses.hpp"
#include "serve/svg_chart.hpp"

namespace sl::serve {

namespace {

std::string km(Lang lang, std::optional<double> value) {
  return value ? format_decimal(lang, *value, 1) + "\u00a0km"
               : std::string(tr(lang, "employee.unknown"));
}

// A decimal's text ("2450.00") as money; "—" when absent.
std::string money(Lang lang, const std::string& decimal) {
  int64_t cents = 0;
  if (!parse_decimal_cents(decimal, cents)) return decimal.empty() ? "—" : decimal;
  return format_money_cents(lang, cents);
}

std::string distance_source(Lang lang, const std::string& source, bool estimate) {
  if (source.empty()) return std::string(tr(lang, "employee.source.none"));
  const std::string key = "employee.source." + source;
  const std::string_view text = tr(lang, key);
  if (text != key) return std::string(text);  // the known sources say whether they estimate
  return estimate ? trf(lang, "employee.source.estimate", source) : source;
}

std::string address_match(Lang lang, const std::string& match) {
  const std::string key = "employee.match." + match;
  const std::string_view text = tr(lang, key);
  return std::string(match.empty() || text == key ? tr(lang, "employee.match.unchecked") : text);
}

// Local time as if UTC → "7 mars 2025 08:00" / "7 March 2025 08:00".
std::string local_date(Lang lang, std::optional<int64_t> us) {
  if (!us) return "";
  const std::string text = format_timestamp_us(*us, ' ', false);
  const CivilDate d = civil_from_days(floor_div(*us, 86'400'000'000LL));
  return format_date(lang, d.year, d.month, d.day) + " " + text.substr(11, 5);
}

std::string duration(Lang lang, std::optional<int32_t> seconds) {
  if (!seconds) return "";
  return trf(lang, "employee.duration_value", *seconds / 3600, *seconds % 3600 / 60);
}

std::string severity(Lang lang, const std::string& value) {
  const std::string key = "employee.severity." + value;
  const std::string_view text = tr(lang, key);
  return std::string(text == key ? value : text);
}

// The page's own links keep its language.
std::string employee_href(const EmployeeFacts& f, int year, Lang lang) {
  return escape_html(url_with("/employee/" + std::to_string(f.employee_id),
                              {{"year", std::to_string(year)},
                               {"lang", std::string(lang_code(lang))}}));
}

constexpr std::string_view k_css = R"css(
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:1rem 1.3rem;border-radius:10px;box-shadow:0 1px 3px #0002;margin:.4rem 0 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.note{background:#fff6d6;padding:.5rem .8rem;border-radius:6px}
.years ul{list-style:none;display:flex;flex-wrap:wrap;gap:.8rem;padding:0;margin:.3rem 0}
figure.monthly{max-width:640px}
)css";

void field(std::string& html, std::string_view id, std::string_view label,
           const std::string& value_html) {
  html += fmt::format("<dt>{}</dt><dd data-fact=\"{}\">{}</dd>", escape_html(label), id,
                      value_html);
}

void decision_section(std::string& html, const EmployeeFacts& f, Lang lang) {
  html += fmt::format("<h2>{}</h2><dl class=\"facts\" id=\"decision\">",
                      escape_html(tr(lang, "employee.bonus_title")));
  const BonusDecision* d = f.decision ? &*f.decision : nullptr;
  field(html, "declared_mode", tr(lang, "employee.declared_mode"),
        escape_html(d ? d->moyen_deplacement : f.declared_mode));
  if (f.has_commute) {
    field(html, "address", tr(lang, "employee.address_written"), escape_html(f.address));
    std::string located = escape_html(address_match(lang, f.address_match));
    if (!f.commune.empty())
      located += " — " + escape_html(trf(lang, "employee.commune", f.commune));
    field(html, "located", tr(lang, "employee.address_located"), located);
  }
  if (d) {
    if (d->threshold_km || d->distance_km) {
      field(html, "distance", tr(lang, "employee.distance"), escape_html(km(lang, d->distance_km)));
      field(html, "distance_source", tr(lang, "employee.distance_source"),
            escape_html(distance_source(lang, d->distance_source, d->distance_estimate)));
    } else {  // car, public transport: no distance is asked for them
      field(html, "distance", tr(lang, "employee.distance"),
            escape_html(tr(lang, "employee.not_computed")));
    }
    field(html, "threshold", tr(lang, "employee.threshold"),
          escape_html(d->threshold_km ? km(lang, d->threshold_km)
                                      : std::string(tr(lang, "employee.no_threshold"))));
    field(html, "decision", tr(lang, "employee.decision"),
          fmt::format("<span class=\"{}\" data-reason=\"{}\">{}</span>",
                      d->eligible ? "yes" : "no", escape_html(d->reason),
                      escape_html(reason_label(lang, d->reason, d->reason_text))));
    field(html, "salary", tr(lang, "employee.salary"),
          escape_html(money(lang, d->salaire_brut_eur)));
    field(html, "bonus", tr(lang, "employee.bonus"),
          fmt::format("<b data-value=\"{}\">{}</b>", escape_html(d->prime_eur),
                      escape_html(money(lang, d->prime_eur))));
  } else {
    field(html, "decision", tr(lang, "employee.decision"),
          escape_html(trf(lang, "employee.no_decision", f.year)));
  }
  html += "</dl>";
  if (f.commute_changed)
    html += "<p class=\"note\">" +
            fmt::format(fmt::runtime(escape_html(tr(lang, "employee.commute_changed"))),
                        escape_html(f.declared_mode), escape_html(km(lang, f.current_distance_km)),
                        f.year,
                        fmt::format("<code>sportlake refresh --year {}</code>", f.year)) +
            "</p>";
}

void wellbeing_section(std::string& html, const EmployeeFacts& f, Lang lang) {
  html += fmt::format("<h2>{}</h2><dl class=\"facts\" id=\"wellbeing\">",
                      escape_html(tr(lang, "employee.wellbeing_title")));
  if (f.has_wellbeing) {
    field(html, "activities", tr(lang, "employee.counted"),
          fmt::format("<span data-value=\"{}\">{}</span>", f.wellbeing_activities,
                      format_int(lang, f.wellbeing_activities)));
    const std::string text =
        f.wellbeing_eligible
            ? trf(lang, "employee.wb_eligible", format_int(lang, f.wellbeing_days))
            : trn(lang, "employee.wb_missing", f.wellbeing_missing,
                  format_int(lang, f.wellbeing_missing),
                  format_int(lang, f.wellbeing_activities + f.wellbeing_missing));
    field(html, "wellbeing_decision", tr(lang, "employee.decision"),
          fmt::format("<span class=\"{}\" data-missing=\"{}\">{}</span>",
                      f.wellbeing_eligible ? "yes" : "no", f.wellbeing_missing,
                      escape_html(text)));
  } else {
    field(html, "wellbeing_decision", tr(lang, "employee.decision"),
          escape_html(trf(lang, "employee.none_for", f.year)));
  }
  html += "</dl><figure class=\"monthly\"><figcaption>" +
          escape_html(trf(lang, "employee.chart_title", f.year)) + "</figcaption>" +
          monthly_chart_svg(f, lang) + "</figure>";
}

void activities_section(std::string& html, const EmployeeFacts& f, Lang lang) {
  html += fmt::format("<h2>{}</h2>", escape_html(trf(lang, "employee.activities_title", f.year,
                                                      format_int(lang, static_cast<int64_t>(
                                                                           f.activities.size())))));
  if (f.activities.empty()) {
    html += "<p>" + escape_html(tr(lang, "employee.no_activity")) + "</p>";
    return;
  }
  html += "<table id=\"activities\"><thead><tr>";
  for (std::string_view key : {"employee.date", "employee.sport", "employee.name",
                               "employee.distance_col", "employee.duration", "employee.counted_col"})
    html += "<th scope=\"col\">" + escape_html(tr(lang, key)) + "</th>";
  html += "</tr></thead><tbody>";
  const std::string yes(tr(lang, "common.yes")), commute(tr(lang, "employee.commute_activity"));
  for (const auto& a : f.activities)
    html += fmt::format(
        "<tr data-counted=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td>{}</td></tr>",
        a.counted ? 1 : 0, escape_html(local_date(lang, a.start_local_us)),
        escape_html(sport_type_label(lang, a.sport_type)), escape_html(a.name),
        a.distance_km ? escape_html(km(lang, a.distance_km)) : "",
        escape_html(duration(lang, a.moving_time_s)), escape_html(a.counted ? yes : commute));
  html += "</tbody></table>";
}

void findings_section(std::string& html, const EmployeeFacts& f, Lang lang) {
  html += "<h2>" + escape_html(tr(lang, "employee.quality_title")) + "</h2>";
  if (f.findings.empty()) {
    html += "<p>" + escape_html(tr(lang, "employee.no_finding")) + "</p>";
    return;
  }
  html += "<table id=\"findings\"><thead><tr>";
  for (std::string_view key : {"employee.severity", "employee.table", "employee.key",
                               "employee.rule", "employee.finding"})
    html += "<th scope=\"col\">" + escape_html(tr(lang, key)) + "</th>";
  html += "</tr></thead><tbody>";
  // The finding's text is data-quality's own (Silver dq_issues), shown as written.
  for (const auto& i : f.findings)
    html += fmt::format(
        "<tr data-rule=\"{}\"><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>",
        escape_html(i.rule), i.severity == "info" ? "yes" : "no",
        escape_html(severity(lang, i.severity)), escape_html(i.table), escape_html(i.key),
        escape_html(i.rule), escape_html(i.reason));
  html += "</tbody></table>";
}

void history_section(std::string& html, const EmployeeFacts& f, Lang lang) {
  html += "<h2>" + escape_html(tr(lang, "employee.history_title")) +
          "</h2><table id=\"history\"><thead><tr>";
  for (std::string_view key : {"employee.year", "employee.mode", "employee.distance_col",
                               "employee.limit", "employee.decision", "employee.bonus"})
    html += "<th scope=\"col\">" + escape_html(tr(lang, key)) + "</th>";
  html += "</tr></thead><tbody>";
  for (const auto& d : f.history)
    html += fmt::format(
        "<tr data-year=\"{}\"><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td>"
        "<td class=\"n\">{}</td></tr>",
        d.year, employee_href(f, d.year, lang), d.year, escape_html(d.moyen_deplacement),
        escape_html(km(lang, d.distance_km)),
        d.threshold_km ? escape_html(km(lang, d.threshold_km)) : "—", d.eligible ? "yes" : "no",
        escape_html(reason_label(lang, d.reason, d.reason_text)),
        escape_html(money(lang, d.prime_eur)));
  html += "</tbody></table>";
}

// An employee_facts error in the request's language (its own messages are the CLI's English).
Error translated(const Error& e, const GoldReader& gold, int64_t id, int year, Lang lang) {
  if (e.code != Errc::not_found) return e;
  auto years = gold.years();
  if (!years || years->empty())
    return make_error(Errc::not_found, std::string(tr(lang, "error.no_refresh")));
  if (year != 0 && std::find(years->begin(), years->end(), year) == years->end())
    return make_error(Errc::not_found, trf(lang, "error.no_year", std::to_string(year)));
  return make_error(Errc::not_found, trf(lang, "error.no_employee", std::to_string(id)));
}

// The facts a request asks for, or the answer already written (403/400/404/500): as JSON
// for the API, as a page for a person.
std::optional<EmployeeFacts> requested_facts(const httplib::Request& req, httplib::Response& res,
                                             const GoldReader& gold, Role role,
                                             bool page) {
  const Lang lang = request_lang(req);
  auto answer = [&](int status, const std::string& message) {
    if (page)
      refuse_page(res, status, message, lang, role);
    else
      refuse(res, status, message);
    return std::nullopt;
  };
  if (role != Role::hr) return answer(403, std::string(tr(lang, "error.employee_hr_only")));
  const std::string id_text = req.matches[1];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size())
    return answer(404, trf(lang, "error.no_employee", id_text));
  int year = 0;
  if (req.has_param("year")) {
    const std::string text = req.get_param_value("year");
    auto [ptr, yec] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (yec != std::errc() || ptr != text.data() + text.size() || year < 1900 || year > 9999)
      return answer(400, trf(lang, "error.bad_year", text));
  }
  auto facts = employee_facts(gold, id, year);
  if (!facts) {
    const Error e = translated(facts.error(), gold, id, year, lang);
    const int status = http_status_of(e);
    return answer(status, status == 500 ? e.to_string() : e.message);
  }
  return std::move(*facts);
}

}  // namespace

std::string monthly_chart_svg(const EmployeeFacts& f, Lang lang) {
  ColumnChart chart;
  chart.id = "chart-employee-monthly";
  chart.lang = lang;
  chart.title = trf(lang, "employee.chart_title", f.year);
  int total = 0;
  ChartSeries counted{std::string(tr(lang, "employee.counted")), {}};
  for (int m = 1; m <= 12; ++m) {
    chart.categories.emplace_back(month_name(lang, m, true));
    chart.category_keys.push_back(std::to_string(m));
    counted.values.push_back(f.monthly[static_cast<size_t>(m - 1)]);
    total += f.monthly[static_cast<size_t>(m - 1)];
  }
  chart.description = trn(lang, "employee.chart_desc", total, format_int(lang, total), f.year);
  chart.series.push_back(std::move(counted));
  return column_chart_svg(chart);
}

std::string employee_page_html(const EmployeeFacts& f, Lang lang) {
  PageFrame frame;
  frame.lang = lang;
  frame.title = f.prenom + " " + f.nom;
  frame.current = "/employee";
  frame.role = Role::hr;
  frame.other_lang_href = url_with("/employee/" + std::to_string(f.employee_id),
                                   {{"year", std::to_string(f.year)},
                                    {"lang", lang == Lang::fr ? "en" : "fr"}});
  frame.extra_css = std::string(k_css);
  std::string html = page_begin(frame);
  html += "<p>" +
          escape_html(trf(lang, "employee.subtitle", f.employee_id, f.business_unit)) + "</p>";
  html += fmt::format("<nav class=\"years\" aria-label=\"{}\"><ul>",
                      escape_html(tr(lang, "employee.links")));
  html += fmt::format(
      "<li><a href=\"{}\">{}</a></li>",
      escape_html(url_with("/", {{"year", std::to_string(f.year)},
                                 {"lang", std::string(lang_code(lang))}})),
      escape_html(trf(lang, "employee.overview_of", f.year)));
  for (int y : f.years) {
    if (y == f.year)
      html += fmt::format("<li><a href=\"{}\" aria-current=\"page\"><b>{}</b></a></li>",
                          employee_href(f, y, lang), y);
    else
      html += fmt::format("<li><a href=\"{}\">{}</a></li>", employee_href(f, y, lang), y);
  }
  html += fmt::format("<li><a href=\"/api/employee/{}?year={}\">JSON</a></li></ul></nav>",
                      f.employee_id, f.year);
  if (!f.in_silver)
    html += "<p class=\"note\">" + escape_html(tr(lang, "employee.not_in_silver")) + "</p>";
  decision_section(html, f, lang);
  wellbeing_section(html, f, lang);
  activities_section(html, f, lang);
  findings_section(html, f, lang);
  history_section(html, f, lang);
  return html + page_end(lang, "employee.footer");
}

void mount_employee_routes(httplib::Server& server, const GoldReader& gold, ResponseCache& cache,
                           Authenticate authenticate) {
  // Both answers are cached per versions of the tables they read (Gold and Silver).
  server.Get(R"(/employee/([0-9]+))", [&gold, &cache, authenticate](const httplib::Request& req,
                                                                    httplib::Response& res) {
    const Lang lang = request_lang(req);
    const auto role = authenticate(req, res);
    if (!role) return;
    res.set_header("Content-Language", std::string(lang_code(lang)));
    res.set_header("Vary", "Accept-Language, Cookie");
    answer_cached(cache, gold.versions_key(true), answer_key(req, lang, *role), res,
                  [&](httplib::Response& out) {
                    auto facts = requested_facts(req, out, gold, *role, true);
                    if (facts)
                      out.set_content(employee_page_html(*facts, lang), "text/html; charset=utf-8");
                  });
  });
  server.Get(R"(/api/employee/([0-9]+))", [&gold, &cache, authenticate](
                                              const httplib::Request& req, httplib::Response& res) {
    const auto role = authenticate(req, res);
    if (!role) return;
    answer_cached(cache, gold.versions_key(true), answer_key(req, request_lang(req), *role), res,
                  [&](httplib::Response& out) {
                    auto facts = requested_facts(req, out, gold, *role, false);
                    if (facts) out.set_content(employee_facts_json(*facts), "application/json");
                  });
  });
}

}  // namespace sl::serve
