// EventBuilder: decoded pgoutput messages → ChangeEvents, in commit order.
//
// Keeps the relation cache (replaced on every Relation message, so ADD/DROP COLUMN mid-stream is
// followed) and the open transaction (Begin gives xid, commit time and commit LSN). Events are
// passed on as they are decoded, without buffering the transaction (a 1M-row transaction costs no
// memory); the Commit is passed on after them: that is when a sink makes its writes durable and
// acknowledges `commit.end_lsn`. An UPDATE that changes the primary key becomes a delete of the
// old key and a create of the new one (Debezium's behaviour).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cdc/change_event.hpp"
#include "common/result.hpp"
#include "pg/connection.hpp"
#include "pg/pgoutput_messages.hpp"
#include "pg/replication_stream.hpp"

namespace sl::cdc {

class EventBuilder {
 public:
  explicit EventBuilder(std::string database) : database_(std::move(database)) {}

  using EventSink = std::function<Status(const ChangeEvent&)>;
  using CommitSink = std::function<Status(const pg::Commit&)>;

  // Feeds one message (with its XLogData position); row events go to `on_event` at once, the end
  // of each transaction to `on_commit`.
  // The message is consumed (its tuples move into the events).
  Status feed(const pg::XLogData& data, pg::PgOutputMessage&& message, const EventSink& on_event,
              const CommitSink& on_commit = nullptr);

  const pg::Relation* relation(uint32_t oid) const;

  // Primary-key columns per "schema.table". pgoutput flags every column as key under REPLICA
  // IDENTITY FULL, so event keys (and primary-key change detection) come from this catalog
  // information when it is known, from the relation's key flags otherwise.
  // Once they are set, a table missing from them has no primary key: under REPLICA IDENTITY
  // FULL its events have no key (Debezium's null key) and its updates stay updates.
  void set_primary_keys(std::map<std::string, std::vector<std::string>> keys) {
    primary_keys_ = std::move(keys);
    keys_known_ = true;
  }
  // NOT NULL columns per "schema.table" (pgoutput does not send nullability; Connect schemas
  // need it), so streamed and snapshot events of a table carry the same schema.
  void set_not_null_columns(std::map<std::string, std::vector<std::string>> columns) {
    not_null_ = std::move(columns);
  }
  // Reads one table's catalog again, called on every Relation message (the first change of a
  // table in a session, and after each ALTER TABLE), so a column or a table added mid-stream
  // gets its key and NOT NULL flags without a restart. The catalog is the current one, not the
  // one at the message's WAL position (a later ALTER already committed shows early).
  struct TableCatalog {
    std::vector<std::string> primary_key;
    std::vector<std::string> not_null;
    std::map<std::string, std::string> defaults;  // constant DEFAULTs in text form, by column
    // Per column with a user-defined type: the element type of an array type, and the enum
    // labels (of the type or of its elements), comma-joined in sort order.
    struct TypeInfo {
      uint32_t element_type_oid = 0;
      std::string enum_allowed;
    };
    std::map<std::string, TypeInfo> types;
  };
  // Sets the catalog facts that pgoutput does not send (key, NOT NULL, DEFAULT, enum labels,
  // array element types) on `rel`'s columns (the stream's Relation messages and the snapshot).
  static void apply_catalog(pg::Relation& rel, const TableCatalog& catalog);
  using CatalogLookup =
      std::function<Result<TableCatalog>(const std::string& schema, const std::string& table)>;
  void set_catalog_lookup(CatalogLookup lookup) { lookup_ = std::move(lookup); }
  // The end of the last commit before the stream's first transaction (the slot's start
  // position): `source.last_commit_end` of that first transaction's events.
  void set_last_commit_end(pg::Lsn end) { last_commit_end_ = end; }

 private:
  Status row_event(Op op, uint32_t oid, std::optional<pg::Tuple> before,
                   std::optional<pg::Tuple> after, pg::Lsn lsn, const EventSink& on_event);

  std::string database_;
  std::map<uint32_t, std::unique_ptr<pg::Relation>> relations_;
  // Relations replaced mid-transaction stay alive until the transaction's events are emitted.
  std::vector<std::unique_ptr<pg::Relation>> retired_;
  bool in_transaction_ = false;
  pg::Begin begin_;
  std::map<std::string, std::vector<std::string>> primary_keys_;
  std::map<std::string, std::vector<std::string>> not_null_;
  std::map<std::string, std::map<std::string, std::string>> defaults_;
  std::map<std::string, std::map<std::string, TableCatalog::TypeInfo>> types_;
  bool keys_known_ = false;
  CatalogLookup lookup_;
  pg::Lsn last_commit_end_;
};

// A CatalogLookup on `conn` (which must outlive it).
Result<EventBuilder::TableCatalog> read_table_catalog(pg::Connection& conn,
                                                      const std::string& schema,
                                                      const std::string& table);

// The primary-key columns of every user table, from the catalog ("schema.table" → columns).
Result<std::map<std::string, std::vector<std::string>>> read_primary_keys(pg::Connection& conn);
// The NOT NULL columns of every user table ("schema.table" → columns).
Result<std::map<std::string, std::vector<std::string>>> read_not_null_columns(pg::Connection& conn);

}  // namespace sl::cdc
