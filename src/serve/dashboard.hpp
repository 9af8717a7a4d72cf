// Dashboard: the HTTP face of Gold, for people (the overview page per year, French or English)
// and for scripts (JSON and CSV). Reads the lake on each request, never writes.
//
// Routes (role needed: see serve/access.hpp for how a request shows its token):
//   GET /                      viewer: the latest year's overview (serve/overview_page.hpp);
//                              /?year=2025 another year; ?lang=en English; ?sort=&dir=&q=&page=
//                              the employees' table (hr only), ?bu_sort=&bu_dir= the units'
//   GET /api/years             viewer: [2026, ...] as JSON numbers, newest first
//   GET /api/<table>?year=Y[&format=json|csv]   a Gold table's rows for a year: viewer for the
//                              aggregates (kpi_summary, kpi_by_bu, activity_monthly,
//                              distance_bins, wellbeing_shortfall), hr for the per-employee rows
//                              (prime_sportive, wellbeing). With any of sort, dir, q, page,
//                              page_size: JSON {"total","page","pages","page_size","rows"} (one
//                              page), CSV every matching row in that order.
//   GET /api/dq_issues[?format=json|csv]        hr: Silver's data-quality findings
//   GET /employee/<id>, /api/employee/<id>      hr: one employee's facts (serve/employee_page.hpp)
//   GET /healthz               anyone: "ok" (the server answers); /favicon.ico anyone: 204
//   GET /readyz                anyone: 200 "ready" once the employee page's tables are indexed,
//                              503 "indexing" before (GoldReader::indexes_ready)
// Errors are JSON {"error": "...", "code": "..."} (the message in the request's language, the
// code stable for scripts): 400 for a bad parameter (format=xml too), 401 without a valid token,
// 403 for a viewer asking per-employee rows, 404 for an unknown table or a lake without a
// refresh yet, 500 for a damaged table (the message names it). The page's errors are pages.
// Every answer carries Cache-Control: no-store and the security headers (CSP without scripts,
// nosniff, frame DENY, no referrer). CSV exports are spreadsheet-safe (columnar::CsvCells).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "serve/access.hpp"
#include "serve/gold_reader.hpp"
#include "serve/overview_page.hpp"
#include "serve/page_layout.hpp"
#include "serve/response_cache.hpp"
#include "serve/table_query.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

class LiveFeed;

class Dashboard {
 public:
  // `tokens` decides who reads what; nullptr: nobody is asked for a token and everyone reads
  // everything (`--no-auth`, which the CLI allows on loopback only). Not owned.
  // Starts indexing the employee page's tables (in the background: /readyz says when done).
  Dashboard(delta::Lake lake, const TokenStore* tokens);
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;
  // Registers the routes on `server` (which must outlive nothing of this object's: it keeps a
  // reference to this Dashboard).
  void mount(httplib::Server& server) const;
  // The live feed whose latest items the overview page lists in its HTML (live_feed.hpp); none:
  // the list waits for the script. Not owned; set before mount.
  void set_live_feed(LiveFeed* feed) { feed_ = feed; }

  // Does the table hold one row per employee (hr only)?
  static bool per_employee(std::string_view table);

  // The role of the request's token; nullopt when the answer is already written (401, or the
  // 303 of a `?token=` login). Public for the routes mounted beside the dashboard's
  // (operations_page, metrics_endpoint, live_feed).
  std::optional<Role> authenticate(const httplib::Request& req, httplib::Response& res,
                                   Lang lang) const;

 private:

  GoldReader reader_;
  const TokenStore* tokens_;
  LiveFeed* feed_ = nullptr;
  OverviewPage overview_;  // reads through reader_
  TableQueryEngine api_tables_;
  // Rendered answers per lake versions (serve/response_cache.hpp): the overview pages, the Gold
  // API's JSON, the employee pages and their JSON.
  mutable ResponseCache pages_;
  mutable ResponseCache api_answers_;
  mutable ResponseCache employee_answers_;
};

}  // namespace sl::serve
