// GoldReader: the lake tables the dashboard shows, read on each request (a refresh may have
// committed a new version meanwhile; a Delta snapshot is consistent by construction). Read-only.
//
// What a request costs when nothing changed: one short listing of each table's `_delta_log/`
// from the version seen last (`version`: a few names, no JSON parsed), then memory. The rows are
// decoded only when a table's version changed:
//   - a year's rows per (table, year, Delta version) (`year_rows`): 100,000 employees are ~20 MB
//     per per-employee table and year; one version per (table, year) is kept, so the cache is
//     bounded by the years refreshed;
//   - one employee's rows of a table (`rows_of`): the table's columns asked are read once per
//     version into a `KeyIndex` (serve/key_index.hpp): per data file, the rows sorted by the
//     employee's id in an unnamed temporary file, and in memory 16 bytes per (employee, file).
//     The page reads a few KB instead of every file of Silver `activities` (unsorted: the files'
//     and row groups' min/max of employee_id span every id, and skip nothing). With
//     `keep_indexes_fresh` (the server) the tables `index` names are indexed at once, and a new
//     version in the background, file by file (the files it shares with the previous version
//     are not read again); until it is ready the previous version's index answers: no request
//     waits for the decoding, at start or after a refresh.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "delta/lake.hpp"
#include "serve/key_index.hpp"

namespace sl::serve {

using SharedBatch = std::shared_ptr<const columnar::RecordBatch>;

class GoldReader {
 public:
  explicit GoldReader(delta::Lake lake) : lake_(std::move(lake)) {}
  ~GoldReader();
  GoldReader(const GoldReader&) = delete;
  GoldReader& operator=(const GoldReader&) = delete;

  // Indexes `layer`/`table` by `key_column` with `columns`, as `rows_of` asks, now: in the
  // background with keep_indexes_fresh (the server, at start: its first employee page must not
  // pay for the decoding), else at the first rows_of.
  void index(delta::Layer layer, const std::string& table, const std::string& key_column,
             const std::vector<std::string>& columns = {}) const;
  // Has every index asked for (`index`, `rows_of`) been built once (or found its table
  // missing)? The server's readiness (/readyz).
  bool indexes_ready() const;

  // From now on, one thread looks every `every` for new versions of the indexed tables
  // (`rows_of`) and indexes them while requests keep reading the previous index; a request
  // that finds its index older than the table's version also wakes it.
  void keep_indexes_fresh(std::chrono::milliseconds every = std::chrono::milliseconds(1000));

  // The Gold tables the API serves, by name.
  static const std::vector<std::string>& gold_tables();
  // The Silver tables the employee page reads.
  static const std::vector<std::string>& employee_silver_tables();

  // The latest version of a table (its log listed from the version seen last). Errc::not_found
  // when the table does not exist.
  Result<int64_t> version(delta::Layer layer, const std::string& table) const;
  // The versions of every Gold table (and of the employee page's Silver tables with
  // `with_silver`) as one text, "3.7.7.3.3.3.3": what a cached answer was drawn from. A refresh
  // commits new versions, so the text changes and the answers cached under the old one are
  // stale. Errc::not_found while a table is missing (nothing to cache then). With `with_silver`
  // (the employee answers), an indexed table counts with the version its index answers from
  // (older than the log's while the new one is built in the background).
  Result<std::string> versions_key(bool with_silver) const;

  // The rows of gold/<table> for `year` (its partition only); Errc::not_found when the table
  // does not exist (no refresh yet) or is not a Gold table. Shared, never modified: the same
  // pointer while the table's version stays (callers may key their own caches on it).
  Result<SharedBatch> year_rows(const std::string& table, int year) const;
  // The rows of `layer`/`table` whose integer column `key_column` equals `key`, with `columns`
  // (every column when empty; the key column among them), in the table's order. Errc::not_found
  // when the table does not exist, Errc::invalid_argument when it has no such key column. From
  // the previous version's index while the new one is built in the background.
  Result<columnar::RecordBatch> rows_of(delta::Layer layer, const std::string& table,
                                        const std::string& key_column, int64_t key,
                                        const std::vector<std::string>& columns = {}) const;
  // silver/dq_issues, whole.
  Result<columnar::RecordBatch> dq_issues() const;
  // The years gold/kpi_summary holds, newest first.
  Result<std::vector<int>> years() const;
  // The lake it reads (the employee page reads Silver too).
  const delta::Lake& lake() const { return lake_; }

 private:
  struct Cached {
    int64_t version = -1;
    SharedBatch rows;
  };
  // What is indexed (a table, its key column, the columns asked) and its latest index.
  struct Keyed {
    delta::Layer layer;
    std::string table;
    std::string name;      // "silver/activities": its metrics' label
    std::string location;  // the table's storage describe(""): seen_versions_' key
    std::string key_column;
    std::vector<std::string> columns;
    std::mutex building;  // one decoding at a time; a first request meanwhile waits for it
    std::shared_ptr<const KeyIndex> ready;  // under mutex_
    bool attempted = false;  // under mutex_: a first build was tried (indexes_ready)
  };
  // The entry of that index, registered at its first use (and then indexed in the background).
  std::shared_ptr<Keyed> keyed_for(delta::Layer layer, const std::string& table,
                                   const std::string& key_column,
                                   const std::vector<std::string>& columns) const;
  // `by`: "request" or "background", for the builds' counter.
  Result<std::shared_ptr<const KeyIndex>> build_index(const Keyed& keyed, int64_t version,
                                                      const char* by) const;
  // The index of `keyed` at `version` (or a newer one with `or_newer`), built here when it is
  // not (one build at a time: under keyed.building).
  Result<std::shared_ptr<const KeyIndex>> index_at(Keyed& keyed, int64_t version, bool or_newer,
                                                   const char* by) const;
  void refresh_loop(std::chrono::milliseconds every);

  delta::Lake lake_;
  mutable std::mutex mutex_;
  mutable std::map<std::pair<std::string, int>, Cached> cache_;
  mutable std::map<std::string, int64_t> seen_versions_;  // by table location
  mutable std::map<std::string, std::shared_ptr<Keyed>> keyed_;
  mutable int64_t years_version_ = -1;  // of gold/kpi_summary
  mutable std::vector<int> years_;
  // keep_indexes_fresh's thread (under mutex_: stop_, wake_).
  mutable std::condition_variable refresh_wanted_;
  mutable bool wake_ = false;
  bool stop_ = false;
  std::thread refresher_;
};

}  // namespace sl::serve
