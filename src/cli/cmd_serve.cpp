// `sportlake serve`: the dashboard and its JSON/CSV API over the Gold tables (serve/dashboard.hpp);
// `sportlake serve token`: a new token for a role.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/dashboard_server.hpp"
#include "cli/stop_signal.hpp"

namespace sl::cli {

namespace {

Status rotate_tokens(const Settings& settings, const std::string& role_name) {
  const serve::TokenStore tokens(dashboard_token_dir(settings));
  SL_TRY(tokens.ensure());
  for (serve::Role role : serve::k_roles) {
    if (!role_name.empty() && role_name != serve::role_name(role)) continue;
    SL_TRY(tokens.rotate(role));
    fmt::print("serve: new {} token in {} (0600); the old one no longer opens anything\n",
               serve::role_name(role), tokens.file(role).string());
  }
  return {};
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "serve",
      "the dashboard (French HTML) and its JSON/CSV API over the Gold tables; reads the lake, "
      "never writes; asks for a token (roles viewer: aggregates, ops: also /operations and "
      "/metrics, hr: every row)");
  static DashboardOptions options;
  cmd->add_option("--listen", options.listen,
                  "host:port or [v6]:port (default serve.listen, 127.0.0.1:8080; port 0: "
                  "any free port)");
  cmd->add_flag("--no-auth", options.no_auth,
                "serve without tokens (a loopback address only; everyone reads every row)");
  auto* token = cmd->add_subcommand(
      "token",
      "replace the dashboard's token of a role (all without --role); a running server takes "
      "the new one at once; prints where it is, never the token");
  static std::string role;
  token->add_option("--role", role, "viewer, ops or hr")
      ->check(CLI::IsMember({"viewer", "ops", "hr"}));
  token->callback([&ctx] {
    if (auto st = rotate_tokens(ctx.settings, role); !st) {
      fmt::print(stderr, "sportlake serve token: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
  cmd->callback([&ctx, token] {
    if (token->parsed()) return;
    if (auto st = run_dashboard(ctx, options, stop_on_signals()); !st) {
      fmt::print(stderr, "sportlake serve: {}\n", st.error().to_string());
      ctx.exit_code = 1;
    }
  });
}

}  // namespace sl::cli
