// TOTP (RFC 6238 over RFC 4226) against the RFCs' own test vectors, base32 (RFC 4648), the
// skew window and the replay rule (security.md D4).
#include "auth/totp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/rules.h"

namespace cordon::auth {
namespace {

constexpr std::string_view kRfcKey = "12345678901234567890";  // the SHA-1 seed of both RFCs

std::string Base32(std::string_view text) {
  return Base32Encode({reinterpret_cast<const unsigned char*>(text.data()), text.size()});
}

TEST(TotpTest, Rfc4226HotpVectors) {
  const std::vector<std::uint32_t> expected = {755224, 287082, 359152, 969429, 338314,
                                               254676, 287922, 162583, 399871, 520489};
  for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
    EXPECT_EQ(HotpValue(kRfcKey, counter, 6), expected[counter]) << counter;
  }
}

TEST(TotpTest, Rfc6238Sha1Vectors) {
  struct Vector {
    std::int64_t time;
    std::uint32_t code;  // 8 digits, as in RFC 6238 appendix B
  };
  for (const Vector& v : {Vector{59, 94287082}, Vector{1111111109, 7081804},
                          Vector{1111111111, 14050471}, Vector{1234567890, 89005924},
                          Vector{2000000000, 69279037}, Vector{20000000000, 65353130}}) {
    EXPECT_EQ(HotpValue(kRfcKey, static_cast<std::uint64_t>(TotpStep(v.time)), 8), v.code)
        << v.time;
  }
  // The same through the 6-digit path an app shows: the last 6 digits, zero-padded.
  const std::string secret = Base32(kRfcKey);
  EXPECT_EQ(TotpCode(secret, TotpStep(59)), "287082");
  EXPECT_EQ(TotpCode(secret, TotpStep(1111111109)), "081804");
  EXPECT_EQ(TotpCode(secret, TotpStep(1111111111)), "050471");
  EXPECT_EQ(TotpCode(secret, TotpStep(1234567890)), "005924");
}

TEST(TotpTest, StepsAreThirtySecondsFloored) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(-1), -1);
}

TEST(TotpTest, Base32MatchesRfc4648AndRoundTrips) {
  EXPECT_EQ(Base32(""), "");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(Base32("fo"), "MZXQ");
  EXPECT_EQ(Base32("foo"), "MZXW6");
  EXPECT_EQ(Base32("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw 6ytb-oi"), "foobar");  // as a person types it
  EXPECT_EQ(Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), std::string(kRfcKey));
  EXPECT_EQ(Base32Decode("MZXW1"), std::nullopt);  // '1' is not in the alphabet
  EXPECT_EQ(Base32Decode("MZ!"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZ"), std::nullopt);  // leftover bits that are not zero: "MY" is "f"
  EXPECT_EQ(Base32Decode("M"), std::nullopt);   // five bits make no byte
}

TEST(TotpTest, NewSecretsAre160RandomBits) {
  std::string a = NewTotpSecret();
  std::string b = NewTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  auto key = Base32Decode(a);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 20u);
}

TEST(TotpTest, OneStepOfSkewEitherWayIsAccepted) {
  const std::string secret = Base32(kRfcKey);
  const std::int64_t now = 1000;
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now), now, 0), now);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now - 1), now, 0), now - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + 1), now, 0), now + 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now - 2), now, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + 2), now, 0), std::nullopt);
}

TEST(TotpTest, AUsedStepAndEveryEarlierOneAreRefused) {
  const std::string secret = Base32(kRfcKey);
  const std::int64_t now = 1000;
  // The code of `now` was accepted: it, and the one before, are spent; the next is not.
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now), now, now), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now - 1), now, now), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + 1), now, now), now + 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, now + 1), now, now + 1), std::nullopt);
}

TEST(TotpTest, OnlySixDigitsAreACode) {
  const std::string secret = Base32(kRfcKey);
  const std::string code = TotpCode(secret, 1000);
  EXPECT_EQ(MatchTotp(secret, code.substr(0, 5), 1000, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, code + "0", 1000, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, "12a456", 1000, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(secret, "", 1000, 0), std::nullopt);
  EXPECT_EQ(MatchTotp("not base32!", "123456", 1000, 0), std::nullopt);
}

TEST(TotpTest, OtpauthUriCarriesTheAppDefaults) {
  EXPECT_EQ(OtpauthUri("Cordon", "zhang.san", "GEZDGNBV"),
            "otpauth://totp/Cordon:zhang.san?secret=GEZDGNBV&issuer=Cordon&algorithm=SHA1&"
            "digits=6&period=30");
  EXPECT_EQ(OtpauthUri("Cordon 防控", "a b", "GE"),
            "otpauth://totp/Cordon%20%E9%98%B2%E6%8E%A7:a%20b?secret=GE&issuer=Cordon%20%E9%98%B2%"
            "E6%8E%A7&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpTest, CityWideRolesAndTheAuditorMustUseIt) {
  for (Role r : {Role::kAdmin, Role::kCommander, Role::kEpidemiologist, Role::kAuditor}) {
    EXPECT_TRUE(MfaMandatory(r)) << RoleName(r);
  }
  for (Role r : {Role::kSiteManager, Role::kGridWorker, Role::kTesting, Role::kLogistics,
                 Role::kInspector}) {
    EXPECT_FALSE(MfaMandatory(r)) << RoleName(r);
  }
}

}  // namespace
}  // namespace cordon::auth
