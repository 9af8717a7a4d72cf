// Logging set-up: a stderr sink with a human or a JSON-lines pattern.
#include "common/log.hpp"

#include <cstdio>

#include <spdlog/pattern_formatter.h>
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
    return make_error(
        Errc::invalid_argument,
        "log level '" + std::string(text) + "' is not one of trace, debug, info, warn, error, off");
  }
  return level;
}

namespace {

// %*: the message escaped as the body of a JSON string, so every line stays one valid object.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            dest.append(std::string_view(buffer));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_formatter(Format format) {
  if (format == Format::json) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%*"})");
    return formatter;
  }
  return std::make_unique<spdlog::pattern_formatter>("%H:%M:%S.%e %^%-5l%$ %v");
}

void init(const Options& options) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("sportlake", sink);
  logger->set_formatter(make_formatter(options.format));
  logger->set_level(options.level);
  spdlog::set_default_logger(logger);
}

}  // namespace sl::log
