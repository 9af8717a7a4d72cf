// The charts' bar titles (the browser's tooltips) follow the page's language: "Run · Jan: 1,234"
// in English, "Run · janv. : 1 234" (narrow no-break space in the number) in French.
#include <gtest/gtest.h>

#include "serve/svg_chart.hpp"

namespace sl::serve {
namespace {

ColumnChart monthly(Lang lang) {
  ColumnChart c;
  c.id = "c";
  c.lang = lang;
  c.categories = {std::string(month_name(lang, 1, true))};
  c.series = {{"Run", {1234}}};
  return c;
}

BarChart units(Lang lang) {
  BarChart b;
  b.id = "b";
  b.lang = lang;
  b.categories = {"Finance"};
  b.values = {1234};
  b.value_labels = {format_int(lang, 1234)};
  return b;
}

TEST(SvgChart, ColumnTitlesInEnglish) {
  const std::string svg = column_chart_svg(monthly(Lang::en));
  EXPECT_NE(svg.find("<title>Run · Jan: 1,234</title>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find(" : "), std::string::npos) << svg;
}

TEST(SvgChart, ColumnTitlesInFrench) {
  const std::string svg = column_chart_svg(monthly(Lang::fr));
  EXPECT_NE(svg.find("<title>Run · janv. : 1\u202f234</title>"), std::string::npos) << svg;
}

TEST(SvgChart, BarTitlesFollowTheLanguage) {
  EXPECT_NE(bar_chart_svg(units(Lang::en)).find("<title>Finance: 1,234</title>"),
            std::string::npos);
  EXPECT_NE(bar_chart_svg(units(Lang::fr)).find("<title>Finance : 1\u202f234</title>"),
            std::string::npos);
}

}  // namespace
}  // namespace sl::serve
