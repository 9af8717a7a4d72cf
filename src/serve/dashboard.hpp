// Dashboard: the HTTP face of Gold, for people (a French HTML page per year) and for scripts
// (JSON and CSV). Reads the lake on each request, never writes.
//
// Routes:
//   GET /                      the latest year's page; /?year=2025 another year
//   GET /api/years             ["2026", ...] as JSON numbers, newest first
//   GET /api/<table>?year=Y[&format=csv]   a Gold table's rows for a year (kpi_summary,
//                              prime_sportive, wellbeing, kpi_by_bu, activity_monthly)
//   GET /api/dq_issues[?format=csv]        Silver's data-quality findings
//   GET /healthz               "ok"
// Errors are JSON {"error": "..."}: 400 for a bad parameter, 404 for an unknown table or a lake
// without a refresh yet, 500 for a damaged table (the message names it).
#pragma once

#include <filesystem>
#include <string>

#include "serve/gold_reader.hpp"

namespace httplib {
class Server;
}

namespace sl::serve {

class Dashboard {
 public:
  explicit Dashboard(delta::Lake lake) : reader_(std::move(lake)) {}
  // Registers the routes on `server` (which must outlive nothing of this object's: it keeps a
  // reference to this Dashboard).
  void mount(httplib::Server& server) const;

  // The page of `year` (the latest when 0), as HTML.
  Result<std::string> page(int year) const;

 private:
  GoldReader reader_;
};

// Text for HTML: & < > " ' escaped.
std::string escape_html(std::string_view text);

}  // namespace sl::serve
