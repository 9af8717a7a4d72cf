// Reading parsed JSON (simdjson DOM) with errors that name the field: the one place where
// simdjson's error codes become sl::Error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/result.hpp"

namespace sl::delta::json {

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;

// Converts a simdjson error into Errc::parse naming `what`.
Error error(simdjson::error_code code, std::string_view what);

Result<Object> object_of(Element e, std::string_view what);
// Required members: Errc::parse "missing 'x'" or "'x' is not a string".
Result<std::string> required_string(Object o, std::string_view key, std::string_view where);
Result<int64_t> required_int(Object o, std::string_view key, std::string_view where);
Result<bool> required_bool(Object o, std::string_view key, std::string_view where);
// Optional members: absent or null → nullopt; present with another type → error.
Result<std::optional<std::string>> optional_string(Object o, std::string_view key,
                                                   std::string_view where);
Result<std::optional<int64_t>> optional_int(Object o, std::string_view key, std::string_view where);
Result<std::optional<bool>> optional_bool(Object o, std::string_view key, std::string_view where);
// An object of strings (null values allowed → nullopt); absent → empty.
Result<std::map<std::string, std::optional<std::string>>> string_map(Object o, std::string_view key,
                                                                     std::string_view where);
// An array of strings; absent or null → nullopt.
Result<std::optional<std::vector<std::string>>> string_list(Object o, std::string_view key,
                                                            std::string_view where);
// The member re-encoded as compact JSON (for free-form parts kept verbatim).
std::string to_json(Element e);
std::string to_json(Object o);

}  // namespace sl::delta::json
