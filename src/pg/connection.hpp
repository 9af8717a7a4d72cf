// Connection and QueryResult: RAII wrappers over libpq's PGconn and PGresult.
//
// Every failure becomes an sl::Error whose message carries the server's SQLSTATE and text
// ("pg: 23505 duplicate key value violates unique constraint ..."). Connection failures are
// Errc::unavailable (retryable); statement failures are Errc::invalid_argument, or Errc::conflict
// for serialization failures and deadlocks (40001, 40P01), which a retry may cure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

struct pg_conn;
struct pg_result;

namespace sl::pg {

class QueryResult {
 public:
  QueryResult() = default;
  explicit QueryResult(pg_result* result);

  int rows() const;
  int columns() const;
  bool is_null(int row, int column) const;
  std::string_view value(int row, int column) const;
  std::optional<std::string> optional_value(int row, int column) const;
  std::string column_name(int column) const;
  // Number of rows touched by INSERT/UPDATE/DELETE/COPY (0 for other commands).
  uint64_t affected_rows() const;

 private:
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Deleter> result_;
};

class Connection;

// An open `COPY ... FROM STDIN`: put() chunks of COPY text/CSV, then finish() (or the destructor
// cancels). The connection may not be used for anything else until then.
class CopyIn {
 public:
  CopyIn(CopyIn&& other) noexcept;
  CopyIn& operator=(CopyIn&&) = delete;
  ~CopyIn();

  Status put(std::string_view chunk);
  // Ends the COPY and returns the number of rows the server stored.
  Result<uint64_t> finish();

 private:
  friend class Connection;
  explicit CopyIn(Connection* connection) : connection_(connection) {}
  Connection* connection_;
  bool done_ = false;
};

class Connection {
 public:
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  // `conninfo` is a libpq keyword/value string or a postgresql:// URL.
  static Result<Connection> open(const std::string& conninfo);

  // Simple query protocol: may hold several statements; returns the last statement's result.
  Result<QueryResult> exec(std::string_view sql);
  // Extended protocol with text parameters ($1, $2...); nullopt is SQL NULL.
  Result<QueryResult> exec_params(std::string_view sql,
                                  const std::vector<std::optional<std::string>>& params);
  Result<CopyIn> copy_in(std::string_view copy_sql);

  // The SCRAM-SHA-256 verifier of `password` for `role`, computed here (libpq), so that
  // `ALTER ROLE ... PASSWORD '<verifier>'` never sends the password itself to the server (nor
  // to its logs).
  Result<std::string> scram_verifier(const std::string& role, const std::string& password);

  // Server version as an integer (150018 for 15.18).
  int server_version() const;
  // For pg-internal code only (replication protocol).
  pg_conn* native() { return conn_; }

 private:
  friend class CopyIn;
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  Error last_error(std::string_view what) const;
  Error result_error(pg_result* result, std::string_view what) const;

  pg_conn* conn_ = nullptr;
};

// Quotes an SQL identifier ("my table" → "\"my table\"").
std::string quote_identifier(std::string_view name);
// Quotes an SQL string literal ('it''s').
std::string quote_literal(std::string_view value);

}  // namespace sl::pg
