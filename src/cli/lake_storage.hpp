// The lake as the configuration names it: the composition root's one place that chooses the
// Storage of the tables (local files under `lake.root`, default `$SPORTLAKE_HOME/delta`).
#pragma once

#include "cli/context.hpp"
#include "delta/lake.hpp"

namespace sl::cli {

delta::Lake open_lake(const Context& ctx);

}  // namespace sl::cli
