// Transaction assembly and row events from pgoutput messages.
#include "cdc/event_builder.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace sl::cdc {

const pg::Relation* EventBuilder::relation(uint32_t oid) const {
  auto it = relations_.find(oid);
  return it == relations_.end() ? nullptr : it->second.get();
}

Status EventBuilder::row_event(Op op, uint32_t oid, std::optional<pg::Tuple> before,
                               std::optional<pg::Tuple> after, pg::Lsn lsn,
                               const EventSink& on_event) {
  const pg::Relation* rel = relation(oid);
  if (rel == nullptr) {
    return make_error(Errc::corrupt, "cdc: change for relation " + std::to_string(oid) +
                                         " before its Relation message");
  }
  for (const auto* tuple : {before ? &*before : nullptr, after ? &*after : nullptr}) {
    if (tuple && tuple->size() != rel->columns.size()) {
      return make_error(Errc::corrupt,
                        "cdc: " + rel->name + ": tuple of " + std::to_string(tuple->size()) +
                            " columns, relation has " + std::to_string(rel->columns.size()));
    }
  }
  ChangeEvent e;
  e.op = op;
  e.relation = rel;
  e.before = std::move(before);
  e.after = std::move(after);
  e.source.db = database_;
  e.source.schema = rel->schema;
  e.source.table = rel->name;
  e.source.ts_us = begin_.commit_time + pg::k_pg_epoch_unix_us;
  e.source.tx_id = begin_.xid;
  e.source.lsn = lsn;
  e.source.commit_lsn = begin_.final_lsn;
  e.source.last_commit_end = last_commit_end_;
  return on_event(e);
}

Status EventBuilder::feed(const pg::XLogData& data, pg::PgOutputMessage&& message,
                          const EventSink& on_event, const CommitSink& on_commit) {
  if (const auto* begin = std::get_if<pg::Begin>(&message)) {
    in_transaction_ = true;
    begin_ = *begin;
    return {};
  }
  if (const auto* rel = std::get_if<pg::Relation>(&message)) {
    auto& slot = relations_[rel->oid];
    if (slot) retired_.push_back(std::move(slot));
    slot = std::make_unique<pg::Relation>(*rel);
    const std::string table = rel->schema + "." + rel->name;
    if (lookup_) {
      if (auto catalog = lookup_(rel->schema, rel->name); catalog) {
        if (catalog->primary_key.empty())
          primary_keys_.erase(table);
        else
          primary_keys_[table] = std::move(catalog->primary_key);
        not_null_[table] = std::move(catalog->not_null);
        defaults_[table] = std::move(catalog->defaults);
        types_[table] = std::move(catalog->types);
      } else {
        spdlog::warn("cdc: catalog of {} not read ({}); keeping what was known", table,
                     catalog.error().to_string());
      }
    }
    auto listed = [](const std::vector<std::string>& names, const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (auto it = primary_keys_.find(table); it != primary_keys_.end()) {
      for (auto& column : slot->columns) column.is_key = listed(it->second, column.name);
    } else if (keys_known_ && slot->replica_identity == 'f') {
      // No primary key: pgoutput flags every column under FULL, Debezium sends a null key.
      for (auto& column : slot->columns) column.is_key = false;
    }
    if (auto it = not_null_.find(table); it != not_null_.end()) {
      for (auto& column : slot->columns) column.not_null = listed(it->second, column.name);
    }
    if (auto it = defaults_.find(table); it != defaults_.end()) {
      for (auto& column : slot->columns) {
        auto found = it->second.find(column.name);
        if (found != it->second.end()) column.default_text = found->second;
      }
    }
    if (auto it = types_.find(table); it != types_.end()) {
      for (auto& column : slot->columns) {
        auto found = it->second.find(column.name);
        if (found == it->second.end()) continue;
        column.element_type_oid = found->second.element_type_oid;
        column.enum_allowed = found->second.enum_allowed;
      }
    }
    return {};
  }
  if (const auto* commit = std::get_if<pg::Commit>(&message)) {
    retired_.clear();
    in_transaction_ = false;
    last_commit_end_ = commit->end_lsn;
    return on_commit ? on_commit(*commit) : Status{};
  }
  if (!in_transaction_ && !std::holds_alternative<pg::TypeInfo>(message) &&
      !std::holds_alternative<pg::Origin>(message) &&
      !std::holds_alternative<pg::LogicalMessage>(message)) {
    return make_error(Errc::corrupt,
                      "cdc: row change outside a transaction at " + data.wal_start.to_string());
  }
  if (auto* ins = std::get_if<pg::Insert>(&message)) {
    return row_event(Op::create, ins->relation_oid, std::nullopt, std::move(ins->new_tuple),
                     data.wal_start, on_event);
  }
  if (auto* upd = std::get_if<pg::Update>(&message)) {
    const pg::Relation* rel = relation(upd->relation_oid);
    std::optional<pg::Tuple> before = std::move(upd->old_tuple);
    pg::Tuple after = std::move(upd->new_tuple);
    if (rel && before) {
      // An unchanged TOASTed value is not sent in the new tuple; the full old row (REPLICA
      // IDENTITY FULL) still has it. A key-only old row (a primary-key change) has nulls there:
      // those are not the value, which stays Debezium's placeholder.
      for (size_t i = 0; i < after.size() && i < before->size(); ++i) {
        if (after[i].kind == pg::TupleValue::Kind::unchanged_toast &&
            ((*before)[i].kind == pg::TupleValue::Kind::text ||
             (*before)[i].kind == pg::TupleValue::Kind::binary)) {
          after[i] = (*before)[i];
        }
      }
      bool key_changed = false;
      for (size_t i = 0; i < rel->columns.size() && i < before->size(); ++i) {
        if (rel->columns[i].is_key && (*before)[i].kind != pg::TupleValue::Kind::null &&
            ((*before)[i].kind != after[i].kind || (*before)[i].data != after[i].data)) {
          key_changed = true;
        }
      }
      if (key_changed) {
        SL_TRY(row_event(Op::delete_, upd->relation_oid, before, std::nullopt, data.wal_start,
                         on_event));
        return row_event(Op::create, upd->relation_oid, std::nullopt, after, data.wal_start,
                         on_event);
      }
    }
    return row_event(Op::update, upd->relation_oid, std::move(before), std::move(after),
                     data.wal_start, on_event);
  }
  if (auto* del = std::get_if<pg::Delete>(&message)) {
    return row_event(Op::delete_, del->relation_oid, std::move(del->old_tuple), std::nullopt,
                     data.wal_start, on_event);
  }
  if (const auto* tr = std::get_if<pg::Truncate>(&message)) {
    for (uint32_t oid : tr->relation_oids)
      SL_TRY(row_event(Op::truncate, oid, std::nullopt, std::nullopt, data.wal_start, on_event));
    return {};
  }
  return {};  // Type, Origin, logical messages: nothing to emit
}

namespace {

// Rows of (table, column) → table → columns in row order.
std::map<std::string, std::vector<std::string>> by_table(const pg::QueryResult& rows) {
  std::map<std::string, std::vector<std::string>> out;
  for (int r = 0; r < rows.rows(); ++r)
    out[std::string(rows.value(r, 0))].emplace_back(rows.value(r, 1));
  return out;
}

}  // namespace

Result<std::map<std::string, std::vector<std::string>>> read_primary_keys(pg::Connection& conn) {
  SL_ASSIGN_OR_RETURN(
      auto rows,
      conn.exec(
          "SELECT n.nspname || '.' || c.relname, a.attname FROM pg_index i "
          "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
          "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
          "WHERE i.indisprimary AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          "ORDER BY 1, array_position(i.indkey::int2[], a.attnum)"));
  return by_table(rows);
}

Result<std::map<std::string, std::vector<std::string>>> read_not_null_columns(
    pg::Connection& conn) {
  SL_ASSIGN_OR_RETURN(
      auto rows,
      conn.exec(
          "SELECT n.nspname || '.' || c.relname, a.attname FROM pg_attribute a "
          "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN "
          "('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          "ORDER BY 1, a.attnum"));
  return by_table(rows);
}

Result<EventBuilder::TableCatalog> read_table_catalog(pg::Connection& conn,
                                                      const std::string& schema,
                                                      const std::string& table) {
  // A DEFAULT that is a constant is printed by pg_get_expr with the type's own output inside
  // quotes ('new'::text, '2026-01-01'::date), or bare (7, 1.5, true); anything else (now(),
  // nextval(...)) has no value here: Debezium then writes the type's zero.
  SL_ASSIGN_OR_RETURN(auto rows, conn.exec_params(
                                     R"(WITH c AS (SELECT a.attname, a.attnotnull, a.attnum, a.atttypid,
               COALESCE(array_position(i.indkey::int2[], a.attnum) + 1, 0) AS key_position,
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS e
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped)
           SELECT attname, attnotnull, key_position, CASE
             WHEN e ~ '^''.*''::[a-z][a-z0-9_ ,()]*$'
               THEN replace(substring(e from '^''(.*)''::'), '''''', '''')
             WHEN e ~ '^\(?-?[0-9]+(\.[0-9]+)?\)?$' THEN btrim(e, '()')
             WHEN e IN ('true', 'false') THEN left(e, 1) END
           , (SELECT t.typelem FROM pg_type t WHERE t.oid = c.atttypid AND t.typcategory = 'A'),
             (SELECT string_agg(en.enumlabel, ',' ORDER BY en.enumsortorder) FROM pg_enum en
                WHERE en.enumtypid IN (c.atttypid,
                                      (SELECT typelem FROM pg_type WHERE oid = c.atttypid)))
           FROM c ORDER BY key_position, attnum)",
                                     {schema, table}));
  EventBuilder::TableCatalog out;
  for (int r = 0; r < rows.rows(); ++r) {
    const std::string name(rows.value(r, 0));
    if (rows.value(r, 1) == "t") out.not_null.push_back(name);
    if (rows.value(r, 2) != "0") out.primary_key.push_back(name);
    if (!rows.is_null(r, 3)) out.defaults.emplace(name, std::string(rows.value(r, 3)));
    EventBuilder::TableCatalog::TypeInfo type;
    if (!rows.is_null(r, 4)) type.element_type_oid = static_cast<uint32_t>(std::stoul(std::string(rows.value(r, 4))));
    if (!rows.is_null(r, 5)) type.enum_allowed = std::string(rows.value(r, 5));
    if (type.element_type_oid || !type.enum_allowed.empty()) out.types.emplace(name, std::move(type));
  }
  return out;
}

void EventBuilder::apply_catalog(pg::Relation& rel, const TableCatalog& catalog) {
  for (auto& column : rel.columns) {
    if (auto it = catalog.defaults.find(column.name); it != catalog.defaults.end())
      column.default_text = it->second;
    if (auto it = catalog.types.find(column.name); it != catalog.types.end()) {
      column.element_type_oid = it->second.element_type_oid;
      column.enum_allowed = it->second.enum_allowed;
    }
  }
}

}  // namespace sl::cdc
