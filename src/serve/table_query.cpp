// Sorting, searching and paging a batch's rows.
#include "serve/table_query.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <numeric>

namespace sl::serve {

namespace {

constexpr size_t k_kept = 16;  // sort orders kept (7 Gold tables × a few sorts)
constexpr int64_t k_max_page_size = 500;

Result<int64_t> positive(std::string_view text, int64_t fallback, int64_t max, Lang lang,
                         std::string_view key) {
  if (text.empty()) return fallback;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > max)
    return make_error(Errc::invalid_argument,
                      fmt::format(fmt::runtime(tr(lang, key)), std::string(text)));
  return value;
}

// -1, 0, 1: a before, equal to, after b (both valid).
int compare_cells(const columnar::Column& c, size_t a, size_t b) {
  using columnar::TypeId;
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (c.type.id) {
    case TypeId::boolean:
      return cmp(c.bools[a], c.bools[b]);
    case TypeId::int32:
    case TypeId::date32:
      return cmp(c.i32[a], c.i32[b]);
    case TypeId::int64:
    case TypeId::timestamp_us:
      return cmp(c.i64[a], c.i64[b]);
    case TypeId::decimal:
      return columnar::is_wide_decimal(c.type) ? cmp(c.i128[a], c.i128[b])
                                               : cmp(c.i64[a], c.i64[b]);
    case TypeId::float32:
      return cmp(c.f32[a], c.f32[b]);
    case TypeId::float64:
      return cmp(c.f64[a], c.f64[b]);
    case TypeId::string:
    case TypeId::binary:
      return cmp(c.string_at(a), c.string_at(b));
    default:
      return 0;  // nested columns do not sort
  }
}

char ascii_lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// U+00C0..U+017F → base letters, by ranges of code points sharing one (lower-case) folding;
// a code point in none (× U+00D7, ÷ U+00F7) stays as written.
struct Folding {
  char32_t first, last;
  std::string_view folded;
};
constexpr Folding k_foldings[] = {
    {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},
    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},
    {0xD8, 0xD8, "o"},   {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},
    {0xDF, 0xDF, "ss"},  {0xE0, 0xE5, "a"},    {0xE6, 0xE6, "ae"},  {0xE7, 0xE7, "c"},
    {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},    {0xF0, 0xF0, "d"},   {0xF1, 0xF1, "n"},
    {0xF2, 0xF6, "o"},   {0xF8, 0xF8, "o"},    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},
    {0xFE, 0xFE, "th"},  {0xFF, 0xFF, "y"},    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},
    {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},  {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},
    {0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
    {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},  {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"},
    {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},  {0x162, 0x167, "t"}, {0x168, 0x173, "u"},
    {0x174, 0x175, "w"}, {0x176, 0x178, "y"},  {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
};

std::string_view folding_of(char32_t cp) {
  for (const Folding& f : k_foldings)
    if (cp >= f.first && cp <= f.last) return f.folded;
  return {};
}

}  // namespace

std::string search_folded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    // Two-byte sequences cover U+0080..U+07FF: Latin-1, Latin Extended-A and the combining marks.
    if ((lead & 0xE0) == 0xC0 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      const char32_t cp = (char32_t{lead} & 0x1F) << 6 |
                          (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      if (cp >= 0x300 && cp <= 0x36F) {  // a combining mark: the letter before it stays
        i += 2;
        continue;
      }
      const std::string_view folded = folding_of(cp);
      if (folded.empty())
        out.append(text.substr(i, 2));
      else
        out += folded;
      i += 2;
      continue;
    }
    out += ascii_lower(text[i]);
    ++i;
  }
  return out;
}

int column_index(const columnar::RecordBatch& batch, std::string_view name) {
  for (size_t c = 0; c < batch.schema.size(); ++c)
    if (batch.schema[c].name == name) return static_cast<int>(c);
  return -1;
}

Result<TableQuery> parse_table_query(const TableQueryText& text, const columnar::RecordBatch& batch,
                                     std::string_view default_sort, Lang lang) {
  TableQuery query;
  query.sort = std::string(text.sort.empty() ? default_sort : text.sort);
  if (!query.sort.empty() && column_index(batch, query.sort) < 0)
    return make_error(Errc::invalid_argument,
                      fmt::format(fmt::runtime(tr(lang, "error.bad_sort")), query.sort));
  if (text.dir == "desc")
    query.descending = true;
  else if (!text.dir.empty() && text.dir != "asc")
    return make_error(Errc::invalid_argument,
                      fmt::format(fmt::runtime(tr(lang, "error.bad_dir")), std::string(text.dir)));
  query.q = std::string(text.q.substr(0, 200));
  SL_ASSIGN_OR_RETURN(query.page, positive(text.page, 1, int64_t{1} << 40, lang, "error.bad_page"));
  SL_ASSIGN_OR_RETURN(query.page_size,
                      positive(text.page_size, 50, k_max_page_size, lang, "error.bad_page"));
  return query;
}

std::shared_ptr<const std::vector<size_t>> TableQueryEngine::order(
    const std::shared_ptr<const columnar::RecordBatch>& batch, const TableQuery& query) const {
  {
    std::lock_guard lock(mutex_);
    for (const Order& o : orders_)
      if (o.address == batch.get() && !o.batch.expired() && o.column == query.sort &&
          o.descending == query.descending)
        return o.rows;
  }
  std::vector<size_t> rows(batch->num_rows);
  std::iota(rows.begin(), rows.end(), size_t{0});
  const int c = column_index(*batch, query.sort);
  if (c >= 0) {
    const columnar::Column& col = batch->columns[static_cast<size_t>(c)];
    const bool desc = query.descending;
    std::stable_sort(rows.begin(), rows.end(), [&col, desc](size_t a, size_t b) {
      const bool va = col.is_valid(a), vb = col.is_valid(b);
      if (!va || !vb) return va && !vb;  // nulls last
      const int r = compare_cells(col, a, b);
      return desc ? r > 0 : r < 0;
    });
  }
  auto shared = std::make_shared<const std::vector<size_t>>(std::move(rows));
  std::lock_guard lock(mutex_);
  std::erase_if(orders_, [](const Order& o) { return o.batch.expired(); });
  if (orders_.size() >= k_kept) orders_.erase(orders_.begin());
  orders_.push_back({batch, batch.get(), query.sort, query.descending, shared});
  return shared;
}

std::shared_ptr<const std::pair<std::string, std::vector<size_t>>> TableQueryEngine::search_text(
    const std::shared_ptr<const columnar::RecordBatch>& batch,
    const std::vector<std::string>& columns) const {
  {
    std::lock_guard lock(mutex_);
    for (const SearchText& s : searches_)
      if (s.address == batch.get() && !s.batch.expired() && s.columns == columns) return s.text;
  }
  std::vector<const columnar::Column*> searched;
  for (const auto& name : columns) {
    const int c = column_index(*batch, name);
    if (c >= 0 && batch->columns[static_cast<size_t>(c)].type.id == columnar::TypeId::string)
      searched.push_back(&batch->columns[static_cast<size_t>(c)]);
  }
  std::pair<std::string, std::vector<size_t>> text;
  text.second.reserve(batch->num_rows + 1);
  for (size_t row = 0; row < batch->num_rows; ++row) {
    text.second.push_back(text.first.size());
    for (const columnar::Column* col : searched) {
      if (col->is_valid(row))
        for (char ch : search_folded(col->string_at(row))) text.first += ch == '\n' ? ' ' : ch;
      text.first += '\n';  // a match never spans two cells: q holds no newline
    }
  }
  text.second.push_back(text.first.size());
  auto shared =
      std::make_shared<const std::pair<std::string, std::vector<size_t>>>(std::move(text));
  std::lock_guard lock(mutex_);
  std::erase_if(searches_, [](const SearchText& s) { return s.batch.expired(); });
  if (searches_.size() >= k_kept) searches_.erase(searches_.begin());
  searches_.push_back({batch, batch.get(), columns, shared});
  return shared;
}

TablePage TableQueryEngine::run(const std::shared_ptr<const columnar::RecordBatch>& batch,
                                const TableQuery& query,
                                const std::vector<std::string>& search_columns) const {
  const auto sorted = order(batch, query);
  TablePage page;
  std::string needle;
  for (char ch : search_folded(query.q))
    if (ch != '\n' && ch != '\r') needle += ch;
  std::vector<size_t> matched;
  const std::vector<size_t>* rows = sorted.get();
  if (!needle.empty()) {
    const auto text = search_text(batch, search_columns);
    const std::string& haystack = text->first;
    const std::vector<size_t>& starts = text->second;
    std::vector<uint8_t> hit(batch->num_rows, 0);
    size_t row = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;) {
      while (row + 1 < starts.size() && starts[row + 1] <= at) ++row;  // hits come in order
      hit[row] = 1;
      at = haystack.find(needle, starts[row + 1]);  // the next row
    }
    for (size_t r : *sorted)
      if (hit[r]) matched.push_back(r);
    rows = &matched;
  }
  page.total = static_cast<int64_t>(rows->size());
  page.pages = std::max<int64_t>(1, (page.total + query.page_size - 1) / query.page_size);
  page.page = std::min(query.page, page.pages);
  const size_t begin = static_cast<size_t>((page.page - 1) * query.page_size);
  const size_t end = std::min(rows->size(), begin + static_cast<size_t>(query.page_size));
  if (begin < end)
    page.rows.assign(rows->begin() + static_cast<std::ptrdiff_t>(begin),
                     rows->begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

columnar::RecordBatch take_rows(const columnar::RecordBatch& batch,
                                const std::vector<size_t>& rows) {
  columnar::RecordBatch out;
  out.schema = batch.schema;
  for (const auto& field : batch.schema) out.columns.push_back(columnar::Column::for_field(field));
  for (size_t row : rows)
    for (size_t c = 0; c < batch.columns.size(); ++c)
      out.columns[c].append_rows(batch.columns[c], row, row + 1);
  out.num_rows = rows.size();
  return out;
}

}  // namespace sl::serve
