// Transaction: one atomic change to a table — the actions of a commit, published as the next
// `_delta_log/NNN.json` with put-if-absent, with conflict detection and retry (PROTOCOL.md
// "Optimistic concurrency control"; checks as in Spark's ConflictChecker).
//
// Order of use:
// 1. begin from a snapshot (or `for_new_table` to create version 0);
// 2. add actions: set_metadata / set_protocol, add_files, remove_files, set_app_transaction,
//    set_operation (commitInfo);
// 3. commit(): try version read+1; when another writer took it, read every newer commit (the
//    "winners") and abort with Errc::conflict if one of them
//      - changed the metaData or the protocol,
//      - committed a txn for our app id (an idempotent writer must re-read its position),
//      - removed a file we remove (delete/delete), or
//      - for a transaction that read the table (overwrite): added or removed data files;
//    otherwise retry at the next version. Blind appends (adds only) therefore always land.
// Data files must be written before commit(); after a failed commit they are orphans that
// vacuum collects. Not thread-safe; use one Transaction per writer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "delta/actions.hpp"
#include "delta/snapshot.hpp"
#include "delta/storage.hpp"

namespace sl::delta {

constexpr std::string_view k_engine_info = "sportlake/0.1.0";

struct CommitResult {
  int64_t version = 0;
  int attempts = 1;
};

struct TransactionOptions {
  int max_attempts = 1000;          // blind appends under heavy contention retry often
  std::function<int64_t()> now_ms;  // clock; system clock when empty
};

// The time from `clock`, or the system clock (ms since the epoch) when it is empty.
int64_t now_ms(const std::function<int64_t()>& clock);

class Transaction {
 public:
  static Transaction for_snapshot(Storage& storage, const Snapshot& snapshot,
                                  TransactionOptions options = {});
  static Transaction for_new_table(Storage& storage, TransactionOptions options = {});

  void set_metadata(Metadata metadata) { metadata_ = std::move(metadata); }
  void set_protocol(Protocol protocol) { protocol_ = std::move(protocol); }
  void add_files(std::vector<Add> adds);
  void remove_files(std::vector<Remove> removes);
  // A txn action; several applications may be set (one txn each; the same one again replaces
  // it). A concurrent commit with a txn of any of them is a conflict.
  void set_app_transaction(std::string app_id, int64_t version);
  // commitInfo operation ("WRITE", "CREATE TABLE", "OPTIMIZE", "STREAMING UPDATE"...) and its
  // parameters (strings, as Spark writes them), plus metrics.
  void set_operation(std::string operation, StringMap parameters, StringMap metrics = {});
  // The transaction read the data it replaces (overwrite, delete): concurrent data changes abort
  // it.
  void set_read_whole_table(bool read) { read_whole_table_ = read; }

  // The commit's actions as they would be written (commitInfo first), for tests and dry runs.
  std::vector<Action> actions(int64_t version) const;

  Result<CommitResult> commit();

 private:
  Transaction(Storage& storage, std::optional<Snapshot> snapshot, TransactionOptions options);
  int64_t now() const;
  bool is_blind_append() const;
  // Errc::conflict naming the winner's version and the reason, or OK.
  Status check_winner(int64_t version, const std::vector<Action>& winner) const;

  Storage& storage_;
  std::optional<Snapshot> read_snapshot_;
  TransactionOptions options_;
  std::optional<Metadata> metadata_;
  std::optional<Protocol> protocol_;
  std::vector<Add> adds_;
  std::vector<Remove> removes_;
  std::vector<Txn> txns_;  // one per application id
  std::string operation_ = "WRITE";
  StringMap operation_parameters_;
  StringMap operation_metrics_;
  bool read_whole_table_ = false;
  std::string txn_id_;
};

}  // namespace sl::delta
