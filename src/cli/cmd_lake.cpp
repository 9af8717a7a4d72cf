// `sportlake lake ls|history|schema|scan|import|optimize|vacuum|checkpoint|maintain|check`: the Delta
// tables of the lake, read, written and verified by our own Delta kernel.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/lake_maintenance.hpp"
#include "cli/lake_storage.hpp"
#include "cli/row_output.hpp"
#include "common/civil_time.hpp"
#include "common/clock.hpp"
#include "delta/checkpoint_writer.hpp"
#include "delta/csv_import.hpp"
#include "delta/maintenance.hpp"
#include "delta/scan.hpp"
#include "delta/snapshot.hpp"
#include "delta/table_check.hpp"
#include "delta/table_writer.hpp"
#include "parquet/file_reader.hpp"

namespace sl::cli {

namespace {

namespace stdfs = std::filesystem;

int fail(const std::string& verb, const Error& e) {
  fmt::print(stderr, "sportlake lake {}: {}\n", verb, e.to_string());
  return e.code == Errc::not_found ? 2 : 1;
}

// A table path or s3:// URI as given, or relative to the lake root (`bronze/activities`).
std::string resolve_table(const Context& ctx, const std::string& path) {
  if (delta::is_s3_uri(path)) return path;
  stdfs::path p(path);
  if (p.is_absolute() || stdfs::exists(p)) return path;
  const std::string root = ctx.settings.lake_root.string();
  if (delta::is_s3_uri(root)) return path.empty() ? root : root + "/" + path;
  auto under_lake = ctx.settings.lake_root / p;
  return stdfs::exists(under_lake) ? under_lake.string() : path;
}

// `table` named relative to `base` for listings ("bronze/activities").
std::string relative_name(const std::string& base, const std::string& table) {
  if (table == base) {
    const size_t slash = table.find_last_of('/');
    return slash == std::string::npos ? table : table.substr(slash + 1);
  }
  if (table.starts_with(base + "/")) return table.substr(base.size() + 1);
  if (!delta::is_s3_uri(table)) return stdfs::relative(table, base).string();
  return table;
}

std::string time_text(int64_t ms) {
  return format_timestamp_ms(ms * 1000);
}

// A .csv file with the types inferred as `parquet convert` infers them; any other file as Parquet.
Result<columnar::RecordBatch> read_input(const stdfs::path& path) {
  if (path.extension() == ".csv") return delta::read_csv_file(path);
  SL_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::open(path));
  return reader->read_all();
}

// The arguments several subcommands share; CLI11 binds options to variables that outlive parsing.
struct LakeArgs {
  std::string table;
  int64_t version = -1;
  std::string timestamp;
  long limit = -1;
  bool as_json = false;
  bool as_csv = false;
};

// The table's snapshot at --version / --timestamp (latest by default), with its storage.
Result<std::pair<std::unique_ptr<delta::Storage>, delta::Snapshot>> snapshot_of(
    const Context& ctx, const LakeArgs& args, const std::string& verb) {
  SL_ASSIGN_OR_RETURN(auto storage, open_storage(ctx.settings, resolve_table(ctx, args.table)));
  delta::SnapshotOptions options;
  if (args.version >= 0) options.version = args.version;
  if (!args.timestamp.empty()) {
    auto t = parse_timestamp(args.timestamp);
    if (!t)
      return make_error(Errc::invalid_argument,
                        "--timestamp '" + args.timestamp + "' is not a timestamp");
    options.timestamp_ms = floor_div(*t, 1000);
  }
  auto snapshot = delta::load_snapshot(*storage, options);
  if (!snapshot.ok()) return snapshot.error().with_context(verb);
  return std::pair{std::move(storage), std::move(*snapshot)};
}

// One line of `lake ls`: version, files, rows (from the files' stats), bytes, last commit.
void print_table_line(const Context& ctx, const std::string& base, const std::string& table) {
  const std::string name = relative_name(base, table);
  auto storage = open_storage(ctx.settings, table);
  auto snapshot = storage ? delta::load_snapshot(**storage) : Result<delta::Snapshot>(storage.error());
  if (!snapshot.ok()) {
    fmt::print("{:<40} error: {}\n", name, snapshot.error().message);
    return;
  }
  int64_t rows = 0, bytes = 0;
  bool rows_known = true;
  for (const auto& f : snapshot->files) {
    bytes += f.size;
    auto n = f.stats ? nlohmann::json::parse(f.stats->view(), nullptr, false) : nlohmann::json();
    if (n.is_object() && n.contains("numRecords")) {
      rows += n["numRecords"].get<int64_t>();
    } else {
      rows_known = false;
    }
  }
  fmt::print("{:<40} {:>8} {:>7} {:>10} {:>12}  {}\n", name, snapshot->version,
             snapshot->files.size(), rows_known ? std::to_string(rows) : "?", bytes,
             time_text(snapshot->timestamp_ms));
}

// The tables at or below `base` (folders holding a `_delta_log/`, up to 4 levels down), sorted.
// On the object store: from one recursive listing of the prefix.
Result<std::vector<std::string>> find_tables(const Context& ctx, const std::string& base) {
  std::vector<std::string> tables;
  if (delta::is_s3_uri(base)) {
    SL_ASSIGN_OR_RETURN(auto storage, open_storage(ctx.settings, base));
    SL_ASSIGN_OR_RETURN(auto files, storage->list_recursive(""));
    for (const auto& f : files) {
      const std::string_view path = f.path;
      const size_t at = path.starts_with("_delta_log/") ? 0 : path.find("/_delta_log/");
      if (at == std::string_view::npos) continue;
      if (std::count(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(at), '/') > 3)
        continue;
      std::string table = at == 0 ? base : base + "/" + std::string(path.substr(0, at));
      if (tables.empty() || tables.back() != table) tables.push_back(std::move(table));
    }
    std::sort(tables.begin(), tables.end());
    tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
    return tables;
  }
  std::error_code ec;
  if (stdfs::exists(stdfs::path(base) / "_delta_log")) return std::vector<std::string>{base};
  for (auto it = stdfs::recursive_directory_iterator(base, ec);
       !ec && it != stdfs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() > 3) it.disable_recursion_pending();
    if (it->is_directory() && it->path().filename() == "_delta_log") {
      tables.push_back(it->path().parent_path().string());
      it.disable_recursion_pending();
    }
  }
  std::sort(tables.begin(), tables.end());
  return tables;
}

void add_ls(CLI::App& lake, Context& ctx) {
  auto* ls = lake.add_subcommand("ls", "list the tables under the lake root (or a given folder)");
  static std::string root;
  ls->add_option("ROOT", root, "folder to search (default: the lake root)");
  ls->callback([&ctx] {
    const std::string base = root.empty() ? ctx.settings.lake_root.string() : root;
    const auto tables = find_tables(ctx, base);
    if (!tables) return void(ctx.exit_code = fail("ls", tables.error()));
    fmt::print("{:<40} {:>8} {:>7} {:>10} {:>12}  {}\n", "table", "version", "files", "rows",
               "bytes", "last commit");
    for (const auto& t : *tables) print_table_line(ctx, base, t);
  });
}

void add_history(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* history = lake.add_subcommand("history", "the table's commits, newest first");
  history->add_option("PATH", args.table, "table folder (or path under the lake root)")->required();
  history->add_option("--limit", args.limit, "at most N commits");
  history->add_flag("--json", args.as_json, "one JSON object per commit");
  history->callback([&ctx, &args] {
    auto storage = open_storage(ctx.settings, resolve_table(ctx, args.table));
    if (!storage) return void(ctx.exit_code = fail("history", storage.error()));
    auto entries = delta::load_history(
        **storage, args.limit >= 0 ? std::optional<size_t>(args.limit) : std::nullopt);
    if (!entries) return void(ctx.exit_code = fail("history", entries.error()));
    for (const auto& e : *entries) {
      const auto& info = e.commit_info;
      if (args.as_json) {
        nlohmann::ordered_json j;
        j["version"] = e.version;
        j["timestamp"] = time_text(e.timestamp_ms);
        j["commitInfo"] =
            info && !info->json.empty() ? nlohmann::ordered_json::parse(info->json) : nullptr;
        fmt::print("{}\n", j.dump());
        continue;
      }
      std::string params;
      if (info) {
        for (const auto& [k, v] : info->operation_parameters)
          params += (params.empty() ? "" : " ") + k + "=" + v;
      }
      fmt::print("{:>6}  {}  {:<18} {}  {}\n", e.version, time_text(e.timestamp_ms),
                 info && info->operation ? *info->operation : "?", params,
                 info && info->engine_info ? *info->engine_info : "");
    }
  });
}

void add_schema(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* schema = lake.add_subcommand("schema", "columns, types, partitioning and properties");
  schema->add_option("PATH", args.table, "table folder")->required();
  schema->add_option("--version", args.version, "time travel to version N");
  schema->add_flag("--json", args.as_json, "the schemaString JSON");
  schema->callback([&ctx, &args] {
    auto loaded = snapshot_of(ctx, args, "schema");
    if (!loaded) return void(ctx.exit_code = fail("schema", loaded.error()));
    const auto& s = loaded->second;
    if (args.as_json) return void(fmt::print("{}\n", s.metadata.schema_string));
    fmt::print("table {} (id {}), version {}, protocol ({},{})\n", args.table, s.metadata.id,
               s.version, s.protocol.min_reader_version, s.protocol.min_writer_version);
    for (const auto& f : s.schema.fields) {
      fmt::print("  {} {}{}{}\n", f.name, delta::type_to_string(f.type),
                 f.nullable ? "" : " not null",
                 s.is_partition_column(f.name) ? " (partition)" : "");
    }
    for (const auto& [k, v] : s.metadata.configuration) fmt::print("  property {}={}\n", k, v);
  });
}

void add_scan(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* scan = lake.add_subcommand("scan", "print the table's rows (JSON lines by default)");
  static std::string columns;
  static std::vector<std::string> filters;
  scan->add_option("PATH", args.table, "table folder")->required();
  scan->add_option("--version", args.version, "time travel to version N");
  scan->add_option("--timestamp", args.timestamp,
                   "time travel to the version current at this time (UTC)");
  scan->add_option("--limit", args.limit, "at most N rows");
  scan->add_option("--columns", columns, "comma-separated columns (projection)");
  scan->add_option("--where", filters,
                   "filter such as 'id>=10', 'day=2025-01-01', 'x is null' (repeatable)");
  scan->add_flag("--json", args.as_json, "one JSON object per row (default)");
  scan->add_flag("--csv", args.as_csv, "CSV with a header");
  scan->callback([&ctx, &args] {
    auto loaded = snapshot_of(ctx, args, "scan");
    if (!loaded) return void(ctx.exit_code = fail("scan", loaded.error()));
    auto& [storage, snapshot] = *loaded;
    delta::ScanOptions options;
    options.columns = split_list(columns);
    for (const auto& f : filters) {
      auto p = delta::parse_predicate(f);
      if (!p) return void(ctx.exit_code = fail("scan", p.error()));
      options.filters.push_back(*p);
    }
    if (args.as_csv) {
      auto fields = delta::scan_schema(snapshot, options);
      if (!fields) return void(ctx.exit_code = fail("scan", fields.error()));
      std::vector<std::string> names;
      for (const auto& f : *fields) names.push_back(f.name);
      print_csv_header(names);
    }
    size_t printed = 0;
    size_t max_rows = args.limit >= 0 ? static_cast<size_t>(args.limit) : SIZE_MAX;
    const auto format = args.as_csv ? RowFormat::csv : RowFormat::json;
    auto status = delta::scan(*storage, snapshot, options, [&](columnar::RecordBatch&& batch) {
      printed += print_rows(batch, format, max_rows - printed);
      return printed < max_rows;
    });
    if (!status) ctx.exit_code = fail("scan", status.error());
  });
}

void add_import(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* import =
      lake.add_subcommand("import", "write a Parquet or CSV file into a table (created if needed)");
  static std::string input, mode = "append", partition_by;
  static bool merge_schema = false;
  static std::string app_id;
  static int64_t app_version = -1;
  import->add_option("PATH", args.table, "table folder")->required();
  import->add_option("FILE", input, "a .parquet file, or a .csv with a header (types inferred)")
      ->required();
  import->add_option("--mode", mode, "append or overwrite")
      ->check(CLI::IsMember({"append", "overwrite"}));
  import->add_option("--partition-by", partition_by,
                     "comma-separated partition columns (new tables)");
  import->add_flag("--merge-schema", merge_schema, "add the file's new columns to the table");
  import->add_option(
      "--app-id", app_id,
      "idempotent write: application id recorded as a Delta txn (with --app-version)");
  import
      ->add_option("--app-version", app_version,
                   "idempotent write: skipped if the table already holds this app at >= N")
      ->needs(import->get_option("--app-id"));
  import->callback([&ctx, &args] {
    auto batch = read_input(input);
  if (!batch) return void(ctx.exit_code = fail("import", batch.error()));
  auto storage = open_storage(ctx.settings, resolve_table(ctx, args.table));
  if (!storage) return void(ctx.exit_code = fail("import", storage.error()));
  delta::WriteOptions options;
  options.mode = mode == "overwrite" ? delta::WriteMode::overwrite : delta::WriteMode::append;
  options.partition_columns = split_list(partition_by);
  options.merge_schema = merge_schema;
  if (!app_id.empty()) {
    if (app_version < 0) {
      return void(ctx.exit_code = fail("import", make_error(Errc::invalid_argument,
                                                            "--app-id needs --app-version N ≥ 0")));
    }
    options.app_transaction = std::pair{app_id, app_version};
  }
  auto result = delta::write_table(**storage, *batch, options);
  if (!result) return void(ctx.exit_code = fail("import", result.error()));
  if (result->skipped) {
    fmt::print("skipped: {} version {} is already in the table (at table version {})\n", app_id,
               app_version, result->version);
    return;
  }
  fmt::print("version {}: {} rows in {} files ({} bytes){}{}\n", result->version, result->rows,
             result->files_added, result->bytes,
             result->files_removed ? fmt::format(", {} files removed", result->files_removed) : "",
             result->attempts > 1 ? fmt::format(", after {} attempts", result->attempts) : "");
});
}

void add_optimize(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* optimize = lake.add_subcommand("optimize", "compact small files (dataChange=false)");
  static int64_t min_file_mb = 64;
  optimize->add_option("PATH", args.table, "table folder")->required();
  optimize->add_option("--min-file-mb", min_file_mb,
                       "compact files smaller than this (default 64)");
  optimize->callback([&ctx, &args] {
    auto storage = open_storage(ctx.settings, resolve_table(ctx, args.table));
    if (!storage) return void(ctx.exit_code = fail("optimize", storage.error()));
    delta::OptimizeOptions options;
    options.min_file_bytes = static_cast<uint64_t>(min_file_mb) << 20;
    auto result = delta::optimize(**storage, options);
    if (!result) return void(ctx.exit_code = fail("optimize", result.error()));
    if (result->version < 0) return void(fmt::print("nothing to compact\n"));
    fmt::print("version {}: {} files compacted into {} ({} rows)\n", result->version,
               result->files_removed, result->files_added, result->rows);
  });
}

void add_vacuum(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* vacuum = lake.add_subcommand("vacuum", "delete data files no longer referenced");
  static double retention_hours = -1;
  static bool dry_run = false, force = false;
  vacuum->add_option("PATH", args.table, "table folder")->required();
  vacuum->add_option("--retention-hours", retention_hours,
                     "keep files removed less than H hours ago (default: table property, 168)");
  vacuum->add_flag("--dry-run", dry_run, "list what would be deleted");
  vacuum->add_flag("--force", force, "allow a retention shorter than the table's");
  vacuum->callback([&ctx, &args] {
    auto storage = open_storage(ctx.settings, resolve_table(ctx, args.table));
    if (!storage) return void(ctx.exit_code = fail("vacuum", storage.error()));
    delta::VacuumOptions options;
    if (retention_hours >= 0)
      options.retention_ms = static_cast<int64_t>(retention_hours * 3'600'000);
    options.dry_run = dry_run;
    options.force_short_retention = force;
    auto result = delta::vacuum(**storage, options);
    if (!result) return void(ctx.exit_code = fail("vacuum", result.error()));
    for (const auto& f : result->deleted)
      fmt::print("{}{}\n", dry_run ? "would delete " : "deleted ", f);
    fmt::print("{} files {}, {} kept\n", result->deleted.size(), dry_run ? "to delete" : "deleted",
               result->kept_files);
  });
}

void add_checkpoint(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* checkpoint = lake.add_subcommand("checkpoint", "write a checkpoint of the latest version");
  checkpoint->add_option("PATH", args.table, "table folder")->required();
  checkpoint->callback([&ctx, &args] {
    auto loaded = snapshot_of(ctx, args, "checkpoint");
    if (!loaded) return void(ctx.exit_code = fail("checkpoint", loaded.error()));
    auto result = delta::write_checkpoint(*loaded->first, loaded->second, unix_now_ms());
    if (!result) return void(ctx.exit_code = fail("checkpoint", result.error()));
    fmt::print("checkpoint at version {}: {} actions, {} files\n", result->version, result->actions,
               result->add_files);
  });
}

void add_maintain(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* maintain = lake.add_subcommand(
      "maintain",
      "one maintenance pass (what `up` runs in the background): compact small files by size "
      "tiers, checkpoint, clean up expired log files, vacuum with each table's retention");
  static bool all = false, no_compact = false, no_cleanup = false;
  static int target_file_mb = 0, fan_in = 0, budget_mb = 0;
  maintain->add_option("PATH", args.table, "a table, or a folder of tables");
  maintain->add_flag("--all", all, "every table of the lake (bronze, silver, gold)");
  maintain->add_option("--target-file-mb", target_file_mb,
                       "size of the compacted files (default: maintenance.target_file_mb, 32)");
  maintain->add_option("--fan-in", fan_in,
                       "files of one size tier compacted together, at least (default: "
                       "maintenance.fan_in, 10)");
  maintain->add_option("--budget-mb", budget_mb,
                       "MiB compaction may read in this pass, all tables together (default: "
                       "maintenance.budget_mb, 256)");
  maintain->add_flag("--no-compact", no_compact, "no compaction");
  maintain->add_flag("--no-cleanup", no_cleanup, "no expired-log cleanup and no vacuum");
  maintain->callback([&ctx, &args] {
    if (all == !args.table.empty()) {
      return void(ctx.exit_code = fail("maintain", make_error(Errc::invalid_argument,
                                                              "name a table or folder, or --all")));
    }
    MaintenanceSettings settings = ctx.settings.maintenance;
    if (target_file_mb > 0) settings.target_file_mb = target_file_mb;
    if (fan_in > 0) settings.fan_in = fan_in;
    if (budget_mb > 0) settings.budget_mb = budget_mb;
    auto policy = maintenance_policy(settings);
    if (!policy) return void(ctx.exit_code = fail("maintain", policy.error()));
    if (!settings.budget_mb) return void(ctx.exit_code = fail("maintain", settings.budget_mb.error()));
    policy->compact = !no_compact;
    policy->cleanup = !no_cleanup;
    const delta::Lake lake = open_lake(ctx);
    const std::string base = all ? lake.root() : resolve_table(ctx, args.table);
    auto tables = all ? lake_table_locations(lake) : find_tables(ctx, base);
    if (!tables) return void(ctx.exit_code = fail("maintain", tables.error()));
    if (tables->empty()) {
      return void(ctx.exit_code = fail("maintain", make_error(Errc::not_found,
                                                              "no Delta table at or below '" +
                                                                  base + "'")));
    }
    const auto pass = maintain_tables(
        lake, *tables, *policy, static_cast<uint64_t>(*settings.budget_mb) << 20,
        [&](const std::string& table, const Result<delta::TableMaintenance>& outcome) {
          const std::string name = relative_name(base, table);
          if (outcome) return void(fmt::print("{}: {}\n", name, outcome->summary()));
          fmt::print("{}: failed: {}\n", name, outcome.error().to_string());
        });
    if (pass.tables > 1) {
      fmt::print("{} tables: {} files → {}, {} compactions ({:.1f} MB rewritten){}\n", pass.tables,
                 pass.files_before, pass.files_after, pass.compactions,
                 static_cast<double>(pass.bytes_rewritten) / (1 << 20),
                 pass.failed ? fmt::format(", {} failed", pass.failed) : "");
    }
    if (pass.failed > 0) ctx.exit_code = 1;
  });
}

// One table's check: its findings printed, the outcome recorded in the table. False if damaged
// or not checkable.
bool check_one_table(const Context& ctx, const std::string& base, const std::string& table) {
  const std::string name = table == base ? table : relative_name(base, table);
  auto opened = open_storage(ctx.settings, table);
  if (!opened) {
    fmt::print("{}: cannot be checked: {}\n", name, opened.error().to_string());
    return false;
  }
  delta::Storage& storage = **opened;
  auto snapshot = delta::load_snapshot(storage);
  if (!snapshot) {
    fmt::print("{}: cannot be checked: {}\n", name, snapshot.error().to_string());
    return false;
  }
  const delta::TableCheck check = delta::check_table(storage, *snapshot);
  for (const auto& f : check.findings) fmt::print("  damaged: {}\n", f.to_string());
  fmt::print("{}: version {}, {} files, {} rows, {} pages ({} with a checksum): {}\n", name,
             check.version, check.files, check.rows, check.pages, check.pages_with_crc,
             check.clean() ? std::string("clean")
                           : fmt::format("DAMAGED ({} finding{})", check.findings.size(),
                                         check.findings.size() == 1 ? "" : "s"));
  if (auto saved = delta::save_check_record(storage, check, unix_now_ms()); !saved) {
    fmt::print(stderr, "sportlake lake check: {}: the outcome could not be recorded: {}\n", name,
               saved.error().to_string());
  }
  return check.clean();
}

void add_check(CLI::App& lake, Context& ctx, LakeArgs& args) {
  auto* check = lake.add_subcommand(
      "check",
      "verify every live file of a table, or of every table below a folder (default: the whole "
      "lake): page checksums, footers, statistics against values, row counts against the log; "
      "exit 1 if anything is damaged");
  check->add_option("PATH", args.table,
                    "table folder, or a folder of tables (default: the lake root)");
  check->callback([&ctx, &args] {
    const std::string base =
        args.table.empty() ? ctx.settings.lake_root.string() : resolve_table(ctx, args.table);
    const auto found = find_tables(ctx, base);
    if (!found) return void(ctx.exit_code = fail("check", found.error()));
    const std::vector<std::string>& tables = *found;
    if (tables.empty()) {
      return void(ctx.exit_code = fail("check", make_error(Errc::not_found,
                                                           "no Delta table at or below '" +
                                                               base + "'")));
    }
    size_t damaged = 0;
    for (const auto& table : tables) damaged += check_one_table(ctx, base, table) ? 0 : 1;
    if (tables.size() > 1)
      fmt::print("{} tables checked: {} clean, {} damaged\n", tables.size(),
                 tables.size() - damaged, damaged);
    if (damaged > 0) ctx.exit_code = 1;
  });
}

}  // namespace

void add_lake_command(CLI::App& app, Context& ctx) {
  auto* lake = app.add_subcommand("lake", "inspect and maintain the Delta tables of the lake");
  lake->require_subcommand(1);
  static LakeArgs args;
  add_ls(*lake, ctx);
  add_history(*lake, ctx, args);
  add_schema(*lake, ctx, args);
  add_scan(*lake, ctx, args);
  add_import(*lake, ctx, args);
  add_optimize(*lake, ctx, args);
  add_vacuum(*lake, ctx, args);
  add_checkpoint(*lake, ctx, args);
  add_maintain(*lake, ctx, args);
  add_check(*lake, ctx, args);
}

}  // namespace sl::cli
