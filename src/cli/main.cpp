// sportlake: the single binary; parses global options and dispatches to subcommands.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>

#include "cli/commands.hpp"
#include "common/log.hpp"
#include "common/memory_tuning.hpp"

int main(int argc, char** argv) {
  // Everything sportlake creates holds personal data (salaries, addresses): folders 0700, files
  // 0600 (README "Files and permissions").
  ::umask(077);
  sl::tune_memory_allocator();
  sl::cli::Context ctx;
  CLI::App app{"sportlake — a C++ lakehouse that rewards employees' sport", "sportlake"};
  app.set_version_flag("--version", std::string("sportlake ") + SPORTLAKE_VERSION);
  app.add_option("--config", ctx.config_file,
                 "configuration file (default: sportlake.toml if present)");
  app.add_option("--log-format", ctx.log_format, "human or json")->envname("SPORTLAKE_LOG_FORMAT");
  app.add_option("--log-level", ctx.log_level, "trace, debug, info, warn, error")
      ->envname("SPORTLAKE_LOG_LEVEL");
  app.require_subcommand(1);
  app.fallthrough();

  // Runs after options are parsed and before the chosen subcommand's callback.
  app.parse_complete_callback([&ctx] {
    sl::log::Options options;
    if (auto f = sl::log::parse_format(ctx.log_format)) options.format = *f;
    if (auto l = sl::log::parse_level(ctx.log_level)) options.level = *l;
    sl::log::init(options);
    auto loaded = sl::config::load(sl::config::LoadOptions{.toml_path = ctx.config_file});
    if (!loaded) {
      std::fprintf(stderr, "sportlake: %s\n", loaded.error().to_string().c_str());
      std::exit(2);
    }
    ctx.config = std::move(*loaded);
    ctx.settings = sl::cli::Settings::read(ctx.config);
    // A home made by an older sportlake (or by hand) may be open to others: say so, once.
    struct stat home {};
    if (::stat(ctx.settings.home.c_str(), &home) == 0 && (home.st_mode & 0067) != 0)
      spdlog::warn(
          "{} is open to other users (mode {:o}): it holds personal data; chmod 700 it (README "
          "\"Files and permissions\")",
          ctx.settings.home.string(), home.st_mode & 07777);
  });

  sl::cli::add_version_command(app, ctx);
  sl::cli::add_config_command(app, ctx);
  sl::cli::add_db_command(app, ctx);
  sl::cli::add_load_command(app, ctx);
  sl::cli::add_simulate_command(app, ctx);
  sl::cli::add_parquet_command(app, ctx);
  sl::cli::add_cdc_command(app, ctx);
  sl::cli::add_ingest_command(app, ctx);
  sl::cli::add_notify_command(app, ctx);
  sl::cli::add_distances_command(app, ctx);
  sl::cli::add_refresh_command(app, ctx);
  sl::cli::add_up_command(app, ctx);
  sl::cli::add_serve_command(app, ctx);
  sl::cli::add_status_command(app, ctx);
  sl::cli::add_failures_command(app, ctx);
  sl::cli::add_explain_command(app, ctx);
  sl::cli::add_lake_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the help, the version or the error with the usage line; a usage error exits 2
    // (the documented code, as getopt tools do), not CLI11's own 100-and-up codes.
    return app.exit(e) == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}
