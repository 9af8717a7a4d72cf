// Dashboard tokens: private files, one token per role, rotation, constant-time comparison.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/fs.hpp"
#include "serve/access.hpp"

namespace sl::serve {
namespace {

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

std::string token_in(const std::filesystem::path& p) {
  auto text = fs::read_file(p);
  EXPECT_TRUE(text.ok());
  return text->substr(0, text->find('\n'));
}

TEST(Access, EnsureCreatesPrivateTokensOncePerRole) {
  fs::TempDir dir;
  const mode_t old_mask = ::umask(0);  // even with a permissive umask
  TokenStore store(dir.path() / "serve");
  ASSERT_TRUE(store.ensure().ok());
  ::umask(old_mask);
  EXPECT_EQ(mode_of(dir.path() / "serve"), 0700u);
  EXPECT_EQ(mode_of(store.file(Role::hr)), 0600u);
  EXPECT_EQ(mode_of(store.file(Role::viewer)), 0600u);
  const std::string hr = token_in(store.file(Role::hr));
  const std::string viewer = token_in(store.file(Role::viewer));
  EXPECT_EQ(hr.size(), 4u + 43u);
  EXPECT_EQ(hr.substr(0, 4), "slh_");
  EXPECT_EQ(viewer.substr(0, 4), "slv_");
  EXPECT_EQ(mode_of(store.file(Role::ops)), 0600u);
  const std::string ops = token_in(store.file(Role::ops));
  EXPECT_EQ(ops.substr(0, 4), "slo_");
  EXPECT_EQ(store.role_of(ops), Role::ops);
  EXPECT_NE(hr.substr(4), viewer.substr(4));
  ASSERT_TRUE(store.ensure().ok());  // a second start keeps them
  EXPECT_EQ(token_in(store.file(Role::hr)), hr);

  EXPECT_EQ(store.role_of(hr), Role::hr);
  EXPECT_EQ(store.role_of(viewer), Role::viewer);
  EXPECT_EQ(store.role_of(""), std::nullopt);
  EXPECT_EQ(store.role_of(hr.substr(0, hr.size() - 1)), std::nullopt);
  EXPECT_EQ(store.role_of(hr + "x"), std::nullopt);
}

TEST(Access, RotationEndsTheOldToken) {
  fs::TempDir dir;
  TokenStore store(dir.path());
  ASSERT_TRUE(store.ensure().ok());
  const std::string before = token_in(store.file(Role::viewer));
  ASSERT_EQ(store.role_of(before), Role::viewer);
  ASSERT_TRUE(store.rotate(Role::viewer).ok());
  const std::string after = token_in(store.file(Role::viewer));
  EXPECT_NE(before, after);
  EXPECT_EQ(mode_of(store.file(Role::viewer)), 0600u);
  EXPECT_EQ(store.role_of(before), std::nullopt);  // the same store, already serving: re-read
  EXPECT_EQ(store.role_of(after), Role::viewer);
}

TEST(Access, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Access, Roles) {
  EXPECT_EQ(*parse_role("hr"), Role::hr);
  EXPECT_EQ(*parse_role("viewer"), Role::viewer);
  EXPECT_EQ(*parse_role("ops"), Role::ops);
  EXPECT_EQ(role_name(Role::ops), "ops");
  EXPECT_LT(Role::viewer, Role::ops);  // ops reads what viewer reads
  EXPECT_LT(Role::ops, Role::hr);
  EXPECT_FALSE(parse_role("admin").ok());
}

}  // namespace
}  // namespace sl::serve
