// Argon2id password hashes (security.md D1) and session tokens (D5).
#include "auth/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cordon::auth {
namespace {

constexpr std::string_view kPrefix = "$argon2id$v=19$m=19456,t=2,p=1$";

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

TEST(PasswordHashTest, UsesArgon2idWithTheRequiredCost) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.has_value()) << hash.error().message();
  EXPECT_TRUE(hash->starts_with(kPrefix)) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
}

TEST(PasswordHashTest, VerifiesTheRightPasswordOnly) {
  auto hash = HashPassword("防疫-密码-2022");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(VerifyPassword(*hash, "防疫-密码-2022"));
  EXPECT_FALSE(VerifyPassword(*hash, "防疫-密码-2023"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword(*hash, "防疫-密码-2022 "));
}

TEST(PasswordHashTest, SaltMakesTwoHashesOfOnePasswordDiffer) {
  auto a = HashPassword("same password");
  auto b = HashPassword("same password");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(PasswordHashTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(VerifyPassword(std::string(kPrefix), ""));
}

TEST(PasswordHashTest, DummyVerificationDoesNotCrash) {
  VerifyDummyPassword("anything");
  VerifyDummyPassword("");
}

TEST(SessionTokenTest, Is64LowerHexCharacters) {
  std::string token = NewToken();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(IsLowerHex(token)) << token;
}

TEST(SessionTokenTest, DiffersOnEveryCall) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) {
    tokens.insert(NewToken());
  }
  EXPECT_EQ(tokens.size(), 100u);
}

TEST(Sha256HexTest, MatchesThePublishedVectors) {
  // FIPS 180-2 appendix B.1 and the empty string.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

}  // namespace
}  // namespace cordon::auth
