// Loader: parse, COPY into a temporary table, upsert with change counting, write rejects.
#include "source/loader.hpp"

#include <charconv>
#include <unordered_set>

#include "common/fs.hpp"

namespace sl::source {

namespace {

// Appends `value` as a COPY text-format field (tab, newline, backslash escaped).
void append_copy_text(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

void append_number(std::string& out, double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status write_rejects(LoadReport& report, const std::filesystem::path& rejects_dir) {
  auto path = rejects_dir / (std::filesystem::path(report.file).filename().string() + ".rejects.csv");
  if (report.rejects.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return {};
  }
  SL_TRY(fs::ensure_directory(rejects_dir));
  std::string out = "line,field,reason,row\n";
  for (const auto& r : report.rejects) {
    std::string row;
    for (size_t i = 0; i < r.raw.size(); ++i) row += (i ? "," : "") + csv_field(r.raw[i]);
    out += std::to_string(r.line) + "," + csv_field(r.field) + "," + csv_field(r.reason) + "," + csv_field(row) + "\n";
  }
  SL_TRY(fs::write_file_atomic(path, out));
  report.rejects_file = path;
  return {};
}

// Steps 2-3 for one table: `copy_data` is COPY text for the temporary table.
Status upsert(pg::Connection& conn, const std::string& table, const std::vector<std::string>& columns,
              const std::string& copy_data, LoadReport& report) {
  std::string cols, updates, stored, incoming;
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    cols += (i ? ", " : "") + c;
    if (c == "id") continue;
    updates += (updates.empty() ? "" : ", ") + c + " = EXCLUDED." + c;
    stored += (stored.empty() ? "" : ", ") + table + "." + c;
    incoming += std::string(incoming.empty() ? "" : ", ") + "EXCLUDED." + c;
  }
  std::string staging = "load_" + table;
  SL_TRY(conn.exec("BEGIN"));
  auto run = [&]() -> Status {
    SL_TRY(conn.exec("CREATE TEMPORARY TABLE " + staging + " (LIKE " + table + ") ON COMMIT DROP"));
    SL_ASSIGN_OR_RETURN(auto copy, conn.copy_in("COPY " + staging + " (" + cols + ") FROM STDIN"));
    constexpr size_t chunk = 1 << 20;
    for (size_t off = 0; off < copy_data.size(); off += chunk) {
      SL_TRY(copy.put(std::string_view(copy_data).substr(off, chunk)));
    }
    SL_TRY(copy.finish());
    // xmax = 0 on the returned row means it was inserted, not updated.
    SL_ASSIGN_OR_RETURN(auto counts, conn.exec(
        "WITH changed AS (INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + staging +
        " ON CONFLICT (id) DO UPDATE SET " + updates + " WHERE (" + stored + ") IS DISTINCT FROM (" + incoming +
        ") RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM changed"));
    report.inserted = std::stoull(std::string(counts.value(0, 0)));
    report.updated = std::stoull(std::string(counts.value(0, 1)));
    return {};
  };
  if (auto status = run(); !status) {
    (void)conn.exec("ROLLBACK");
    return status.error().with_context("load " + report.file);
  }
  SL_TRY(conn.exec("COMMIT"));
  return {};
}

template <class Row>
LoadReport start_report(const ParsedFile<Row>& parsed, const std::filesystem::path& file, std::string table) {
  LoadReport report;
  report.file = file.filename().string();
  report.table = std::move(table);
  report.read = parsed.rows.size() + parsed.rejects.size();
  report.rejects = parsed.rejects;
  report.encoding_note = parsed.encoding_note;
  return report;
}

}  // namespace

Result<LoadReport> load_employees(pg::Connection& conn, const std::filesystem::path& file,
                                  const std::filesystem::path& rejects_dir) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(file));
  SL_ASSIGN_OR_RETURN(auto parsed, parse_employees(bytes, file.filename().string()));
  LoadReport report = start_report(parsed, file, "rh_employees");
  std::string data;
  data.reserve(parsed.rows.size() * 160);
  for (const auto& r : parsed.rows) {
    data += std::to_string(r.id);
    for (std::string_view text : {std::string_view(r.nom), std::string_view(r.prenom)}) {
      data += '\t';
      append_copy_text(data, text);
    }
    data += '\t' + r.date_naissance.iso() + '\t' + r.date_embauche.iso() + '\t';
    append_copy_text(data, r.business_unit);
    data += '\t';
    append_number(data, r.salaire_brut);
    data += '\t';
    append_copy_text(data, r.contrat);
    data += '\t' + std::to_string(r.nb_conges_payes) + '\t';
    append_copy_text(data, r.adresse_complete);
    data += '\t';
    append_copy_text(data, r.moyen_deplacement);
    data += '\n';
  }
  SL_TRY(upsert(conn, "rh_employees",
                {"id", "nom", "prenom", "date_naissance", "date_embauche", "business_unit", "salaire_brut",
                 "contrat", "nb_conges_payes", "adresse_complete", "moyen_deplacement"},
                data, report));
  report.unchanged = parsed.rows.size() - report.inserted - report.updated;
  SL_TRY(write_rejects(report, rejects_dir));
  return report;
}

Result<LoadReport> load_sports(pg::Connection& conn, const std::filesystem::path& file,
                               const std::filesystem::path& rejects_dir) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(file));
  SL_ASSIGN_OR_RETURN(auto parsed, parse_sports(bytes, file.filename().string()));
  // A sport row must name a known employee.
  SL_ASSIGN_OR_RETURN(auto ids, conn.exec("SELECT id FROM rh_employees"));
  std::unordered_set<int64_t> known;
  for (int i = 0; i < ids.rows(); ++i) known.insert(std::stoll(std::string(ids.value(i, 0))));
  ParsedFile<SportRow> kept;
  kept.rejects = std::move(parsed.rejects);
  kept.encoding_note = parsed.encoding_note;
  for (size_t i = 0; i < parsed.rows.size(); ++i) {
    if (!known.count(parsed.rows[i].id)) {
      kept.rejects.push_back({parsed.lines[i], "ID salarié",
                              "employee " + std::to_string(parsed.rows[i].id) + " is not in rh_employees (load the HR file first)",
                              {std::to_string(parsed.rows[i].id), parsed.rows[i].pratique_sport.value_or("")}});
      continue;
    }
    kept.rows.push_back(parsed.rows[i]);
    kept.lines.push_back(parsed.lines[i]);
  }
  LoadReport report = start_report(kept, file, "sport_activities");
  std::string data;
  for (const auto& r : kept.rows) {
    data += std::to_string(r.id) + '\t';
    if (r.pratique_sport) {
      append_copy_text(data, *r.pratique_sport);
    } else {
      data += "\\N";
    }
    data += '\n';
  }
  SL_TRY(upsert(conn, "sport_activities", {"id", "pratique_sport"}, data, report));
  report.unchanged = kept.rows.size() - report.inserted - report.updated;
  SL_TRY(write_rejects(report, rejects_dir));
  return report;
}

}  // namespace sl::source
