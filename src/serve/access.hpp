// Who may read what on the dashboard: bearer tokens, one per role, kept in files under
// SPORTLAKE_HOME/serve (0700), each file 0600.
//
// Roles, each reading what the one before it reads and more: `viewer` reads the aggregates
// (kpi_summary, kpi_by_bu, activity_monthly, the page's cards and business units) and the live
// feed; `ops` also the platform's state (/operations, /api/status, /metrics: slots, WAL,
// outbox counts, job failures with employee ids, lake tables), never a per-employee Gold row;
// `hr` reads everything, the per-employee rows too (prime_sportive, wellbeing, dq_issues, whose
// reasons name people and places).
//
// A request presents its token in one of three ways, in this order:
//   1. `Authorization: Bearer <token>` (scripts, curl);
//   2. the cookie `sportlake_session=<token>` (browsers, after 3);
//   3. `?token=<token>` once in a URL: answered by a 303 to the same URL without it, setting the
//      cookie (HttpOnly, SameSite=Strict, Path=/), so the token leaves the address bar.
// Tokens are compared in constant time. A rotated token is picked up by a running server at
// the next request (the files are read at each check).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace sl::serve {

enum class Role { viewer, ops, hr };  // in order: a role reads what those before it read
inline constexpr Role k_roles[] = {Role::viewer, Role::ops, Role::hr};

std::string_view role_name(Role role);
Result<Role> parse_role(std::string_view name);

// Equal strings, in a time that depends on their lengths only, not on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

class TokenStore {
 public:
  explicit TokenStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // <dir>/<role>.token
  std::filesystem::path file(Role role) const;
  // Creates the directory (0700) and any missing token (0600, 256 random bits); keeps those
  // that exist.
  Status ensure() const;
  // Replaces the token of `role` with a new one: whoever held the old one is out.
  Status rotate(Role role) const;
  // The role of `presented`, or nullopt when it matches no token.
  std::optional<Role> role_of(std::string_view presented) const;

 private:
  // The token of `role` as its file holds it now ("" without a file). Read at each check, not
  // cached: a rotation within the file system's timestamp granularity must still count, and two
  // small reads cost microseconds.
  std::string current(Role role) const;

  std::filesystem::path dir_;
};

}  // namespace sl::serve
