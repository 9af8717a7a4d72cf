// serve::HttpServer around serve::Dashboard, with the tokens under SPORTLAKE_HOME.
#include "cli/dashboard_server.hpp"

#include <fmt/core.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "cli/lake_storage.hpp"
#include "cli/status_facts.hpp"
#include "serve/dashboard.hpp"
#include "serve/http_server.hpp"
#include "serve/live_feed.hpp"
#include "serve/metrics_endpoint.hpp"
#include "serve/operations_page.hpp"

namespace sl::cli {

std::filesystem::path dashboard_token_dir(const Settings& settings) {
  return settings.home / "serve";
}

Status run_dashboard(const Context& ctx, const DashboardOptions& options,
                     const std::atomic<bool>& stop) {
  const std::string address = options.listen.empty() ? ctx.settings.serve_listen : options.listen;
  auto server_options = serve::parse_listen(address);
  if (!server_options) return server_options.error().with_context("serve.listen");
  std::optional<serve::TokenStore> tokens;
  if (options.no_auth) {
    SL_ASSIGN_OR_RETURN(bool loopback, serve::is_loopback_host(server_options->host));
    if (!loopback)
      return make_error(Errc::invalid_argument,
                        "serve: --no-auth on " + address +
                            " would give every salary and address to whoever reaches it; "
                            "refused (--no-auth is for a loopback address only)");
  } else {
    tokens.emplace(dashboard_token_dir(ctx.settings));
    SL_TRY(tokens->ensure());
  }

  const delta::Lake lake = open_lake(ctx);
  serve::Dashboard dashboard(lake, tokens ? &*tokens : nullptr);
  // The operations facts and the live feed read PostgreSQL (one connection each, opened when
  // first asked, never starting the embedded cluster: `serve` only reads).
  auto status_sql = std::make_shared<SourceConnection>(ctx);
  const serve::StatusProvider status = [status_sql, &lake, &settings = ctx.settings] {
    return collect_status(*status_sql, lake, settings);
  };
  serve::LiveFeed feed(feed_source(std::make_shared<SourceConnection>(ctx)), stop);
  server_options->stream_paths = {"/api/feed"};
  serve::HttpServer server(*server_options);
  // Before the dashboard's routes: its /api/<table> pattern would take /api/status and /api/feed.
  serve::mount_operations(server.router(), dashboard, status);
  serve::mount_metrics(server.router(), dashboard, status);
  feed.mount(server.router(), dashboard);
  dashboard.set_live_feed(&feed);
  dashboard.mount(server.router());
  server.router().set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // The path only: a `?token=` login must not reach the log.
    spdlog::debug("serve: {} {} → {}", req.method, req.path, res.status);
    serve::count_request(req.path, res.status, serve::request_seconds());
  });
  SL_ASSIGN_OR_RETURN(auto bound, server.bind());
  if (options.no_auth)
    spdlog::warn(
        "serve: --no-auth: no token asked; every local user and program that can reach {} reads "
        "every salary, name and address",
        bound.url);
  else if (!bound.loopback)
    spdlog::warn(
        "serve: {} is reachable beyond this machine over plain HTTP: tokens and personal data "
        "cross the network in clear; put a TLS reverse proxy in front",
        bound.url);
  fmt::print("dashboard: {}\n", bound.url);
  if (tokens)
    fmt::print(
        "dashboard: sign in once with {}?token=<token>, the token being in {} (every row) or {} "
        "(aggregates only); scripts send 'Authorization: Bearer <token>'; {}operations and "
        "{}metrics (Prometheus) take the token in {}\n",
        bound.url, tokens->file(serve::Role::hr).string(),
        tokens->file(serve::Role::viewer).string(), bound.url, bound.url,
        tokens->file(serve::Role::ops).string());
  std::fflush(stdout);
  server.run(stop);
  return {};
}

}  // namespace sl::cli
