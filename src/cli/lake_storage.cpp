// The configured lake on local storage.
#include "cli/lake_storage.hpp"

#include "delta/local_storage.hpp"

namespace sl::cli {

delta::Lake open_lake(const Context& ctx) {
  return delta::Lake(ctx.settings.lake_root.string(), [](const std::string& location) {
    return std::make_unique<delta::LocalStorage>(location);
  });
}

}  // namespace sl::cli
