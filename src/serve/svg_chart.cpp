// Inline SVG charts.
#include "serve/svg_chart.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "serve/page_layout.hpp"

namespace sl::serve {

namespace {

// Distinct on white and for the common colour-vision deficiencies (Okabe–Ito, darkened).
constexpr std::string_view k_palette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                          "#8a6d00", "#56b4e9", "#7a4fa0", "#4d4d4d",
                                          "#b8336a", "#2e7d32", "#e69f00", "#1b3a6b"};

// The axis maximum: 4 gridline steps of 1, 2 or 5 × 10^n (whole numbers from 1 on) ≥ value.
double nice_max(double value) {
  if (value <= 0) return 4;
  const double step = value / 4;
  const double p = std::pow(10.0, std::floor(std::log10(step)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= step) return 4 * std::max(m * p, value >= 4 ? 1.0 : 0.0);
  return 40 * p;
}

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

std::string legend(const std::vector<std::string>& names, const std::string& extra) {
  std::string out = "<ul class=\"legend\">";
  for (size_t i = 0; i < names.size(); ++i)
    out += fmt::format("<li><i style=\"background:{}\"></i>{}</li>", chart_color(i),
                       escape_html(names[i]));
  return out + extra + "</ul>";
}

}  // namespace

std::string_view chart_color(size_t i) {
  return k_palette[i % std::size(k_palette)];
}

std::string column_chart_svg(const ColumnChart& c) {
  constexpr double width = 560, height = 260, left = 48, right = 12, top = 12, bottom = 36;
  const size_t n = c.categories.size();
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max = 0;
  for (size_t i = 0; i < n; ++i) {
    double stack = 0;
    for (const auto& s : c.series) stack += i < s.values.size() ? s.values[i] : 0;
    max = std::max(max, stack);
    if (c.overlay && i < c.overlay->values.size()) max = std::max(max, c.overlay->values[i]);
  }
  const double y_max = nice_max(max);
  const double slot = n ? plot_w / static_cast<double>(n) : plot_w;
  const double bar_w = std::max(1.0, slot * 0.78);
  auto y_of = [&](double v) { return top + plot_h - v / y_max * plot_h; };

  std::string svg = fmt::format(
      "<svg id=\"{0}\" class=\"chart\" viewBox=\"0 0 {1} {2}\" width=\"100%\" role=\"img\" "
      "aria-labelledby=\"{0}-t {0}-d\"><title id=\"{0}-t\">{3}</title><desc id=\"{0}-d\">{4}"
      "</desc>",
      c.id, width, height, escape_html(c.title), escape_html(c.description));
  for (int g = 0; g <= 4; ++g) {
    const double v = y_max * g / 4, y = y_of(v);
    svg += fmt::format(
        "<line class=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        g == 0 ? "axis" : "grid", left, width - right, num(y), num(y), left - 4, num(y + 4),
        format_decimal(c.lang, v, y_max < 4 ? 1 : 0));
  }
  for (size_t i = 0; i < n; ++i) {
    const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
    const std::string& key = c.category_keys.empty() ? c.categories[i] : c.category_keys[i];
    double base = 0;
    for (size_t s = 0; s < c.series.size(); ++s) {
      const double v = i < c.series[s].values.size() ? c.series[s].values[i] : 0;
      if (v <= 0) continue;
      const double y0 = y_of(base), y1 = y_of(base + v);
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-series=\"{}\" "
          "data-category=\"{}\" data-value=\"{}\"><title>{}</title></rect>",
          num(x), num(y1), num(bar_w), num(y0 - y1), chart_color(s),
          escape_html(c.series[s].key.empty() ? c.series[s].name : c.series[s].key),
          escape_html(key), v,
          escape_html(trf(c.lang, "common.colon", c.series[s].name + " · " + c.categories[i],
                          format_decimal(c.lang, v, c.digits))));
      base += v;
    }
    if (static_cast<int>(i) % std::max(1, c.label_every) == 0)
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                         num(left + slot * (static_cast<double>(i) + 0.5)),
                         num(height - bottom + 14), escape_html(c.categories[i]));
  }
  if (c.overlay) {
    std::string points;
    for (size_t i = 0; i < n && i < c.overlay->values.size(); ++i)
      points += num(left + slot * (static_cast<double>(i) + 0.5)) + "," +
                num(y_of(c.overlay->values[i])) + " ";
    svg += fmt::format(
        "<polyline class=\"overlay\" fill=\"none\" stroke=\"#1d2433\" stroke-width=\"2\" "
        "stroke-dasharray=\"5 4\" points=\"{}\" data-series=\"{}\"/>",
        points, escape_html(c.overlay->name));
  }
  for (size_t k = 0; k < c.markers.size(); ++k) {
    const ChartMarker& m = c.markers[k];
    const double x = left + slot * m.at;
    svg += fmt::format(
        "<line class=\"marker\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#a33\" "
        "stroke-width=\"2\" stroke-dasharray=\"3 3\" data-at=\"{3}\"/>"
        "<text x=\"{4}\" y=\"{5}\" fill=\"#a33\">{6}</text>",
        num(x), num(top), num(top + plot_h), m.at, num(x + 3),
        num(top + 10 + 14 * static_cast<double>(k)), escape_html(m.label));
  }
  svg += "</svg>";
  std::vector<std::string> names;
  for (const auto& s : c.series) names.push_back(s.name);
  std::string extra;
  if (c.overlay)
    extra = "<li><i style=\"background:none;border-top:2px dashed #1d2433\"></i>" +
            escape_html(c.overlay->name) + "</li>";
  if (names.size() > 1 || c.overlay) svg += legend(names, extra);
  return svg;
}

std::string bar_chart_svg(const BarChart& c) {
  constexpr double width = 270, label_w = 90, value_w = 70, row_h = 22;
  const size_t n = c.categories.size();
  const double height = std::max<double>(row_h, row_h * static_cast<double>(n)) + 4;
  double max = 0;
  for (double v : c.values) max = std::max(max, v);
  const double plot_w = width - label_w - value_w;
  std::string svg = fmt::format(
      "<svg id=\"{0}\" class=\"chart\" viewBox=\"0 0 {1} {2}\" width=\"100%\" role=\"img\" "
      "aria-labelledby=\"{0}-t {0}-d\"><title id=\"{0}-t\">{3}</title><desc id=\"{0}-d\">{4}"
      "</desc>",
      c.id, width, height, escape_html(c.title), escape_html(c.description));
  for (size_t i = 0; i < n; ++i) {
    const double v = i < c.values.size() ? c.values[i] : 0;
    const double w = max > 0 ? v / max * plot_w : 0, y = 2 + row_h * static_cast<double>(i);
    const std::string label = i < c.value_labels.size() ? c.value_labels[i] : num(v);
    std::string name = c.categories[i];
    if (name.size() > 14) name = name.substr(0, 13) + "…";
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-series=\"{}\" "
        "data-category=\"{}\" data-value=\"{}\"><title>{}</title></rect>"
        "<text x=\"{}\" y=\"{}\">{}</text>",
        label_w - 4, num(y + 15), escape_html(name), label_w, num(y + 3), num(w), row_h - 6,
        chart_color(static_cast<size_t>(c.color)), escape_html(c.title),
        escape_html(c.categories[i]), v, escape_html(trf(c.lang, "common.colon", c.categories[i], label)),
        num(label_w + w + 4), num(y + 15), escape_html(label));
  }
  return svg + "</svg>";
}

}  // namespace sl::serve
