// sl::Error and sl::Result<T>: the value-or-error type every public module API returns.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace sl {

// Error categories shared by all modules. `retryable()` tells callers which ones may succeed when
// the same call is repeated later (a busy server, a lost connection, a commit conflict).
enum class Errc {
  invalid_argument,  // the caller passed something unusable; not retryable
  parse,             // input text or bytes do not follow their grammar; not retryable
  corrupt,           // stored data is damaged or inconsistent; not retryable
  unsupported,       // a valid feature we do not implement (named in the message); not retryable
  not_found,         // file, table, row or key missing; not retryable as is
  already_exists,    // put-if-absent lost the race; the caller decides
  conflict,          // optimistic concurrency conflict; retryable after re-reading state
  io,                // operating-system IO failure; may be retryable
  unavailable,       // remote peer unreachable or overloaded (HTTP 5xx/429, dead server); retryable
  timeout,           // deadline passed; retryable
  internal,          // a bug: an invariant did not hold
};

std::string_view errc_name(Errc code);
constexpr bool retryable(Errc code) {
  return code == Errc::conflict || code == Errc::unavailable || code == Errc::timeout ||
         code == Errc::io;
}

struct Error {
  Errc code = Errc::internal;
  std::string message;

  // "parse: data_rh.csv:42: ..." — the category and the message, for logs and CLI output.
  std::string to_string() const;
  // Returns a copy whose message is prefixed by `context + ": "` (e.g. a file name).
  Error with_context(std::string_view context) const;
};

inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Error> &&
           !std::is_same_v<std::decay_t<U>, T> && !std::is_same_v<std::decay_t<U>, Result>)
      Result(U&& value)
      : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  T value_or(T fallback) const { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status ok_status() {
  return {};
}

}  // namespace sl

#define SL_CONCAT_INNER(a, b) a##b
#define SL_CONCAT(a, b) SL_CONCAT_INNER(a, b)

// SL_TRY(expr): returns the error of a failed Result/Status from the enclosing function.
#define SL_TRY(expr)                                         \
  do {                                                       \
    auto&& sl_try_result_ = (expr);                          \
    if (!sl_try_result_.ok()) return sl_try_result_.error(); \
  } while (0)

// SL_ASSIGN_OR_RETURN(decl, expr): `decl = *expr` or return expr's error.
#define SL_ASSIGN_OR_RETURN(decl, expr) \
  SL_ASSIGN_OR_RETURN_IMPL(SL_CONCAT(sl_result_, __LINE__), decl, expr)
#define SL_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.error();              \
  decl = std::move(*tmp)
