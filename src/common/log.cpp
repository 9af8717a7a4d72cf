// Logging set-up: a stderr sink with a human or a JSON-lines pattern.
#include "common/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace sl::log {

Result<Format> parse_format(std::string_view text) {
  if (text == "human" || text == "text") return Format::human;
  if (text == "json") return Format::json;
  return make_error(Errc::invalid_argument,
                    "log format '" + std::string(text) + "' is not one of human, json");
}

Result<spdlog::level::level_enum> parse_level(std::string_view text) {
  auto level = spdlog::level::from_str(std::string(text));
  if (level == spdlog::level::off && text != "off") {
    return make_error(Errc::invalid_argument, "log level '" + std::string(text) +
                                                  "' is not one of trace, debug, info, warn, error, off");
  }
  return level;
}

void init(const Options& options) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("sportlake", sink);
  if (options.format == Format::json) {
    // Messages are escaped by the callers that may carry quotes (they log through fmt "{}" of
    // plain text); the pattern keeps one object per line for log shippers.
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(options.level);
  spdlog::set_default_logger(logger);
}

}  // namespace sl::log
