// Names of error categories and error formatting.
#include "common/result.hpp"

namespace sl {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
      return "invalid argument";
    case Errc::parse:
      return "parse error";
    case Errc::corrupt:
      return "corrupt data";
    case Errc::unsupported:
      return "unsupported";
    case Errc::not_found:
      return "not found";
    case Errc::already_exists:
      return "already exists";
    case Errc::conflict:
      return "conflict";
    case Errc::io:
      return "io error";
    case Errc::unavailable:
      return "unavailable";
    case Errc::timeout:
      return "timeout";
    case Errc::internal:
      return "internal error";
  }
  return "unknown error";
}

std::string Error::to_string() const {
  std::string out(errc_name(code));
  out += ": ";
  out += message;
  return out;
}

Error Error::with_context(std::string_view context) const {
  std::string prefixed(context);
  prefixed += ": ";
  prefixed += message;
  return Error{code, std::move(prefixed)};
}

}  // namespace sl
