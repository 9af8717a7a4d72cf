// Loader: validated upsert of the HR and sport files into the source database.
//
// Order of work for one file:
// 1. read the bytes and parse them (hr_files.hpp): good rows and rejects;
// 2. COPY the good rows into a temporary table;
// 3. INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE the stored row IS DISTINCT FROM the new one,
//    counting inserted and updated rows: an unchanged row is not written at all (no WAL, no CDC
//    event), so loading the same file twice changes nothing;
// 4. write the rejects (the row as read + line + field + reason) to
//    <home>/rejects/<file>.rejects.csv, or remove a stale rejects file when there are none.
// Rows of the sport file whose employee is not in rh_employees are rejected too.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "pg/connection.hpp"
#include "source/hr_files.hpp"

namespace sl::source {

struct LoadReport {
  std::string file;
  std::string table;
  size_t read = 0;  // data rows in the file
  size_t inserted = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  std::vector<Reject> rejects;
  std::string format_note;
  std::filesystem::path rejects_file;  // empty when no rejects
};

Result<LoadReport> load_employees(pg::Connection& conn, const std::filesystem::path& file,
                                  const std::filesystem::path& rejects_dir);
Result<LoadReport> load_sports(pg::Connection& conn, const std::filesystem::path& file,
                               const std::filesystem::path& rejects_dir);

}  // namespace sl::source
