// Opening the configured source database, migrated.
#include "cli/source_database.hpp"

#include <cstdlib>

#include "pg/database.hpp"
#include "source/migrations.hpp"

namespace sl::cli {

Result<pg::Connection> open_source_database(const Context& ctx) {
  SL_ASSIGN_OR_RETURN(auto admin_conninfo, pg::resolve_admin_conninfo(ctx.config));
  SL_ASSIGN_OR_RETURN(auto conninfo, pg::resolve_conninfo(ctx.config, false));
  SL_ASSIGN_OR_RETURN(auto admin, pg::Connection::open(admin_conninfo));
  SL_TRY(source::migrate(admin, ctx.settings.cdc.publication));
  if (admin_conninfo == conninfo) return admin;  // an external database: one role for all
  return pg::Connection::open(conninfo);
}

std::filesystem::path sample_data_dir() {
  if (std::filesystem::exists("data/sample/data_rh.csv"))
    return std::filesystem::absolute("data/sample");
  if (const char* env = std::getenv("SPORTLAKE_DATA_DIR"); env && *env)
    return std::filesystem::path(env) / "sample";
  return std::filesystem::path(SPORTLAKE_SOURCE_DIR) / "data" / "sample";
}

}  // namespace sl::cli
