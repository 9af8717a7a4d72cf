// job_failures: recording the items a job skipped, and running one item under a SAVEPOINT.
#include "lakehouse/job_failures.hpp"

#include <exception>

namespace sl::lakehouse {

namespace {

// The length of the valid UTF-8 sequence at `text[i]`, or 0.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4;
  else
    return 0;
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) >= 0xA0) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
  return n;
}

}  // namespace

std::string clean_text(std::string_view text, size_t max_bytes) {
  constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD
  constexpr std::string_view k_ellipsis = "…";
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_sequence(text, i);
    std::string_view piece = n == 0 ? k_replacement : text.substr(i, n);
    if (n == 1 && (static_cast<unsigned char>(text[i]) < 0x20 || text[i] == 0x7F)) piece = " ";
    if (out.size() + piece.size() > max_bytes) {
      // Cut: make room for the ellipsis at a character boundary.
      while (!out.empty() && out.size() + k_ellipsis.size() > max_bytes) {
        size_t end = out.size() - 1;
        while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
        out.resize(end);
      }
      if (out.size() + k_ellipsis.size() <= max_bytes) out += k_ellipsis;
      return out;
    }
    out += piece;
    i += n == 0 ? 1 : n;
  }
  return out;
}

Status record_job_failure(pg::Connection& sql, std::string_view job, const JobFailure& failure) {
  SL_TRY(sql.exec_params(
      "INSERT INTO job_failures (job, item, employee_id, error) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (job, item) DO UPDATE SET employee_id = EXCLUDED.employee_id, "
      "error = EXCLUDED.error, failures = job_failures.failures + 1, last_failed_at = now()",
      {std::string(job), clean_text(failure.item, 200),
       failure.employee_id ? std::optional<std::string>(std::to_string(*failure.employee_id))
                           : std::nullopt,
       clean_text(failure.error)}));
  return {};
}

Status replace_job_failures(pg::Connection& sql, std::string_view job, std::string_view scope,
                            const std::vector<JobFailure>& failing) {
  // The items still failing, as a text array literal for `<> ALL`.
  std::string items = "{";
  for (size_t i = 0; i < failing.size(); ++i) {
    if (i) items += ',';
    items += '"';
    for (char c : clean_text(failing[i].item, 200)) {
      if (c == '"' || c == '\\') items += '\\';
      items += c;
    }
    items += '"';
  }
  items += '}';
  SL_TRY(sql.exec_params(
      "DELETE FROM job_failures WHERE job = $1 AND starts_with(item, $2) AND item <> ALL ($3)",
      {std::string(job), std::string(scope), items}));
  for (const auto& f : failing) SL_TRY(record_job_failure(sql, job, f));
  return {};
}

Result<std::vector<OpenJobFailure>> open_job_failures(pg::Connection& sql,
                                                      std::optional<std::string_view> job) {
  SL_ASSIGN_OR_RETURN(
      auto rows,
      sql.exec_params(
          "SELECT job, item, employee_id, error, failures, "
          "to_char(first_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
          "to_char(last_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
          "FROM job_failures WHERE $1::text IS NULL OR job = $1 "
          "ORDER BY job, last_failed_at DESC, item",
          {job ? std::optional<std::string>(std::string(*job)) : std::nullopt}));
  std::vector<OpenJobFailure> open;
  open.reserve(static_cast<size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    OpenJobFailure f;
    f.job = rows.value(r, 0);
    f.item = rows.value(r, 1);
    if (!rows.is_null(r, 2)) f.employee_id = std::stoll(std::string(rows.value(r, 2)));
    f.error = rows.value(r, 3);
    f.failures = std::stoll(std::string(rows.value(r, 4)));
    f.first_failed_at = rows.value(r, 5);
    f.last_failed_at = rows.value(r, 6);
    open.push_back(std::move(f));
  }
  return open;
}

Result<int64_t> dismiss_job_failures(pg::Connection& sql, std::string_view job,
                                     const std::vector<std::string>& items) {
  if (items.empty()) {
    SL_ASSIGN_OR_RETURN(auto deleted, sql.exec_params("DELETE FROM job_failures WHERE job = $1",
                                                      {std::string(job)}));
    return static_cast<int64_t>(deleted.affected_rows());
  }
  int64_t count = 0;
  SL_TRY(sql.exec("BEGIN"));
  for (const auto& item : items) {
    auto deleted = sql.exec_params("DELETE FROM job_failures WHERE job = $1 AND item = $2",
                                   {std::string(job), item});
    if (!deleted) {
      (void)sql.exec("ROLLBACK");
      return deleted.error();
    }
    count += static_cast<int64_t>(deleted->affected_rows());
  }
  SL_TRY(sql.exec("COMMIT"));
  return count;
}

Status record_rejected_record(pg::Connection& sql, std::string_view job,
                              const cdc::RejectedRecord& record) {
  return record_job_failure(sql, job, {.item = record.item(), .employee_id = {}, .error = record.reason});
}

Result<Status> isolated(pg::Connection& sql, const std::function<Status()>& step) {
  SL_TRY(sql.exec("SAVEPOINT sl_item"));
  Status status;
  try {
    status = step();
  } catch (const std::exception& e) {
    status = make_error(Errc::internal, std::string("unexpected exception: ") + e.what());
  }
  if (!status) {
    SL_TRY(sql.exec("ROLLBACK TO SAVEPOINT sl_item"));
    SL_TRY(sql.exec("RELEASE SAVEPOINT sl_item"));
    return status;
  }
  SL_TRY(sql.exec("RELEASE SAVEPOINT sl_item"));
  return Status{};
}

}  // namespace sl::lakehouse
