// Context: what every subcommand receives — global options and the loaded configuration.
#pragma once

#include <string>

#include "common/config.hpp"

namespace sl::cli {

struct Context {
  std::string config_file;  // --config, default "sportlake.toml" when present
  std::string log_format = "human";
  std::string log_level = "info";
  sl::config::Config config;  // loaded after option parsing, before any subcommand runs
  int exit_code = 0;
};

}  // namespace sl::cli
