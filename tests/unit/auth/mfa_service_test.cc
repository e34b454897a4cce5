// The TOTP second factor of AuthService (security.md D4) on a real database with a fake clock:
// the two-step login, enrolment at first login and from the account, the replay rule, the skew
// window, the lock-out and the administrator's reset.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "../store/test_database.h"
#include "auth/service.h"
#include "auth/totp.h"

namespace cordon::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "correct-horse-1";
constexpr const char* kIp = "10.0.0.1";

class MfaServiceTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    audit_ = std::make_unique<AuditLog>(*db_, clock_);
    auth_ = std::make_unique<AuthService>(*db_, *audit_, clock_);
    boss_id_ = Add("boss", Role::kCommander, testdb::kCity);
    worker_id_ = Add("worker", Role::kGridWorker, testdb::kG1);
  }

  std::int64_t Add(const std::string& name, Role role, const std::string& region) {
    User u;
    u.username = name;
    u.role = role;
    u.region_code = region;
    auto user = auth_->AddUser(u, kPassword);
    EXPECT_TRUE(user.has_value());
    return user.has_value() ? user->id : 0;
  }

  std::int64_t Step() const {
    return TotpStep(
        std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());
  }

  Result<LoginResult> Password(const std::string& user) {
    return auth_->Login(user, kPassword, kIp, "req");
  }
  Result<LoginResult> Code(const std::string& challenge, const std::string& code) {
    return auth_->LoginWithCode(challenge, code, kIp, "req");
  }

  // Enrols `boss` at a first login; returns the secret.
  std::string EnrolBoss() {
    auto first = Password("boss");
    EXPECT_TRUE(first.has_value());
    if (!first.has_value()) {
      return {};
    }
    EXPECT_EQ(first->mfa, MfaStep::kEnroll);
    auto done = Code(first->challenge, TotpCode(first->secret, Step()));
    EXPECT_TRUE(done.has_value()) << (done.has_value() ? "" : done.error().message());
    return first->secret;
  }

  std::int64_t Audits(const std::string& action, const std::string& outcome) {
    return Count("SELECT COUNT(*) FROM audit WHERE action = ? AND outcome = ?", {action, outcome});
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuthService> auth_;
  std::int64_t boss_id_ = 0;
  std::int64_t worker_id_ = 0;
};

TEST_F(MfaServiceTest, ACityWideRoleEnrolsAtFirstLoginAndGetsNoSessionBefore) {
  auto first = Password("boss");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->mfa, MfaStep::kEnroll);
  EXPECT_TRUE(first->token.empty());
  EXPECT_EQ(first->secret.size(), 32u);
  EXPECT_EQ(first->otpauth_uri.rfind("otpauth://totp/Cordon:boss?secret=" + first->secret, 0), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
  // Only the challenge's hash is kept.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM mfa_challenges WHERE token_hash = ?", {first->challenge}),
            0);
  // A second try before enrolling shows the same secret: a phone that scanned it stays good.
  auto again = Password("boss");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->secret, first->secret);

  auto wrong =
      Code(first->challenge, "000000" == TotpCode(first->secret, Step()) ? "111111" : "000000");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), StatusCode::kUnauthenticated);
  auto done = Code(first->challenge, TotpCode(first->secret, Step()));
  ASSERT_TRUE(done.has_value()) << done.error().message();
  EXPECT_EQ(done->token.size(), 64u);
  EXPECT_EQ(done->principal.user.id, boss_id_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_totp WHERE enrolled_at IS NOT NULL"), 1);
  EXPECT_EQ(Audits("session.mfa_enrolled", "ok"), 1);
  EXPECT_EQ(Audits("session.mfa_failed", "failed"), 1);
  // The challenge was single-use.
  clock_.Advance(30s);
  EXPECT_FALSE(Code(first->challenge, TotpCode(first->secret, Step())).has_value());
  // The other challenge was for enrolling, which is done: it is no longer any good either.
  EXPECT_FALSE(Code(again->challenge, TotpCode(first->secret, Step())).has_value());
  // No secret or code in the audit trail.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE reason LIKE ? OR fields LIKE ?",
                  {"%" + first->secret + "%", "%" + first->secret + "%"}),
            0);
}

TEST_F(MfaServiceTest, AnEnrolledUserNeedsACodeAndACodeWorksOnce) {
  std::string secret = EnrolBoss();
  auto login = Password("boss");
  ASSERT_TRUE(login.has_value());
  EXPECT_EQ(login->mfa, MfaStep::kRequired);
  EXPECT_TRUE(login->secret.empty());  // never shown again
  // The code that enrolled is spent, and so is the step before it.
  EXPECT_FALSE(Code(login->challenge, TotpCode(secret, Step())).has_value());
  EXPECT_FALSE(Code(login->challenge, TotpCode(secret, Step() - 1)).has_value());
  // The next step's code is accepted (skew), once.
  auto next = Code(login->challenge, TotpCode(secret, Step() + 1));
  ASSERT_TRUE(next.has_value()) << next.error().message();
  auto again = Password("boss");
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(Code(again->challenge, TotpCode(secret, Step() + 1)).has_value());
  EXPECT_EQ(Audits("session.mfa_failed", "failed"), 3);
}

TEST_F(MfaServiceTest, OneStepOfClockSkewIsAcceptedAndTwoAreNot) {
  std::string secret = EnrolBoss();
  clock_.Advance(5min);
  auto login = Password("boss");
  ASSERT_TRUE(login.has_value());
  EXPECT_FALSE(Code(login->challenge, TotpCode(secret, Step() - 2)).has_value());
  EXPECT_FALSE(Code(login->challenge, TotpCode(secret, Step() + 2)).has_value());
  EXPECT_TRUE(Code(login->challenge, TotpCode(secret, Step() - 1)).has_value());
  auto ahead = Password("boss");
  ASSERT_TRUE(ahead.has_value());
  EXPECT_TRUE(Code(ahead->challenge, TotpCode(secret, Step() + 1)).has_value());
}

TEST_F(MfaServiceTest, WrongCodesLockTheAccountAndAPasswordDoesNotClearThem) {
  std::string secret = EnrolBoss();
  clock_.Advance(1min);
  auto login = Password("boss");
  ASSERT_TRUE(login.has_value());
  const std::string right = TotpCode(secret, Step());
  const std::string wrong = right == "123456" ? "654321" : "123456";
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Code(login->challenge, wrong).error().code(), StatusCode::kUnauthenticated) << i;
  }
  // A right password in between buys no fresh guesses.
  auto relog = Password("boss");
  ASSERT_TRUE(relog.has_value());
  EXPECT_EQ(Code(relog->challenge, wrong).error().code(), StatusCode::kUnauthenticated);
  auto locked = Code(relog->challenge, right);
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Password("boss").error().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Audits("session.mfa_failed", "failed"), 5);
  // After the lock, the code of the moment opens the session.
  clock_.Advance(16min);
  auto later = Password("boss");
  ASSERT_TRUE(later.has_value());
  EXPECT_TRUE(Code(later->challenge, TotpCode(secret, Step())).has_value());
}

TEST_F(MfaServiceTest, AChallengeLivesFiveMinutes) {
  std::string secret = EnrolBoss();
  clock_.Advance(1min);
  auto login = Password("boss");
  ASSERT_TRUE(login.has_value());
  clock_.Advance(5min);
  auto late = Code(login->challenge, TotpCode(secret, Step()));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(Code("not-a-challenge", "123456").has_value());
}

TEST_F(MfaServiceTest, AnOptionalRoleLogsInWithAPasswordUntilItEnrols) {
  auto plain = Password("worker");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->mfa, MfaStep::kNone);
  EXPECT_EQ(plain->token.size(), 64u);
  Principal me = plain->principal;
  auto status = auth_->GetMfaStatus(me);
  ASSERT_TRUE(status.has_value());
  EXPECT_FALSE(status->enrolled);
  EXPECT_FALSE(status->required);

  auto started = auth_->StartEnrolment(me);
  ASSERT_TRUE(started.has_value());
  // Until confirmed, the password alone still logs in.
  EXPECT_EQ(Password("worker")->mfa, MfaStep::kNone);
  Status bad = auth_->ConfirmEnrolment(me, "12345");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(auth_->ConfirmEnrolment(me, TotpCode(started->secret, Step())).ok());
  EXPECT_EQ(auth_->StartEnrolment(me).error().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(auth_->GetMfaStatus(me)->enrolled);
  auto now_two_steps = Password("worker");
  ASSERT_TRUE(now_two_steps.has_value());
  EXPECT_EQ(now_two_steps->mfa, MfaStep::kRequired);
  EXPECT_TRUE(Code(now_two_steps->challenge, TotpCode(started->secret, Step() + 1)).has_value());
}

TEST_F(MfaServiceTest, AnAdministratorResetsWithoutSeeingASecretAndEndsSessions) {
  std::string secret = EnrolBoss();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {boss_id_}), 1);
  auto worker = Password("worker");
  ASSERT_TRUE(worker.has_value());
  EXPECT_EQ(auth_->ResetMfa(worker->principal, boss_id_).error().code(),
            StatusCode::kPermissionDenied);

  Add("root", Role::kAdmin, testdb::kCity);
  auto root_first = Password("root");
  ASSERT_TRUE(root_first.has_value());
  auto root = Code(root_first->challenge, TotpCode(root_first->secret, Step()));
  ASSERT_TRUE(root.has_value());
  auto ended = auth_->ResetMfa(root->principal, boss_id_);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {boss_id_}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_totp WHERE user_id = ?", {boss_id_}), 0);
  EXPECT_EQ(Audits("users.mfa_reset", "ok"), 1);
  EXPECT_EQ(auth_->ResetMfa(root->principal, 999999).error().code(), StatusCode::kNotFound);
  // The next login enrols again, with a new secret.
  auto again = Password("boss");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->mfa, MfaStep::kEnroll);
  EXPECT_NE(again->secret, secret);
}

}  // namespace
}  // namespace cordon::auth
