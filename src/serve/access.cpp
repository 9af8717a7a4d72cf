// Dashboard tokens: generation, rotation, files 0600, constant-time checks.
#include "serve/access.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/fs.hpp"

namespace sl::serve {

namespace {

constexpr size_t k_token_bytes = 32;

Error io_error(const std::filesystem::path& path, std::string_view what) {
  return make_error(Errc::io,
                    std::string(what) + " '" + path.string() + "': " + std::strerror(errno));
}

// "slh_", "slo_" or "slv_" (which role, for the person holding it) + 43 base64url characters.
Result<std::string> new_token(Role role) {
  unsigned char bytes[k_token_bytes];
  size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io, std::string("getrandom: ") + std::strerror(errno));
    }
    got += static_cast<size_t>(n);
  }
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = role == Role::hr ? "slh_" : role == Role::ops ? "slo_" : "slv_";
  unsigned bits = 0;
  int pending = 0;
  for (unsigned char b : bytes) {
    bits = (bits << 8) | b;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out += k_alphabet[(bits >> pending) & 63];
    }
  }
  if (pending > 0) out += k_alphabet[(bits << (6 - pending)) & 63];
  return out;
}

}  // namespace

std::string_view role_name(Role role) {
  return role == Role::hr ? "hr" : role == Role::ops ? "ops" : "viewer";
}

Result<Role> parse_role(std::string_view name) {
  if (name == "hr") return Role::hr;
  if (name == "ops") return Role::ops;
  if (name == "viewer") return Role::viewer;
  return make_error(Errc::invalid_argument,
                    "role '" + std::string(name) + "' is not one of viewer, ops, hr");
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  // The loop above must not be shortened by the compiler: read the result through a volatile.
  volatile unsigned char result = diff;
  return result == 0;
}

std::filesystem::path TokenStore::file(Role role) const {
  return dir_ / (std::string(role_name(role)) + ".token");
}

Status TokenStore::ensure() const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return make_error(Errc::io, "cannot create '" + dir_.string() + "': " + ec.message());
  if (::chmod(dir_.c_str(), 0700) != 0) return io_error(dir_, "cannot chmod");
  for (Role role : k_roles) {
    const auto path = file(role);
    if (std::filesystem::exists(path, ec)) {
      // A token file someone else could read is no secret any more: tighten it.
      if (::chmod(path.c_str(), 0600) != 0) return io_error(path, "cannot chmod");
      continue;
    }
    SL_TRY(rotate(role));
  }
  return {};
}

Status TokenStore::rotate(Role role) const {
  SL_ASSIGN_OR_RETURN(auto token, new_token(role));
  return fs::write_file_atomic(file(role), token + "\n", 0600);
}

std::string TokenStore::current(Role role) const {
  auto text = fs::read_file(file(role));
  if (!text) return {};  // no file: nobody has this role
  std::string token = std::move(*text);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

std::optional<Role> TokenStore::role_of(std::string_view presented) const {
  if (presented.empty()) return std::nullopt;
  std::optional<Role> found;
  // All compared, whichever matches: the time taken does not tell which role a guess was near.
  for (Role role : k_roles) {
    const std::string token = current(role);
    if (!token.empty() && constant_time_equal(presented, token)) found = role;
  }
  return found;
}

}  // namespace sl::serve
