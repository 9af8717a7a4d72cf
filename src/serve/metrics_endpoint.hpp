// /metrics: the Prometheus text exposition (format 0.0.4) of the process's metrics registry
// (common/metrics.hpp) — what the jobs of `sportlake up` counted in-process, the server's own
// HTTP counts — and gauges read from the status provider at scrape time (replication lag and
// WAL held per slot, outbox rows per status, distances, job failures, lake table versions and
// files, last Bronze commit and refresh), so `sportlake serve` alone exports them too.
//
// Role `ops` (or hr): Prometheus sends the ops token as a bearer token (`authorization:
// {type: Bearer, credentials_file: <SPORTLAKE_HOME>/serve/ops.token}`).
//
// Mount before Dashboard::mount (see operations_page.hpp); set count_request as (or call it
// from) the router's logger so every answer is counted.
#pragma once

#include <string>
#include <string_view>

#include "common/metrics.hpp"
#include "serve/operations_page.hpp"

namespace sl::serve {

// The route pattern of a request path, the `route` label of sportlake_http_requests_total: a
// fixed set ("/", "/api/{table}" for a Gold table, "/employee/{id}", "/api/employee/{id}"...),
// "other" for anything else, so a client cannot grow the label set.
std::string route_label(std::string_view path);

// Counts an answered request (sportlake_http_requests_total{route,status}) and observes how long
// it took, `seconds` from its complete head to its answer written
// (sportlake_http_request_duration_seconds{route}; not for the live feed's streams, which last
// minutes by design).
void count_request(std::string_view path, int status, double seconds);

// The request duration histogram's bucket bounds (seconds): the Prometheus clients' defaults
// (5 ms to 10 s) below which 1 and 2.5 ms tell a page served from memory from one rendered.
const std::vector<double>& request_duration_buckets();

// The status report's scrape-time gauges.
void status_metrics(const ops::StatusReport& report, metrics::Exposition& out);

// `status` may be empty: then only the registry's metrics are exported.
void mount_metrics(httplib::Server& server, const Dashboard& dashboard, StatusProvider status);

}  // namespace sl::serve
