// libFuzzer target: the table search's folding (`search_folded`, src/serve/table_query.hpp) of
// what any client sends as `?q=` and of every searched cell: any bytes, UTF-8 or not.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "serve/table_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string folded = sl::serve::search_folded(text);
  // Never longer than the input (the search text's memory is bounded by the cells'), and no
  // ASCII capital survives.
  if (folded.size() > text.size()) std::abort();
  for (char c : folded)
    if (c >= 'A' && c <= 'Z') std::abort();
  return 0;
}
