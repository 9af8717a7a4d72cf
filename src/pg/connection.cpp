// libpq wrappers: connection, results, COPY FROM STDIN, error conversion.
#include "pg/connection.hpp"

#include <libpq-fe.h>

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace sl::pg {

namespace {

// The one place where libpq's error state becomes an sl::Error.
Error to_error(const PGresult* result, const PGconn* conn, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
    if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
      message = primary;
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
      message += " (";
      message += detail;
      message += ")";
    }
  }
  if (message.empty() && conn != nullptr) {
    message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
  }
  Errc code = Errc::invalid_argument;
  if (sqlstate == "40001" || sqlstate == "40P01") {
    code = Errc::conflict;
  } else if (sqlstate.starts_with("08") || sqlstate.starts_with("57") ||
             sqlstate.starts_with("53") || (conn != nullptr && PQstatus(conn) == CONNECTION_BAD)) {
    code = Errc::unavailable;
  }
  std::string text = "pg: ";
  if (!sqlstate.empty()) text += sqlstate + " ";
  text += message;
  if (!what.empty()) text += " [" + std::string(what) + "]";
  return make_error(code, std::move(text));
}

std::string abbreviate(std::string_view sql) {
  constexpr size_t max = 80;
  std::string out(sql.substr(0, max));
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (sql.size() > max) out += "...";
  return out;
}

// Server notices ("relation already exists, skipping") go to the debug log, not to stderr.
void log_notice(void*, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  spdlog::debug("pg: {}", text);
}

}  // namespace

void QueryResult::Deleter::operator()(pg_result* result) const {
  PQclear(result);
}

QueryResult::QueryResult(pg_result* result) : result_(result) {}
int QueryResult::rows() const {
  return result_ ? PQntuples(result_.get()) : 0;
}
int QueryResult::columns() const {
  return result_ ? PQnfields(result_.get()) : 0;
}
bool QueryResult::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) == 1;
}
std::string_view QueryResult::value(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<size_t>(PQgetlength(result_.get(), row, column))};
}
std::optional<std::string> QueryResult::optional_value(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string(value(row, column));
}
std::string QueryResult::column_name(int column) const {
  return PQfname(result_.get(), column);
}
uint64_t QueryResult::affected_rows() const {
  if (!result_) return 0;
  const char* text = PQcmdTuples(result_.get());
  return (text && *text) ? std::strtoull(text, nullptr, 10) : 0;
}

Connection::Connection(Connection&& other) noexcept : conn_(other.conn_) {
  other.conn_ = nullptr;
}
Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_) PQfinish(conn_);
    conn_ = other.conn_;
    other.conn_ = nullptr;
  }
  return *this;
}
Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result<std::string> Connection::scram_verifier(const std::string& role,
                                              const std::string& password) {
  char* verifier = PQencryptPasswordConn(conn_, password.c_str(), role.c_str(), "scram-sha-256");
  if (verifier == nullptr) return last_error("encrypt password");
  std::string out = verifier;
  PQfreemem(verifier);
  return out;
}

Result<Connection> Connection::open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr)
    return make_error(Errc::unavailable, "pg: out of memory allocating a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    PQfinish(conn);
    return make_error(Errc::unavailable, "pg: cannot connect: " + message);
  }
  PQsetNoticeProcessor(conn, log_notice, nullptr);
  // Keep client-side text formats predictable whatever the server's defaults are.
  PGresult* r = PQexec(conn, "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'");
  PQclear(r);
  return Connection(conn);
}

Error Connection::last_error(std::string_view what) const {
  return to_error(nullptr, conn_, what);
}
Error Connection::result_error(pg_result* result, std::string_view what) const {
  return to_error(result, conn_, what);
}

Result<QueryResult> Connection::exec(std::string_view sql) {
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    auto err = result_error(result, abbreviate(sql));
    PQclear(result);
    return err;
  }
  return QueryResult(result);
}

Result<QueryResult> Connection::exec_params(std::string_view sql,
                                            const std::vector<std::optional<std::string>>& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    auto err = result_error(result, abbreviate(sql));
    PQclear(result);
    return err;
  }
  return QueryResult(result);
}

Result<CopyIn> Connection::copy_in(std::string_view copy_sql) {
  std::string text(copy_sql);
  PGresult* result = PQexec(conn_, text.c_str());
  if (PQresultStatus(result) != PGRES_COPY_IN) {
    auto err = result_error(result, abbreviate(copy_sql));
    PQclear(result);
    return err;
  }
  PQclear(result);
  return CopyIn(this);
}

int Connection::server_version() const {
  return PQserverVersion(conn_);
}

CopyIn::CopyIn(CopyIn&& other) noexcept : connection_(other.connection_), done_(other.done_) {
  other.done_ = true;
}

CopyIn::~CopyIn() {
  if (!done_) {
    PQputCopyEnd(connection_->conn_, "cancelled by client");
    while (PGresult* r = PQgetResult(connection_->conn_)) PQclear(r);
  }
}

Status CopyIn::put(std::string_view chunk) {
  if (PQputCopyData(connection_->conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) {
    return connection_->last_error("COPY data");
  }
  return {};
}

Result<uint64_t> CopyIn::finish() {
  done_ = true;
  if (PQputCopyEnd(connection_->conn_, nullptr) != 1) return connection_->last_error("COPY end");
  uint64_t rows = 0;
  std::optional<Error> failure;
  while (PGresult* result = PQgetResult(connection_->conn_)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      if (!failure) failure = connection_->result_error(result, "COPY");
    } else {
      rows = QueryResult(result).affected_rows();
      continue;  // QueryResult took ownership
    }
    PQclear(result);
  }
  if (failure) return *failure;
  return rows;
}

namespace {

// `text` between two `quote` characters, each one inside doubled (SQL's one escaping rule for
// both identifiers and standard-conforming string literals).
std::string quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

std::string quote_identifier(std::string_view name) { return quoted(name, '"'); }

std::string quote_literal(std::string_view value) { return quoted(value, '\''); }

}  // namespace sl::pg
