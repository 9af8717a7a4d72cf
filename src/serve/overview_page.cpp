// The overview page.
#include "serve/overview_page.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "serve/live_feed.hpp"
#include "serve/page_layout.hpp"
#include "serve/statistical_secrecy.hpp"
#include "serve/svg_chart.hpp"

namespace sl::serve {

namespace {

using columnar::RecordBatch;

const columnar::Column* column(const RecordBatch& b, std::string_view name) {
  const int c = column_index(b, name);
  return c < 0 ? nullptr : &b.columns[static_cast<size_t>(c)];
}

bool valid(const RecordBatch& b, std::string_view name, size_t row) {
  const auto* c = column(b, name);
  return c && row < b.num_rows && c->is_valid(row);
}

// Integers (int32, int64) and decimals (unscaled: cents for euros) as int64; 0 when null.
int64_t int_at(const RecordBatch& b, std::string_view name, size_t row) {
  const auto* c = column(b, name);
  if (!c || row >= b.num_rows || !c->is_valid(row)) return 0;
  if (c->type.id == columnar::TypeId::int32) return c->i32[row];
  if (c->type.id == columnar::TypeId::boolean) return c->bools[row];
  if (c->type.id == columnar::TypeId::float64) return static_cast<int64_t>(c->f64[row]);
  return c->i64.empty() ? 0 : c->i64[row];
}

double double_at(const RecordBatch& b, std::string_view name, size_t row) {
  const auto* c = column(b, name);
  if (!c || row >= b.num_rows || !c->is_valid(row)) return 0;
  if (c->type.id == columnar::TypeId::float64) return c->f64[row];
  return static_cast<double>(int_at(b, name, row));
}

std::string text_at(const RecordBatch& b, std::string_view name, size_t row) {
  const auto* c = column(b, name);
  if (!c || row >= b.num_rows || !c->is_valid(row) || c->type.id != columnar::TypeId::string)
    return "";
  return std::string(c->string_at(row));
}

// A money cell's text: the amount, or why it is withheld (statistical_secrecy.hpp).
std::string money_html(Lang lang, const RecordBatch& b, std::string_view name, size_t row) {
  if (!valid(b, name, row))
    return fmt::format("<abbr title=\"{}\">{}</abbr>", escape_html(tr(lang, "overview.withheld_why")),
                       escape_html(tr(lang, "overview.withheld")));
  return escape_html(format_money_cents(lang, int_at(b, name, row)));
}

// A sport's or mode's label in the page's language.
std::string travel_mode_label(Lang lang, const std::string& mode) {
  if (mode == "walking") return lang == Lang::fr ? "Marche/course" : "Walking/running";
  if (mode == "bicycling") return lang == Lang::fr ? "Vélo/trottinette" : "Cycling/scooter";
  return mode;
}

struct Kpi {
  std::string_view key;
  std::string_view column;
  bool money;
};
constexpr Kpi k_kpis[] = {
    {"overview.employees", "employees", false},
    {"overview.sporty_commuters", "sporty_commuters", false},
    {"overview.eligible_bonus", "eligible_bonus", false},
    {"overview.total_bonus", "total_bonus_eur", true},
    {"overview.wellbeing_eligible", "wellbeing_eligible", false},
    {"overview.wellbeing_days", "wellbeing_days", false},
    {"overview.activities", "activities", false},
    {"overview.anomalies", "declaration_anomalies", false},
    {"overview.unknown_distances", "unknown_distances", false},
};

// The employees' table: its columns, how a cell shows, which ones sort.
struct EmployeeColumn {
  std::string_view sort;   // the column sorted by
  std::string_view label;  // i18n key
  bool numeric;
};
constexpr EmployeeColumn k_employee_columns[] = {
    {"nom", "overview.employee", false},           {"business_unit", "overview.bu", false},
    {"moyen_deplacement", "overview.mode", false}, {"distance_km", "overview.distance", true},
    {"threshold_km", "overview.threshold", true},  {"eligible", "overview.eligible", false},
    {"reason_text", "overview.reason", false},     {"prime_eur", "overview.bonus", true},
    {"activities", "overview.activities", true},   {"days", "overview.wb_days", true},
    {"missing", "overview.missing", true},
};
const std::vector<std::string> k_employee_search = {"nom", "prenom", "business_unit",
                                                    "moyen_deplacement"};

struct PageState {  // what the links of the page keep
  int year;
  Lang lang;
  const TableQuery* employees;
  const TableQuery* units;
};

QueryParams params_of(const PageState& s) {
  QueryParams p = {{"year", std::to_string(s.year)}};
  if (s.lang == Lang::en) p.push_back({"lang", "en"});
  if (s.employees) {
    p.push_back({"sort", s.employees->sort});
    p.push_back({"dir", s.employees->descending ? "desc" : ""});
    p.push_back({"q", s.employees->q});
  }
  if (s.units) {
    p.push_back({"bu_sort", s.units->sort});
    p.push_back({"bu_dir", s.units->descending ? "desc" : ""});
  }
  return p;
}

std::string href(QueryParams params, const QueryParams& changes) {
  for (const auto& change : changes) {
    const std::string& name = change.first;  // clang 14: no structured binding in a lambda
    auto it = std::find_if(params.begin(), params.end(),
                           [&name](const auto& p) { return p.first == name; });
    if (it != params.end())
      it->second = change.second;
    else
      params.push_back(change);
  }
  return escape_html(url_with("/", params));
}

// A sortable header cell: a link that sorts by the column (flipping the direction when it is
// already the sort), aria-sort on the sorted one.
std::string sort_header(const PageState& s, const TableQuery& q, std::string_view prefix,
                        std::string_view col, const std::string& label, bool numeric) {
  const bool current = q.sort == col;
  const std::string dir = current && !q.descending ? "desc" : "";
  const std::string link = href(params_of(s), {{std::string(prefix) + "sort", std::string(col)},
                                               {std::string(prefix) + "dir", dir},
                                               {"page", ""}});
  std::string aria;
  if (current) aria = q.descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"";
  return fmt::format("<th scope=\"col\"{}{}><a href=\"{}\" data-sort=\"{}\">{}{}</a></th>",
                     numeric ? " class=\"n\"" : "", aria, link, col, escape_html(label),
                     current ? (q.descending ? " ▼" : " ▲") : "");
}

std::string delta_line(Lang lang, int64_t now, int64_t before, bool money, int prev_year) {
  const int64_t d = now - before;
  const std::string amount = money ? format_money_cents(lang, d) : format_int(lang, d);
  const std::string sign = d > 0 ? "+" : "";
  const std::string cls = d > 0 ? "up" : (d < 0 ? "down" : "");
  const std::string arrow = d > 0 ? "▲ " : (d < 0 ? "▼ " : "= ");
  return fmt::format(
      "<span class=\"d {}\">{}{}</span>", cls, arrow,
      escape_html(fmt::format(fmt::runtime(tr(lang, "overview.vs")), sign + amount, prev_year)));
}

}  // namespace

Result<SharedBatch> OverviewPage::employees(int year) const {
  SL_ASSIGN_OR_RETURN(auto prime, reader_.year_rows("prime_sportive", year));
  SL_ASSIGN_OR_RETURN(auto wellbeing, reader_.year_rows("wellbeing", year));
  {
    std::lock_guard lock(mutex_);
    for (const Joined& j : joined_)
      if (j.prime == prime && j.wellbeing == wellbeing) return j.rows;
  }
  static const std::vector<std::string_view> from_prime = {"employee_id",
                                                           "nom",
                                                           "prenom",
                                                           "business_unit",
                                                           "moyen_deplacement",
                                                           "distance_km",
                                                           "distance_estimate",
                                                           "threshold_km",
                                                           "eligible",
                                                           "reason",
                                                           "reason_text",
                                                           "prime_eur"};
  static const std::vector<std::string_view> from_wellbeing = {"activities", "days", "missing"};
  RecordBatch out;
  for (auto name : from_prime) {
    const int c = column_index(*prime, name);
    if (c < 0)
      return make_error(Errc::internal, "gold/prime_sportive has no column " + std::string(name));
    out.schema.push_back(prime->schema[static_cast<size_t>(c)]);
    out.columns.push_back(prime->columns[static_cast<size_t>(c)]);
  }
  std::unordered_map<int64_t, size_t> by_id;
  for (size_t r = 0; r < wellbeing->num_rows; ++r) by_id[int_at(*wellbeing, "employee_id", r)] = r;
  for (auto name : from_wellbeing) {
    const int c = column_index(*wellbeing, name);
    if (c < 0)
      return make_error(Errc::internal, "gold/wellbeing has no column " + std::string(name));
    const auto& field = wellbeing->schema[static_cast<size_t>(c)];
    const auto& src = wellbeing->columns[static_cast<size_t>(c)];
    auto col = columnar::Column::for_field(field);
    for (size_t r = 0; r < prime->num_rows; ++r) {
      auto it = by_id.find(int_at(*prime, "employee_id", r));
      if (it == by_id.end())
        col.append_null();
      else
        col.append_rows(src, it->second, it->second + 1);
    }
    auto nullable = field;
    nullable.nullable = true;
    out.schema.push_back(nullable);
    out.columns.push_back(std::move(col));
  }
  out.num_rows = prime->num_rows;
  auto rows = std::make_shared<const RecordBatch>(std::move(out));
  std::lock_guard lock(mutex_);
  std::erase_if(joined_, [&](const Joined& j) {
    return j.prime && int_at(*j.prime, "year", 0) == int_at(*prime, "year", 0);
  });
  if (joined_.size() >= 8) joined_.erase(joined_.begin());
  joined_.push_back({prime, wellbeing, rows});
  return rows;
}

Result<std::string> OverviewPage::render(const OverviewRequest& request) const {
  const Lang lang = request.lang;
  SL_ASSIGN_OR_RETURN(auto years, reader_.years());
  if (years.empty()) return make_error(Errc::not_found, std::string(tr(lang, "error.no_refresh")));
  const int year = request.year == 0 ? years.front() : request.year;
  if (std::find(years.begin(), years.end(), year) == years.end())
    return make_error(Errc::not_found, trf(lang, "error.no_year", std::to_string(year)));
  const int prev_year = year - 1;
  const bool has_prev = std::find(years.begin(), years.end(), prev_year) != years.end();

  // A viewer's money figures follow statistical secrecy (statistical_secrecy.hpp); hr sees all.
  const auto as_allowed = [&](SharedBatch rows) {
    return request.role == Role::hr ? rows : hide_small_groups(std::move(rows));
  };
  SL_ASSIGN_OR_RETURN(auto kpi, reader_.year_rows("kpi_summary", year));
  SL_ASSIGN_OR_RETURN(auto by_bu, reader_.year_rows("kpi_by_bu", year));
  kpi = as_allowed(kpi);
  by_bu = as_allowed(by_bu);
  SL_ASSIGN_OR_RETURN(auto monthly, reader_.year_rows("activity_monthly", year));
  SL_ASSIGN_OR_RETURN(auto bins, reader_.year_rows("distance_bins", year));
  SL_ASSIGN_OR_RETURN(auto shortfall, reader_.year_rows("wellbeing_shortfall", year));
  SharedBatch kpi_prev, monthly_prev;
  if (has_prev) {
    SL_ASSIGN_OR_RETURN(kpi_prev, reader_.year_rows("kpi_summary", prev_year));
    kpi_prev = as_allowed(kpi_prev);
    SL_ASSIGN_OR_RETURN(monthly_prev, reader_.year_rows("activity_monthly", prev_year));
  }

  SL_ASSIGN_OR_RETURN(auto units_query,
                      parse_table_query(request.units, *by_bu, "business_unit", lang));
  units_query.page_size = 500;
  std::optional<TableQuery> employees_query;
  SharedBatch employee_rows;
  if (request.role == Role::hr) {
    SL_ASSIGN_OR_RETURN(employee_rows, employees(year));
    SL_ASSIGN_OR_RETURN(employees_query,
                        parse_table_query(request.employees, *employee_rows, "nom", lang));
  }
  const PageState state{year, lang, employees_query ? &*employees_query : nullptr, &units_query};

  PageFrame frame;
  frame.lang = lang;
  frame.title = trf(lang, "overview.title", std::to_string(year));
  frame.current = "/";
  frame.role = request.role;
  frame.other_lang_href = url_with("/", [&] {
    QueryParams p = params_of(state);
    std::erase_if(p, [](const auto& kv) { return kv.first == "lang"; });
    if (lang == Lang::fr)
      p.push_back({"lang", "en"});
    else
      p.push_back({"lang", "fr"});
    if (employees_query) p.push_back({"page", std::to_string(employees_query->page)});
    return p;
  }());
  std::string html = page_begin(frame);

  // Year selector (a GET form: no script) and the comparison's year.
  html += fmt::format(
      "<form class=\"inline\" method=\"get\" action=\"/\"><label for=\"year\">{}</label>"
      "<select id=\"year\" name=\"year\">",
      escape_html(tr(lang, "overview.year")));
  for (int y : years)
    html += fmt::format("<option value=\"{0}\"{1}>{0}</option>", y, y == year ? " selected" : "");
  html += "</select>";
  if (lang == Lang::en) html += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  html += fmt::format("<button type=\"submit\">{}</button>", escape_html(tr(lang, "common.show")));
  if (!has_prev)
    html += "<span class=\"d\">(" +
            escape_html(trf(lang, "overview.no_previous", std::to_string(prev_year))) +
            ")</span>";
  html += "</form>";

  // KPI cards.
  html += fmt::format("<h2>{}</h2><ul class=\"cards\" id=\"kpis\">",
                      escape_html(tr(lang, "overview.kpis")));
  for (const Kpi& k : k_kpis) {
    const int64_t v = int_at(*kpi, k.column, 0);
    const bool shown = valid(*kpi, k.column, 0) || !k.money;
    html += fmt::format(
        "<li class=\"card{}\" data-kpi=\"{}\" data-value=\"{}\">{}<span class=\"v\">{}</span>",
        k.money ? " wide" : "", k.column,  // an amount in euros needs two cards' width
        !shown    ? ""
        : k.money ? fmt::format("{}.{:02}", v / 100, std::abs(v % 100))
                  : std::to_string(v),
        escape_html(tr(lang, k.key)),
        k.money ? money_html(lang, *kpi, k.column, 0) : escape_html(format_int(lang, v)));
    if (kpi_prev && shown && (!k.money || valid(*kpi_prev, k.column, 0)))
      html += delta_line(lang, v, int_at(*kpi_prev, k.column, 0), k.money, prev_year);
    html += "</li>";
  }
  html += "</ul>";
  html += LiveFeed::section_html(lang);  // the announced activities, live (live_feed.hpp)

  // Charts.
  html +=
      fmt::format("<h2>{}</h2><div class=\"charts\">", escape_html(tr(lang, "overview.charts")));
  {
    std::map<std::string, std::vector<double>> per_sport;
    std::map<std::string, double> sport_total;
    for (size_t r = 0; r < monthly->num_rows; ++r) {
      const int m = static_cast<int>(int_at(*monthly, "month", r));
      if (m < 1 || m > 12) continue;
      const std::string sport = text_at(*monthly, "sport_type", r);
      auto& values = per_sport[sport];
      values.resize(12);
      const double v = double_at(*monthly, "activities", r);
      values[static_cast<size_t>(m - 1)] += v;
      sport_total[sport] += v;
    }
    ColumnChart chart;
    chart.id = "chart-monthly";
    chart.lang = lang;
    chart.title = std::string(tr(lang, "overview.chart_monthly"));
    double total = 0;
    for (const auto& [sport, t] : sport_total) total += t;
    chart.description = format_int(lang, static_cast<int64_t>(total)) + " " +
                        std::string(tr(lang, "overview.activities"));
    for (int m = 1; m <= 12; ++m) {
      chart.categories.push_back(std::string(month_name(lang, m, true)));
      chart.category_keys.push_back(std::to_string(m));
    }
    std::vector<std::pair<std::string, double>> order(sport_total.begin(), sport_total.end());
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [sport, t] : order)
      chart.series.push_back({sport_type_label(lang, sport), per_sport[sport], sport});
    if (monthly_prev) {
      ChartSeries prev{trf(lang, "overview.chart_monthly_prev", std::to_string(prev_year)),
                       std::vector<double>(12)};
      for (size_t r = 0; r < monthly_prev->num_rows; ++r) {
        const int m = static_cast<int>(int_at(*monthly_prev, "month", r));
        if (m >= 1 && m <= 12)
          prev.values[static_cast<size_t>(m - 1)] += double_at(*monthly_prev, "activities", r);
      }
      chart.overlay = std::move(prev);
    }
    html += "<figure><figcaption>" + escape_html(chart.title) + "</figcaption>" +
            column_chart_svg(chart) + "</figure>";
  }
  {
    BarChart cost, heads;
    cost.id = "chart-bu-cost";
    cost.title = std::string(tr(lang, "overview.chart_bu_cost"));
    heads.id = "chart-bu-headcount";
    heads.title = std::string(tr(lang, "overview.chart_bu_headcount"));
    heads.color = 2;
    cost.lang = heads.lang = lang;
    for (size_t r = 0; r < by_bu->num_rows; ++r) {
      const std::string bu = text_at(*by_bu, "business_unit", r);
      const int64_t cents = int_at(*by_bu, "total_bonus_eur", r);
      const int64_t n = int_at(*by_bu, "employees", r);
      cost.categories.push_back(bu);
      cost.values.push_back(static_cast<double>(cents) / 100.0);  // 0 when withheld
      cost.value_labels.push_back(valid(*by_bu, "total_bonus_eur", r)
                                      ? format_money_cents(lang, cents)
                                      : std::string(tr(lang, "overview.withheld")));
      heads.categories.push_back(bu);
      heads.values.push_back(static_cast<double>(n));
      heads.value_labels.push_back(format_int(lang, n));
    }
    cost.description = heads.description = std::string(tr(lang, "overview.chart_bu"));
    html += "<figure><figcaption>" + escape_html(tr(lang, "overview.chart_bu")) +
            "</figcaption><div style=\"display:flex;gap:.5rem\"><div style=\"flex:1\">" +
            bar_chart_svg(cost) + "</div><div style=\"flex:1\">" + bar_chart_svg(heads) +
            "</div></div></figure>";
  }
  {
    ColumnChart chart;
    chart.id = "chart-distance";
    chart.lang = lang;
    chart.title = std::string(tr(lang, "overview.chart_distance"));
    chart.description = std::string(tr(lang, "overview.chart_distance_axis"));
    for (int km = 0; km <= 50; ++km) {
      chart.categories.push_back(km == 50 ? "50+" : std::to_string(km));
      chart.category_keys.push_back(std::to_string(km));
    }
    chart.label_every = 5;
    std::map<std::string, std::vector<double>> per_mode;
    for (size_t r = 0; r < bins->num_rows; ++r) {
      const int km = static_cast<int>(int_at(*bins, "km", r));
      if (km < 0 || km > 50) continue;
      auto& values = per_mode[text_at(*bins, "travel_mode", r)];
      values.resize(51);
      values[static_cast<size_t>(km)] += double_at(*bins, "employees", r);
    }
    for (const char* mode : {"walking", "bicycling"})
      chart.series.push_back({travel_mode_label(lang, mode),
                              per_mode.contains(mode) ? per_mode[mode] : std::vector<double>(51)});
    chart.markers = {{15, std::string(tr(lang, "overview.threshold_walk"))},
                     {25, std::string(tr(lang, "overview.threshold_bike"))}};
    // The labels would overlap: the second one lower.
    html += "<figure><figcaption>" + escape_html(chart.title) + "</figcaption>" +
            column_chart_svg(chart) + "</figure>";
  }
  {
    ColumnChart chart;
    chart.id = "chart-wellbeing";
    chart.lang = lang;
    chart.title = std::string(tr(lang, "overview.chart_wellbeing"));
    std::vector<double> values(5);
    int64_t eligible = 0;
    for (size_t r = 0; r < shortfall->num_rows; ++r) {
      const int64_t missing = int_at(*shortfall, "missing", r);
      if (missing == 0) eligible = int_at(*shortfall, "employees", r);
      if (missing >= 1 && missing <= 5)
        values[static_cast<size_t>(missing - 1)] = double_at(*shortfall, "employees", r);
    }
    for (int m = 1; m <= 5; ++m) {
      chart.categories.push_back(trn(lang, "overview.short_by", m, std::to_string(m)));
      chart.category_keys.push_back(std::to_string(m));
    }
    chart.series.push_back({std::string(tr(lang, "overview.employees")), values});
    chart.description =
        fmt::format(fmt::runtime(tr(lang, "common.colon")), tr(lang, "overview.wellbeing_eligible"),
                    format_int(lang, eligible));
    html += "<figure><figcaption>" + escape_html(chart.title) + "</figcaption>" +
            column_chart_svg(chart) + "<p class=\"d\">" + escape_html(chart.description) +
            "</p></figure>";
  }
  html += "</div>";

  // The business units' table (sortable; a handful of rows, one page).
  {
    const TablePage page = engine_.run(by_bu, units_query, {});
    html += fmt::format("<h2 id=\"units\">{}</h2><table id=\"bu-table\"><thead><tr>",
                        escape_html(tr(lang, "overview.by_bu")));
    struct UnitColumn {
      std::string_view col, label;
      bool numeric;
    };
    static constexpr UnitColumn cols[] = {
        {"business_unit", "overview.bu", false},
        {"employees", "overview.employees", true},
        {"eligible_bonus", "overview.eligible_bonus", true},
        {"total_bonus_eur", "overview.total_bonus", true},
        {"wellbeing_eligible", "overview.wellbeing_eligible", true},
        {"activities", "overview.activities", true}};
    for (const auto& c : cols)
      html +=
          sort_header(state, units_query, "bu_", c.col, std::string(tr(lang, c.label)), c.numeric);
    html += "</tr></thead><tbody>";
    for (size_t r : page.rows)
      html += fmt::format(
          "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td>"
          "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
          escape_html(text_at(*by_bu, "business_unit", r)),
          format_int(lang, int_at(*by_bu, "employees", r)),
          format_int(lang, int_at(*by_bu, "eligible_bonus", r)),
          money_html(lang, *by_bu, "total_bonus_eur", r),
          format_int(lang, int_at(*by_bu, "wellbeing_eligible", r)),
          format_int(lang, int_at(*by_bu, "activities", r)));
    html += "</tbody></table>";
  }

  // Exports.
  html += "<p>" + escape_html(fmt::format(fmt::runtime(tr(lang, "common.colon")),
                                          tr(lang, "overview.exports"), ""));
  html += fmt::format("<a href=\"/api/kpi_by_bu?year={}&amp;format=csv\">{}</a>", year,
                      escape_html(tr(lang, "overview.csv_bu")));
  if (request.role == Role::hr)
    html += fmt::format(
        " · <a href=\"/api/prime_sportive?year={0}&amp;format=csv\">{1}</a>"
        " · <a href=\"/api/wellbeing?year={0}&amp;format=csv\">{2}</a>"
        " · <a href=\"/api/dq_issues?format=csv\">{3}</a>",
        year, escape_html(tr(lang, "overview.csv_bonus")),
        escape_html(tr(lang, "overview.csv_wellbeing")),
        escape_html(tr(lang, "overview.csv_quality")));
  html += "</p>";

  if (request.role != Role::hr) {
    html += "<p>" + escape_html(tr(lang, "overview.hr_only")) + "</p>";
    return html + page_end(lang);
  }

  // The employees' table: one page of it, sorted and searched on the server.
  const TableQuery& q = *employees_query;
  const TablePage page = engine_.run(employee_rows, q, k_employee_search);
  const RecordBatch& rows = *employee_rows;
  html += fmt::format("<h2 id=\"employees\">{}</h2>",
                      escape_html(tr(lang, "overview.table_employees")));
  html += fmt::format(
      "<form class=\"inline\" method=\"get\" action=\"/\" role=\"search\">"
      "<input type=\"hidden\" name=\"year\" value=\"{}\">",
      year);
  if (lang == Lang::en) html += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  html += fmt::format(
      "<input type=\"hidden\" name=\"sort\" value=\"{}\">{}"
      "<label for=\"q\">{}</label><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\">"
      "<button type=\"submit\">{}</button><span id=\"row-count\" "
      "data-total=\"{}\">{}</span></form>",
      escape_html(q.sort),
      q.descending ? "<input type=\"hidden\" name=\"dir\" value=\"desc\">" : "",
      escape_html(tr(lang, "overview.search_label")), escape_html(q.q),
      escape_html(tr(lang, "common.search")), page.total,
      escape_html(trf(lang, "common.rows", format_int(lang, page.total))));
  html += "<table id=\"employee-table\"><thead><tr>";
  for (const auto& c : k_employee_columns)
    html += sort_header(state, q, "", c.sort, std::string(tr(lang, c.label)), c.numeric);
  html += "</tr></thead><tbody>";
  const std::string yes(tr(lang, "common.yes")), no(tr(lang, "common.no"));
  auto reason = [&](size_t r) {
    return reason_label(lang, text_at(rows, "reason", r), text_at(rows, "reason_text", r));
  };
  for (size_t r : page.rows) {
    const bool eligible = int_at(rows, "eligible", r) != 0;
    std::string distance;
    if (valid(rows, "distance_km", r)) {
      distance = format_decimal(lang, double_at(rows, "distance_km", r), 1);
      if (int_at(rows, "distance_estimate", r))
        distance += " (" + std::string(tr(lang, "overview.estimated")) + ")";
    }
    auto optional_int = [&](std::string_view name) {
      return valid(rows, name, r) ? format_int(lang, int_at(rows, name, r)) : std::string();
    };
    html += fmt::format(
        "<tr data-employee=\"{0}\"><th scope=\"row\"><a href=\"/employee/{0}?year={14}{15}\">{1} "
        "{2}</a>"
        "</th><td>{3}</td><td>{4}</td>"
        "<td class=\"n\">{5}</td><td class=\"n\">{6}</td><td class=\"{7}\">{8}</td><td>{9}</td>"
        "<td class=\"n\">{10}</td><td class=\"n\">{11}</td><td class=\"n\">{12}</td>"
        "<td class=\"n\">{13}</td></tr>",
        int_at(rows, "employee_id", r), escape_html(text_at(rows, "nom", r)),
        escape_html(text_at(rows, "prenom", r)), escape_html(text_at(rows, "business_unit", r)),
        escape_html(text_at(rows, "moyen_deplacement", r)), escape_html(distance),
        valid(rows, "threshold_km", r) ? format_decimal(lang, double_at(rows, "threshold_km", r), 0)
                                       : "",
        eligible ? "yes" : "no", eligible ? yes : no, escape_html(reason(r)),
        escape_html(format_money_cents(lang, int_at(rows, "prime_eur", r))),
        optional_int("activities"), optional_int("days"), optional_int("missing"), year,
        lang == Lang::en ? "&amp;lang=en" : "");
  }
  if (page.rows.empty())
    html +=
        fmt::format("<tr><td colspan=\"11\">{}</td></tr>", escape_html(tr(lang, "common.no_rows")));
  html += "</tbody></table>";

  // Pagination: previous, "page x of y", next.
  const QueryParams base = params_of(state);
  html += fmt::format("<nav class=\"pages\" aria-label=\"{}\"><ul>",
                      escape_html(tr(lang, "common.pagination")));
  if (page.page > 1)
    html += fmt::format("<li><a rel=\"prev\" href=\"{}\">← {}</a></li>",
                        href(base, {{"page", std::to_string(page.page - 1)}}),
                        escape_html(tr(lang, "common.previous")));
  html += fmt::format(
      "<li id=\"page-of\" data-page=\"{}\" data-pages=\"{}\">{}</li>", page.page, page.pages,
      escape_html(fmt::format(fmt::runtime(tr(lang, "common.page")), format_int(lang, page.page),
                              format_int(lang, page.pages))));
  if (page.page < page.pages)
    html += fmt::format("<li><a rel=\"next\" href=\"{}\">{} →</a></li>",
                        href(base, {{"page", std::to_string(page.page + 1)}}),
                        escape_html(tr(lang, "common.next")));
  html += "</ul></nav>";
  return html + page_end(lang);
}

}  // namespace sl::serve
