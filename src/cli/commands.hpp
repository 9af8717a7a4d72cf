// One registration function per subcommand group; each lives in its own cmd_<name>.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace sl::cli {

void add_version_command(CLI::App& app, Context& ctx);
void add_config_command(CLI::App& app, Context& ctx);
void add_db_command(CLI::App& app, Context& ctx);
void add_load_command(CLI::App& app, Context& ctx);
void add_simulate_command(CLI::App& app, Context& ctx);
void add_parquet_command(CLI::App& app, Context& ctx);
void add_cdc_command(CLI::App& app, Context& ctx);
void add_lake_command(CLI::App& app, Context& ctx);
void add_ingest_command(CLI::App& app, Context& ctx);
void add_notify_command(CLI::App& app, Context& ctx);
void add_distances_command(CLI::App& app, Context& ctx);
void add_refresh_command(CLI::App& app, Context& ctx);
void add_up_command(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);
void add_status_command(CLI::App& app, Context& ctx);
void add_failures_command(CLI::App& app, Context& ctx);
void add_explain_command(CLI::App& app, Context& ctx);

}  // namespace sl::cli
