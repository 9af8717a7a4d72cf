// Server-side sorting, searching and pagination of a table's rows (`?sort=&dir=&q=&page=`), so
// a page or an API answer holds one page of 100,000 employees, never all of them.
//
// - sort: a column name of the batch (default: the caller's); dir: asc (default) or desc. Nulls
//   sort last in both directions; ties keep the table's order (stable), so pages do not shuffle.
// - q: the rows where any of the search columns contains q, ignoring case and accents (both
//   sides go through `search_folded`: `emile` finds `Émile`). Empty: every row.
// - page: 1-based; a page beyond the last shows the last (a search that shrinks the result
//   does not answer an empty page). page_size: 1..500 (default 50).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column.hpp"
#include "common/result.hpp"
#include "serve/i18n.hpp"

namespace sl::serve {

struct TableQuery {
  std::string sort;
  bool descending = false;
  std::string q;
  int64_t page = 1;
  int64_t page_size = 50;
};

struct TableQueryText {  // the parameters as the request has them ("" when absent)
  std::string_view sort, dir, q, page, page_size;
};

// The query of the parameters; `default_sort` when sort is absent. Errc::invalid_argument
// (message in `lang`) for an unknown column, a dir other than asc/desc, a page that is not a
// positive number, a page_size outside 1..500.
Result<TableQuery> parse_table_query(const TableQueryText& text, const columnar::RecordBatch& batch,
                                     std::string_view default_sort, Lang lang);

struct TablePage {
  std::vector<size_t> rows;  // the page's row numbers, in order
  int64_t total = 0;         // rows matching q
  int64_t page = 1;          // the page shown (clamped)
  int64_t pages = 1;         // at least 1
};

// Sort orders are kept per (batch, column, direction) for the last few batches, so the pages of
// an unchanged table cost a slice, not a sort of 100,000 rows. Thread-safe.
class TableQueryEngine {
 public:
  TablePage run(const std::shared_ptr<const columnar::RecordBatch>& batch, const TableQuery& query,
                const std::vector<std::string>& search_columns) const;

 private:
  struct Order {
    std::weak_ptr<const columnar::RecordBatch> batch;
    const columnar::RecordBatch* address = nullptr;
    std::string column;
    bool descending = false;
    std::shared_ptr<const std::vector<size_t>> rows;
  };
  // The searched columns' text, folded (search_folded), row after row (separated by '\n'), and where
  // each row starts: one std::string::find pass per search instead of 100,000 × columns.
  struct SearchText {
    std::weak_ptr<const columnar::RecordBatch> batch;
    const columnar::RecordBatch* address = nullptr;
    std::vector<std::string> columns;
    std::shared_ptr<const std::pair<std::string, std::vector<size_t>>> text;
  };
  std::shared_ptr<const std::vector<size_t>> order(
      const std::shared_ptr<const columnar::RecordBatch>& batch, const TableQuery& query) const;
  std::shared_ptr<const std::pair<std::string, std::vector<size_t>>> search_text(
      const std::shared_ptr<const columnar::RecordBatch>& batch,
      const std::vector<std::string>& columns) const;

  mutable std::mutex mutex_;
  mutable std::vector<Order> orders_;         // newest last, at most k_kept
  mutable std::vector<SearchText> searches_;  // newest last, at most k_kept
};

// `text` (UTF-8) made for comparison by a search: ASCII letters lowered; the letters of Latin-1
// (U+00C0–U+00FF) and Latin Extended-A (U+0100–U+017F) lowered to their base letters, as a
// Unicode NFD decomposition without its marks would give ("Émile" → "emile", "Ł" → "l"), the
// ligatures spelt out ("Œ" → "oe", "ß" → "ss", "Æ" → "ae"); combining marks U+0300–U+036F
// dropped (text already decomposed). Every other character, and bytes that are not UTF-8, stay
// as written: enough for French and the European names of an HR file, not a full Unicode
// collation (no Greek or Cyrillic case folding, no Vietnamese letters of Latin Extended
// Additional).
std::string search_folded(std::string_view text);

// The rows `rows` of `batch`, as a batch (for rows_json / rows_csv).
columnar::RecordBatch take_rows(const columnar::RecordBatch& batch,
                                const std::vector<size_t>& rows);

// The index of column `name` in `batch`, or -1.
int column_index(const columnar::RecordBatch& batch, std::string_view name);

}  // namespace sl::serve
