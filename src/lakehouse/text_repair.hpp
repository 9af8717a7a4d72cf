// Double-encoded text ("mojibake"): UTF-8 bytes that were read as Latin-1 / Windows-1252 and
// written back as UTF-8, so "é" (C3 A9) became "Ã©". Silver repairs names when the repair is
// unambiguous and reports it in dq_issues.
//
// The repair maps every character back to the single byte it came from (U+0000-U+00FF as
// Latin-1, plus Windows-1252's 27 characters of 0x80-0x9F such as "€" and "’"); it is accepted
// only when every character has such a byte, the bytes form valid UTF-8 and at least one
// multi-byte sequence appears (otherwise the text was plain Latin-1 and there is nothing to
// repair). A text that merely looks damaged ("Ã" then a letter that makes no UTF-8 sequence) is
// left as it is: `looks_double_encoded` lets the caller report it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sl::lakehouse {

// The repaired text, or nullopt when `text` is not unambiguously double-encoded.
std::optional<std::string> repair_double_encoding(std::string_view text);

// Whether `text` shows the usual marks of double encoding ("Ã" or "Â" followed by a character
// read from a byte 0x80-0xBF, or "â€"), repairable or not.
bool looks_double_encoded(std::string_view text);

}  // namespace sl::lakehouse
