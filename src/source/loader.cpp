// Loader: parse, COPY into a temporary table, upsert with change counting, write rejects.
#include "source/loader.hpp"

#include <charconv>
#include <optional>
#include <unordered_set>

#include "common/fs.hpp"
#include "pg/copy_text.hpp"

namespace sl::source {

namespace {

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
  auto path =
      rejects_dir / (std::filesystem::path(report.file).filename().string() + ".rejects.csv");
  if (report.rejects.empty()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return {};
  }
  SL_TRY(fs::ensure_directory(rejects_dir));
  std::string out = "line,field,reason,row\n";
  for (const auto& r : report.rejects) {
    std::string row = r.raw_line;
    for (size_t i = 0; i < r.raw.size(); ++i) row += (i ? "," : "") + csv_field(r.raw[i]);
    out += std::to_string(r.line) + "," + csv_field(r.field) + "," + csv_field(r.reason) + "," +
           csv_field(row) + "\n";
  }
  SL_TRY(fs::write_file_atomic(path, out));
  report.rejects_file = path;
  return {};
}

Status copy_rows(pg::Connection& conn, const std::string& copy_sql, std::string_view data) {
  SL_ASSIGN_OR_RETURN(auto copy, conn.copy_in(copy_sql));
  constexpr size_t chunk = 1 << 20;
  for (size_t off = 0; off < data.size(); off += chunk) SL_TRY(copy.put(data.substr(off, chunk)));
  SL_TRY(copy.finish());
  return {};
}

// Steps 2-3 for one table, streamed. Under a SHARE ROW EXCLUSIVE lock (concurrent loaders wait;
// readers and CDC do not), the ids already stored decide where each row goes: new rows are
// COPYed straight into the table while the file is still being parsed (the server inserts while
// we parse), rows with a known id go through a temporary table and one UPDATE that rewrites only
// rows that differ (no WAL, no CDC event otherwise).
class TableUpsert {
 public:
  TableUpsert(pg::Connection& conn, std::string table, std::vector<std::string> columns)
      : conn_(conn), table_(std::move(table)), columns_(std::move(columns)) {
    for (size_t i = 0; i < columns_.size(); ++i) column_list_ += (i ? ", " : "") + columns_[i];
  }

  // BEGIN, lock, read the stored ids, open the COPY of new rows.
  Status begin() {
    SL_TRY(conn_.exec("BEGIN"));
    open_ = true;
    SL_TRY(conn_.exec("LOCK TABLE " + table_ + " IN SHARE ROW EXCLUSIVE MODE"));
    SL_ASSIGN_OR_RETURN(auto rows, conn_.exec("SELECT id FROM " + table_));
    existing_.reserve(static_cast<size_t>(rows.rows()));
    for (int r = 0; r < rows.rows(); ++r) {
      int64_t id = 0;
      auto v = rows.value(r, 0);
      std::from_chars(v.data(), v.data() + v.size(), id);
      existing_.insert(id);
    }
    SL_ASSIGN_OR_RETURN(auto copy,
                        conn_.copy_in("COPY " + table_ + " (" + column_list_ + ") FROM STDIN"));
    copy_.emplace(std::move(copy));
    return {};
  }

  // Routes one row; `render(out)` appends it as a COPY text line.
  template <class Render>
  Status add(int64_t id, Render render) {
    if (existing_.count(id)) {
      render(known_);
      ++known_rows_;
      return {};
    }
    render(fresh_);
    ++fresh_rows_;
    // Small chunks keep the server busy while we parse (it inserts as we go).
    if (fresh_.size() >= (64 << 10)) {
      SL_TRY(copy_->put(fresh_));
      fresh_.clear();
    }
    return {};
  }

  Status commit(LoadReport& report) {
    if (!fresh_.empty()) SL_TRY(copy_->put(fresh_));
    SL_TRY(copy_->finish());
    copy_.reset();
    report.inserted = fresh_rows_;
    if (known_rows_ > 0) {
      std::string staging = "load_" + table_;
      std::string updates, stored, incoming;
      for (const auto& c : columns_) {
        if (c == "id") continue;
        updates += (updates.empty() ? "" : ", ") + c + " = s." + c;
        stored += (stored.empty() ? "" : ", ") + table_ + "." + c;
        incoming += std::string(incoming.empty() ? "" : ", ") + "s." + c;
      }
      SL_TRY(conn_.exec("CREATE TEMPORARY TABLE " + staging + " (LIKE " + table_ +
                        ") ON COMMIT DROP"));
      SL_TRY(copy_rows(conn_, "COPY " + staging + " (" + column_list_ + ") FROM STDIN", known_));
      SL_ASSIGN_OR_RETURN(auto updated,
                          conn_.exec("UPDATE " + table_ + " SET " + updates + " FROM " + staging +
                                     " s WHERE " + table_ + ".id = s.id AND (" + stored +
                                     ") IS DISTINCT FROM (" + incoming + ")"));
      report.updated = updated.affected_rows();
    }
    SL_TRY(conn_.exec("COMMIT"));
    open_ = false;
    return {};
  }

  ~TableUpsert() {
    copy_.reset();  // cancels an unfinished COPY
    if (open_) (void)conn_.exec("ROLLBACK");
  }

 private:
  pg::Connection& conn_;
  std::string table_;
  std::vector<std::string> columns_;
  std::string column_list_;
  std::unordered_set<int64_t> existing_;
  std::optional<pg::CopyIn> copy_;
  std::string fresh_, known_;
  size_t fresh_rows_ = 0, known_rows_ = 0;
  bool open_ = false;
};

template <class Row>
LoadReport start_report(const ParsedFile<Row>& parsed, const std::filesystem::path& file,
                        std::string table) {
  LoadReport report;
  report.file = file.filename().string();
  report.table = std::move(table);
  report.read = parsed.rows.size() + parsed.rejects.size();
  report.rejects = parsed.rejects;
  report.format_note = parsed.format_note;
  return report;
}

}  // namespace

Result<LoadReport> load_employees(pg::Connection& conn, const std::filesystem::path& file,
                                  const std::filesystem::path& rejects_dir) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(file));
  LoadReport report;
  report.file = file.filename().string();
  report.table = "rh_employees";
  TableUpsert upsert(
      conn, "rh_employees",
      {"id", "nom", "prenom", "date_naissance", "date_embauche", "business_unit", "salaire_brut",
       "contrat", "nb_conges_payes", "adresse_complete", "moyen_deplacement"});
  if (auto begun = upsert.begin(); !begun) return begun.error().with_context("load " + report.file);
  size_t good = 0;
  auto summary = stream_employees(bytes, report.file, [&](const EmployeeRow& r, size_t) {
    ++good;
    return upsert.add(r.id, [&](std::string& data) {
      data += std::to_string(r.id);
      for (std::string_view text : {std::string_view(r.nom), std::string_view(r.prenom)}) {
        data += '\t';
        pg::append_copy_text(data, text);
      }
      data += '\t' + r.date_naissance.iso() + '\t' + r.date_embauche.iso() + '\t';
      pg::append_copy_text(data, r.business_unit);
      data += '\t';
      pg::append_copy_number(data, r.salaire_brut);
      data += '\t';
      pg::append_copy_text(data, r.contrat);
      data += '\t' + std::to_string(r.nb_conges_payes) + '\t';
      pg::append_copy_text(data, r.adresse_complete);
      data += '\t';
      pg::append_copy_text(data, r.moyen_deplacement);
      data += '\n';
    });
  });
  if (!summary) return summary.error();
  if (auto committed = upsert.commit(report); !committed)
    return committed.error().with_context("load " + report.file);
  report.read = summary->read;
  report.rejects = std::move(summary->rejects);
  report.format_note = std::move(summary->format_note);
  report.unchanged = good - report.inserted - report.updated;
  SL_TRY(write_rejects(report, rejects_dir));
  return report;
}

Result<LoadReport> load_sports(pg::Connection& conn, const std::filesystem::path& file,
                               const std::filesystem::path& rejects_dir) {
  SL_ASSIGN_OR_RETURN(auto bytes, fs::read_file(file));
  SL_ASSIGN_OR_RETURN(auto parsed, parse_sports(bytes, file.filename().string()));
  // A sport row must name a known employee.
  SL_ASSIGN_OR_RETURN(auto employee_ids, conn.exec("SELECT id FROM rh_employees"));
  std::unordered_set<int64_t> known;
  for (int i = 0; i < employee_ids.rows(); ++i)
    known.insert(std::stoll(std::string(employee_ids.value(i, 0))));
  ParsedFile<SportRow> kept;
  kept.rejects = std::move(parsed.rejects);
  kept.format_note = parsed.format_note;
  for (size_t i = 0; i < parsed.rows.size(); ++i) {
    if (!known.count(parsed.rows[i].id)) {
      kept.rejects.push_back(
          {parsed.lines[i],
           "ID salarié",
           "employee " + std::to_string(parsed.rows[i].id) +
               " is not in rh_employees (load the HR file first)",
           {std::to_string(parsed.rows[i].id), parsed.rows[i].pratique_sport.value_or("")}});
      continue;
    }
    kept.rows.push_back(parsed.rows[i]);
    kept.lines.push_back(parsed.lines[i]);
  }
  LoadReport report = start_report(kept, file, "sport_activities");
  TableUpsert upsert(conn, "sport_activities", {"id", "pratique_sport"});
  if (auto begun = upsert.begin(); !begun) return begun.error().with_context("load " + report.file);
  for (const auto& r : kept.rows) {
    SL_TRY(upsert.add(r.id, [&](std::string& data) {
      data += std::to_string(r.id) + '\t';
      if (r.pratique_sport) {
        pg::append_copy_text(data, *r.pratique_sport);
      } else {
        data += pg::k_copy_null;
      }
      data += '\n';
    }));
  }
  if (auto committed = upsert.commit(report); !committed)
    return committed.error().with_context("load " + report.file);
  report.unchanged = kept.rows.size() - report.inserted - report.updated;
  SL_TRY(write_rejects(report, rejects_dir));
  return report;
}

}  // namespace sl::source
