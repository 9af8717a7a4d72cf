// fault_point: SIGSTOP at the point named by SPORTLAKE_FAULT_POINT.
#include "common/fault_point.hpp"

#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>

namespace sl {

namespace {

struct Target {
  std::string name;
  std::string detail;  // empty: any detail
};

const std::optional<Target>& target() {
  static const std::optional<Target> parsed = []() -> std::optional<Target> {
    const char* value = std::getenv("SPORTLAKE_FAULT_POINT");
    if (!value || !*value) return std::nullopt;
    std::string_view text(value);
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return Target{std::string(text), {}};
    return Target{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  }();
  return parsed;
}

}  // namespace

void fault_point(std::string_view name, std::string_view detail) {
  const auto& t = target();
  if (!t || t->name != name) return;
  if (!t->detail.empty() && detail.find(t->detail) == std::string_view::npos) return;
  std::raise(SIGSTOP);
}

}  // namespace sl
