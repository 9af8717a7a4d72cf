// Dashboard: the HTTP face of Gold, for people (a French HTML page per year) and for scripts
// (JSON and CSV). Reads the lake on each request, never writes.
//
// Routes (role needed: see serve/access.hpp for how a request shows its token):
//   GET /                      viewer: the latest year's page; /?year=2025 another year (the
//                              per-employee tables only for hr)
//   GET /api/years             viewer: [2026, ...] as JSON numbers, newest first
//   GET /api/<table>?year=Y[&format=json|csv]   a Gold table's rows for a year: viewer for the
//                              aggregates (kpi_summary, kpi_by_bu, activity_monthly), hr for the
//                              per-employee rows (prime_sportive, wellbeing)
//   GET /api/dq_issues[?format=json|csv]        hr: Silver's data-quality findings
//   GET /employee/<id>, /api/employee/<id>      hr: one employee's facts (serve/employee_page.hpp)
//   GET /healthz               anyone: "ok"
// Errors are JSON {"error": "..."}: 400 for a bad parameter (format=xml too), 401 without a
// valid token, 403 for a viewer asking per-employee rows, 404 for an unknown table or a lake
// without a refresh yet, 500 for a damaged table (the message names it).
// Every answer carries Cache-Control: no-store and the security headers (CSP without scripts,
// nosniff, frame DENY, no referrer). CSV exports are spreadsheet-safe (columnar::CsvCells).
#pragma once

#include <filesystem>
#include <string>

#include "serve/access.hpp"
#include "serve/gold_reader.hpp"
#include "serve/page_layout.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sl::serve {

class Dashboard {
 public:
  // `tokens` decides who reads what; nullptr: nobody is asked for a token and everyone reads
  // everything (`--no-auth`, which the CLI allows on loopback only). Not owned.
  Dashboard(delta::Lake lake, const TokenStore* tokens)
      : reader_(std::move(lake)), tokens_(tokens) {}
  // Registers the routes on `server` (which must outlive nothing of this object's: it keeps a
  // reference to this Dashboard).
  void mount(httplib::Server& server) const;

  // The page of `year` (the latest when 0), as HTML; the per-employee tables only for hr.
  Result<std::string> page(int year, Role role) const;

  // Does the table hold one row per employee (hr only)?
  static bool per_employee(std::string_view table);

 private:
  // The role of the request's token; nullopt when the answer is already written (401, or the
  // 303 of a `?token=` login).
  std::optional<Role> authenticate(const httplib::Request& req, httplib::Response& res) const;

  GoldReader reader_;
  const TokenStore* tokens_;
};

}  // namespace sl::serve
