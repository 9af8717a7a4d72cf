// `sportlake load [--rh FILE] [--sport FILE] [--allow-rejects]`: validated upsert of the HR files.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/source_database.hpp"
#include "source/loader.hpp"

namespace sl::cli {

namespace {

void print_report(const source::LoadReport& r) {
  for (const auto& reject : r.rejects) fmt::print(stderr, "{}\n", reject.to_string(r.file));
  fmt::print(
      "{:<16} {:>6} read  {:>6} inserted  {:>6} updated  {:>6} unchanged  {:>4} rejected{}{}\n",
      r.table, r.read, r.inserted, r.updated, r.unchanged, r.rejects.size(),
      r.format_note.empty() ? "" : "  (" + r.format_note + ")",
      r.rejects_file.empty() ? "" : "  rejects: " + r.rejects_file.string());
}

// Loads the HR file, then the sport file (each skipped when its path is empty); returns how many
// rows were rejected.
Result<size_t> load_files(const Context& ctx, const std::filesystem::path& rh,
                          const std::filesystem::path& sport) {
  SL_ASSIGN_OR_RETURN(auto conn, open_source_database(ctx));
  const auto rejects_dir = ctx.settings.home / "rejects";
  size_t rejected = 0;
  if (!rh.empty()) {
    SL_ASSIGN_OR_RETURN(auto report, source::load_employees(conn, rh, rejects_dir));
    print_report(report);
    rejected += report.rejects.size();
  }
  if (!sport.empty()) {
    SL_ASSIGN_OR_RETURN(auto report, source::load_sports(conn, sport, rejects_dir));
    print_report(report);
    rejected += report.rejects.size();
  }
  return rejected;
}

}  // namespace

void add_load_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "load", "load the HR and sport CSV files into PostgreSQL (validated upsert)");
  static std::string rh_file, sport_file;
  static bool allow_rejects = false;
  cmd->add_option("--rh", rh_file, "HR file (default: data/sample/data_rh.csv)");
  cmd->add_option("--sport", sport_file, "sport file (default: data/sample/data_sport.csv)");
  cmd->add_flag("--allow-rejects", allow_rejects, "exit 0 even when rows were rejected");
  cmd->callback([&ctx] {
    bool defaults = rh_file.empty() && sport_file.empty();
    std::filesystem::path rh = rh_file, sport = sport_file;
    if (defaults) {
      rh = sample_data_dir() / "data_rh.csv";
      sport = sample_data_dir() / "data_sport.csv";
    }
    auto rejected = load_files(ctx, rh, sport);
    if (!rejected) {
      fmt::print(stderr, "sportlake load: {}\n", rejected.error().to_string());
      ctx.exit_code = 1;
      return;
    }
    // 4: "done, but some rows were rejected" — distinct from a failure (1) and a usage error (2).
    if (*rejected > 0 && !allow_rejects) ctx.exit_code = 4;
  });
}

}  // namespace sl::cli
