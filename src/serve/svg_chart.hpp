// Charts as inline SVG written on the server: no script, no library, nothing fetched, the CSP
// stays `default-src 'none'`. Every bar is a <rect> carrying its numbers (data-series,
// data-category, data-value) and a <title> (the browser's tooltip); the <svg> is role="img"
// labelled by its title and a description, for screen readers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "serve/i18n.hpp"

namespace sl::serve {

struct ChartSeries {
  std::string name;            // legend, and data-series when `key` is empty
  std::vector<double> values;  // one per category
  std::string key = {};        // data-series: the data's own name (a sport_type), not the label
};

struct ChartMarker {  // a vertical line at a position on the category axis
  double at = 0;      // in categories: 15 = the left edge of the 16th category
  std::string label;
};

struct ColumnChart {
  std::string id;  // unique in the page (ids of title/desc)
  std::string title, description;
  std::vector<std::string> categories;     // x labels (data-category)
  std::vector<std::string> category_keys;  // data-category values; the labels when empty
  std::vector<ChartSeries> series;         // stacked in this order
  std::optional<ChartSeries> overlay;      // a dashed line over the stacks (e.g. last year)
  std::vector<ChartMarker> markers;
  int label_every = 1;  // show one x label in n
  int digits = 0;       // of the values in titles
  Lang lang = Lang::fr;
};

// Vertical bars, stacked by series, with a y axis (4 gridlines), a legend when there is more
// than one series, markers and the overlay.
std::string column_chart_svg(const ColumnChart& chart);

struct BarChart {  // horizontal bars, one series
  std::string id, title, description;
  std::vector<std::string> categories;
  std::vector<double> values;
  std::vector<std::string> value_labels;  // written at the end of each bar
  int color = 0;                          // index in the palette
  Lang lang = Lang::fr;                   // of the bars' titles
};
std::string bar_chart_svg(const BarChart& chart);

// The palette's colour `i` (cycled); the legend uses the same.
std::string_view chart_color(size_t i);

}  // namespace sl::serve
