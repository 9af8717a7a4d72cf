// Fuzz target: a Delta commit file (actions JSON lines) and a schemaString must parse or fail
// cleanly; what parses re-encodes and parses again to the same actions.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "delta/actions_json.hpp"
#include "delta/schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto actions = sl::delta::parse_commit(text, "fuzz.json");
  if (actions.ok()) {
    auto again = sl::delta::parse_commit(sl::delta::commit_to_json(*actions), "again.json");
    if (!again.ok() || again->size() != actions->size()) std::abort();
  }
  (void)sl::delta::parse_schema_json(text);
  return 0;
}
