// The initial snapshot: published tables read through a cursor under an exported snapshot.
#include "cdc/snapshot_reader.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace sl::cdc {

Result<std::vector<pg::Relation>> published_tables(pg::Connection& conn,
                                                   const std::string& publication) {
  SL_ASSIGN_OR_RETURN(
      auto tables,
      conn.exec_params(
          "SELECT c.oid, n.nspname, c.relname, c.relreplident FROM pg_publication_tables pt "
          "JOIN pg_namespace n ON n.nspname = pt.schemaname "
          "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename "
          "WHERE pt.pubname = $1 ORDER BY 2, 3",
          {publication}));
  std::vector<pg::Relation> out;
  for (int t = 0; t < tables.rows(); ++t) {
    pg::Relation rel;
    rel.oid = static_cast<uint32_t>(std::stoul(std::string(tables.value(t, 0))));
    rel.schema = std::string(tables.value(t, 1));
    rel.name = std::string(tables.value(t, 2));
    rel.replica_identity = tables.value(t, 3).empty() ? 'd' : tables.value(t, 3)[0];
    SL_ASSIGN_OR_RETURN(
        auto columns,
        conn.exec_params(
            "SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull, "
            "COALESCE((SELECT bool_or(a.attnum = ANY(i.indkey)) FILTER (WHERE i.indisprimary) "
            "          FROM pg_index i WHERE i.indrelid = a.attrelid), false), "
            "COALESCE((SELECT bool_or(a.attnum = ANY(i.indkey)) FILTER (WHERE i.indisreplident) "
            "          FROM pg_index i WHERE i.indrelid = a.attrelid), false), "
            "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary) "
            "FROM pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped "
            "AND a.attgenerated = '' ORDER BY a.attnum",
            {std::to_string(rel.oid)}));
    for (int c = 0; c < columns.rows(); ++c) {
      pg::RelationColumn column;
      column.name = std::string(columns.value(c, 0));
      column.type_oid = static_cast<uint32_t>(std::stoul(std::string(columns.value(c, 1))));
      column.type_modifier = std::stoi(std::string(columns.value(c, 2)));
      column.not_null = columns.value(c, 3) == "t";
      bool has_primary_key = columns.value(c, 6) == "t";
      column.is_key = has_primary_key ? columns.value(c, 4) == "t" : columns.value(c, 5) == "t";
      rel.columns.push_back(std::move(column));
    }
    // DEFAULTs, enum labels and array element types: the same as the stream's.
    SL_ASSIGN_OR_RETURN(auto catalog, read_table_catalog(conn, rel.schema, rel.name));
    EventBuilder::apply_catalog(rel, catalog);
    out.push_back(std::move(rel));
  }
  return out;
}

namespace {

std::string select_list(const pg::Relation& rel) {
  std::string sql;
  for (const auto& column : rel.columns) {
    if (!sql.empty()) sql += ", ";
    sql += pg::quote_identifier(column.name);
  }
  return sql.empty() ? "NULL" : sql;
}

// Holds back one row so the marker of the previous one can depend on what follows it.
class MarkedEmitter {
 public:
  explicit MarkedEmitter(const EventBuilder::EventSink& sink) : sink_(sink) {}

  Status row(ChangeEvent event, bool first_in_table) {
    if (pending_) SL_TRY(release(false));
    pending_ = std::move(event);
    pending_first_in_table_ = first_in_table;
    return {};
  }
  // The table ended: the held row is its last.
  void end_of_table() { pending_last_in_table_ = true; }
  Status finish() { return pending_ ? release(true) : Status{}; }

 private:
  Status release(bool last_in_snapshot) {
    ChangeEvent& e = *pending_;
    if (last_in_snapshot)
      e.source.snapshot = "last";
    else if (first_in_snapshot_)
      e.source.snapshot = "first";
    else if (pending_last_in_table_)
      e.source.snapshot = "last_in_data_collection";
    else if (pending_first_in_table_)
      e.source.snapshot = "first_in_data_collection";
    else
      e.source.snapshot = "true";
    first_in_snapshot_ = false;
    pending_last_in_table_ = false;
    auto st = sink_(e);
    pending_.reset();
    return st;
  }

  const EventBuilder::EventSink& sink_;
  std::optional<ChangeEvent> pending_;
  bool pending_first_in_table_ = false;
  bool pending_last_in_table_ = false;
  bool first_in_snapshot_ = true;
};

Status read_table(pg::Connection& conn, const pg::Relation& rel, const std::string& database,
                  const SnapshotOptions& options, MarkedEmitter& emitter, SnapshotStats& stats) {
  const std::string table = pg::quote_identifier(rel.schema) + "." + pg::quote_identifier(rel.name);
  SL_TRY(conn.exec("DECLARE sl_snapshot NO SCROLL CURSOR FOR SELECT " + select_list(rel) +
                   " FROM ONLY " + table));
  const std::string fetch = "FETCH " + std::to_string(options.fetch_rows) + " FROM sl_snapshot";
  bool first = true;
  for (;;) {
    SL_ASSIGN_OR_RETURN(auto rows, conn.exec(fetch));
    if (rows.rows() == 0) break;
    const int64_t read_time = options.now_us ? options.now_us() : 0;
    for (int r = 0; r < rows.rows(); ++r) {
      ChangeEvent e;
      e.op = Op::read;
      e.relation = &rel;
      pg::Tuple tuple(rel.columns.size());
      for (size_t c = 0; c < rel.columns.size(); ++c) {
        if (rows.is_null(r, static_cast<int>(c))) continue;  // Kind::null by default
        tuple[c].kind = pg::TupleValue::Kind::text;
        tuple[c].data = std::string(rows.value(r, static_cast<int>(c)));
      }
      e.after = std::move(tuple);
      e.source.db = database;
      e.source.schema = rel.schema;
      e.source.table = rel.name;
      e.source.ts_us = read_time;
      e.source.lsn = options.consistent_point;
      SL_TRY(emitter.row(std::move(e), first));
      first = false;
      ++stats.rows;
    }
  }
  SL_TRY(conn.exec("CLOSE sl_snapshot"));
  if (!first) emitter.end_of_table();
  ++stats.tables;
  return {};
}

}  // namespace

Result<SnapshotStats> read_snapshot(pg::Connection& conn, const SnapshotOptions& options,
                                    const EventBuilder::EventSink& on_event) {
  SL_TRY(conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
  auto run = [&]() -> Result<SnapshotStats> {
    if (!options.snapshot_name.empty())
      SL_TRY(conn.exec("SET TRANSACTION SNAPSHOT " + pg::quote_literal(options.snapshot_name)));
    SL_ASSIGN_OR_RETURN(auto database, conn.exec("SELECT current_database()"));
    const std::string db(database.value(0, 0));
    SL_ASSIGN_OR_RETURN(auto tables, published_tables(conn, options.publication));
    SnapshotStats stats;
    MarkedEmitter emitter(on_event);
    for (const auto& rel : tables) {
      const std::string name = rel.schema + "." + rel.name;
      if (!options.tables.empty() &&
          std::find(options.tables.begin(), options.tables.end(), name) == options.tables.end())
        continue;
      if (auto st = read_table(conn, rel, db, options, emitter, stats); !st)
        return st.error().with_context("cdc snapshot of " + rel.schema + "." + rel.name);
    }
    SL_TRY(emitter.finish());
    return stats;
  };
  auto stats = run();
  if (!stats) {
    (void)conn.exec("ROLLBACK");
    return stats.error();
  }
  SL_TRY(conn.exec("COMMIT"));
  return stats;
}

}  // namespace sl::cdc
