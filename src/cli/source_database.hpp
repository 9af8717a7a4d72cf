// Opening the configured source database, migrated, for the subcommands that write to it.
#pragma once

#include <filesystem>

#include "cli/context.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"

namespace sl::cli {

// Migrations and publication through resolve_admin_conninfo (the embedded cluster started when
// needed), then a connection as the jobs' role (resolve_conninfo).
Result<pg::Connection> open_source_database(const Context& ctx);

// data/sample of the project: ./data/sample when present, else $SPORTLAKE_DATA_DIR, else the
// source tree the binary was built from.
std::filesystem::path sample_data_dir();

}  // namespace sl::cli
