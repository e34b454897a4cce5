// Login, sessions and password changes (security.md D1, D3, D5) on a real SQLite database, with
// a fake clock for every timeout.
#include "auth/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "../store/test_database.h"

namespace cordon::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "correct-horse-1";
constexpr const char* kIp = "10.0.0.1";

User NewUser(std::string username, Role role, std::string region_code) {
  User u;
  u.username = std::move(username);
  u.display_name = "测试用户";
  u.role = role;
  u.region_code = std::move(region_code);
  return u;
}

class AuthServiceTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    audit_ = std::make_unique<AuditLog>(*db_, clock_);
    MakeService(SessionPolicy{});
    auto alice = auth_->AddUser(NewUser("alice", Role::kGridWorker, testdb::kG1), kPassword);
    ASSERT_TRUE(alice.has_value()) << alice.error().message();
    alice_id_ = alice->id;
  }

  void MakeService(SessionPolicy policy) {
    auth_ = std::make_unique<AuthService>(*db_, *audit_, clock_, policy);
  }

  Result<LoginResult> Login(const std::string& user, const std::string& password,
                            const std::string& ip = kIp) {
    return auth_->Login(user, password, ip, "req");
  }
  Result<Principal> Authenticate(const std::string& token) {
    return auth_->Authenticate(token, kIp, "req");
  }

  // The outcomes of the session.login audit rows, oldest first.
  std::vector<std::string> LoginOutcomes() {
    AuditQuery q;
    q.action = "session.login";
    q.limit = 1000;
    auto rows = audit_->List(q);
    EXPECT_TRUE(rows.has_value());
    std::vector<std::string> out;
    if (rows.has_value()) {
      for (const auto& r : *rows) {
        out.push_back(r.entry.outcome);
      }
    }
    return out;
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuthService> auth_;
  std::int64_t alice_id_ = 0;
};

void ExpectFieldError(const Status& status, StatusCode code, const std::string& field) {
  EXPECT_EQ(status.code(), code) << status.message();
  ASSERT_EQ(status.details().size(), 1u) << status.message();
  EXPECT_EQ(status.details()[0].field, field);
}

TEST_F(AuthServiceTest, AddUserNamesTheBadField) {
  ExpectFieldError(auth_->AddUser(NewUser("bad name!", Role::kAdmin, ""), kPassword).error(),
                   StatusCode::kInvalidArgument, "username");
  ExpectFieldError(auth_->AddUser(NewUser("", Role::kAdmin, ""), kPassword).error(),
                   StatusCode::kInvalidArgument, "username");
  ExpectFieldError(auth_->AddUser(NewUser("bob", Role::kAdmin, ""), "short").error(),
                   StatusCode::kInvalidArgument, "password");
  ExpectFieldError(auth_->AddUser(NewUser("bob", Role::kAdmin, "999999"), kPassword).error(),
                   StatusCode::kInvalidArgument, "region");
  auto duplicate = auth_->AddUser(NewUser("alice", Role::kAdmin, ""), "another-password");
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
}

TEST_F(AuthServiceTest, AddUserStoresAnArgon2idHashAndAudits) {
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE username = 'alice' AND password_hash LIKE "
                  "'$argon2id$v=19$m=19456,t=2,p=1$%'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'user.create' AND actor = 'cli' "
                  "AND object_id = ?",
                  {std::to_string(alice_id_)}),
            1);
}

TEST_F(AuthServiceTest, LoginReturnsATokenAndTheJurisdiction) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value()) << login.error().message();
  EXPECT_EQ(login->token.size(), 64u);
  EXPECT_EQ(login->principal.user.id, alice_id_);
  EXPECT_EQ(login->principal.user.role, Role::kGridWorker);
  EXPECT_EQ(login->principal.region_path, testdb::kG1Path);
  EXPECT_EQ(login->principal.region_name, "第一网格");
  // Only the token's hash is stored.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {login->token}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 1);

  auto again = Login("alice", kPassword);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->token, login->token);  // a new token at every login
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserAnswerAlike) {
  auto wrong = Login("alice", "wrong-password");
  auto unknown = Login("nobody", "wrong-password");
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(wrong.error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.error().code(), wrong.error().code());
  EXPECT_EQ(unknown.error().message(), wrong.error().message());
  EXPECT_EQ(LoginOutcomes(), (std::vector<std::string>{"failed", "failed"}));
}

TEST_F(AuthServiceTest, LockOutAfterFiveFailures) {
  for (int i = 0; i < 4; ++i) {
    auto r = Login("alice", "wrong-password");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated);
  }
  auto fifth = Login("alice", "wrong-password");
  ASSERT_FALSE(fifth.has_value());
  EXPECT_EQ(fifth.error().code(), StatusCode::kUnauthenticated);

  // Locked now: the right password is refused too.
  auto locked = Login("alice", kPassword);
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code(), StatusCode::kResourceExhausted);

  clock_.Advance(14min);
  auto still = Login("alice", kPassword);
  ASSERT_FALSE(still.has_value()) << "the lock lasts 15 minutes from the fifth failure";
  EXPECT_EQ(still.error().code(), StatusCode::kResourceExhausted);

  clock_.Advance(1min + 1s);  // 15 min + 1 s after the fifth failure
  auto ok = Login("alice", kPassword);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();

  EXPECT_EQ(LoginOutcomes(), (std::vector<std::string>{"failed", "failed", "failed", "failed",
                                                       "failed", "locked", "locked", "ok"}));
}

TEST_F(AuthServiceTest, UnknownUserIsLockedLikeAKnownOne) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(Login("nobody", "wrong-password").has_value());
  }
  auto locked = Login("nobody", "wrong-password");
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code(), StatusCode::kResourceExhausted);
}

TEST_F(AuthServiceTest, AddressIsThrottledAcrossAccounts) {
  SessionPolicy policy;
  policy.per_ip = {3, 900, 900};  // 3 failures in 15 min: 15-min lock
  MakeService(policy);
  for (const char* name : {"x1", "x2", "x3"}) {
    ASSERT_FALSE(Login(name, "wrong-password", "10.9.9.9").has_value());
  }
  auto from_bad_ip = Login("alice", kPassword, "10.9.9.9");
  ASSERT_FALSE(from_bad_ip.has_value());
  EXPECT_EQ(from_bad_ip.error().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Login("alice", kPassword, "10.0.0.2").has_value());
}

TEST_F(AuthServiceTest, AuthenticateEndsAfterThirtyIdleMinutes) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value());
  auto principal = Authenticate(login->token);
  ASSERT_TRUE(principal.has_value()) << principal.error().message();
  EXPECT_EQ(principal->user.username, "alice");
  EXPECT_EQ(principal->region_path, testdb::kG1Path);

  clock_.Advance(29min);  // activity inside the idle window keeps the session
  ASSERT_TRUE(Authenticate(login->token).has_value());

  clock_.Advance(31min);
  auto idle = Authenticate(login->token);
  ASSERT_FALSE(idle.has_value());
  EXPECT_EQ(idle.error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);  // removed, not just refused
}

TEST_F(AuthServiceTest, ActiveSessionStillEndsAtTwelveHours) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value());
  for (auto t = 10min; t < 12h; t += 10min) {
    clock_.Advance(10min);
    ASSERT_TRUE(Authenticate(login->token).has_value()) << "at " << t.count() << " min";
  }
  clock_.Advance(10min);  // 12 h after login
  auto expired = Authenticate(login->token);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, UnknownOrMalformedTokenIsRefused) {
  for (const std::string& token : {std::string(), std::string(64, 'a'), std::string(500, 'a')}) {
    auto r = Authenticate(token);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated);
  }
}

TEST_F(AuthServiceTest, LogoutKillsTheToken) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value());
  auto principal = Authenticate(login->token);
  ASSERT_TRUE(principal.has_value());
  ASSERT_TRUE(auth_->Logout(*principal, login->token).ok());
  auto replay = Authenticate(login->token);
  ASSERT_FALSE(replay.has_value());
  EXPECT_EQ(replay.error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'session.logout'"), 1);
}

TEST_F(AuthServiceTest, ChangePasswordNeedsTheOldOneAndEndsOtherSessions) {
  auto current = Login("alice", kPassword);
  auto other = Login("alice", kPassword);
  ASSERT_TRUE(current.has_value());
  ASSERT_TRUE(other.has_value());
  auto who = Authenticate(current->token);
  ASSERT_TRUE(who.has_value());

  ExpectFieldError(auth_->ChangePassword(*who, current->token, "not-my-password", "new-pass-2022"),
                   StatusCode::kInvalidArgument, "old_password");
  ExpectFieldError(auth_->ChangePassword(*who, current->token, kPassword, "short"),
                   StatusCode::kInvalidArgument, "new_password");
  ASSERT_TRUE(Authenticate(other->token).has_value()) << "failed changes end no session";

  Status changed = auth_->ChangePassword(*who, current->token, kPassword, "new-pass-2022");
  ASSERT_TRUE(changed.ok()) << changed.message();
  EXPECT_TRUE(Authenticate(current->token).has_value());
  EXPECT_FALSE(Authenticate(other->token).has_value());

  EXPECT_FALSE(Login("alice", kPassword).has_value());
  EXPECT_TRUE(Login("alice", "new-pass-2022").has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'user.password' AND outcome = 'ok'"),
            1);
}

TEST_F(AuthServiceTest, DisabledUserIsRefusedAtTheNextRequest) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value());
  ASSERT_TRUE(Exec("UPDATE users SET disabled = 1 WHERE username = 'alice'").ok());
  auto r = Authenticate(login->token);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kUnauthenticated);

  auto relogin = Login("alice", kPassword);  // a disabled user cannot log in either
  ASSERT_FALSE(relogin.has_value());
  EXPECT_EQ(relogin.error().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, RescopedUserGetsTheNewJurisdictionAtTheNextRequest) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login.has_value());
  ASSERT_TRUE(
      Exec("UPDATE users SET region_code = ? WHERE username = 'alice'", {std::string(testdb::kG2)})
          .ok());
  auto principal = Authenticate(login->token);
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->user.region_code, testdb::kG2);
  EXPECT_EQ(principal->region_path, testdb::kG2Path);
}

TEST_F(AuthServiceTest, UserWithoutJurisdictionHasAnEmptyPath) {
  ASSERT_TRUE(auth_->AddUser(NewUser("floater", Role::kGridWorker, ""), kPassword).has_value());
  auto login = Login("floater", kPassword);
  ASSERT_TRUE(login.has_value());
  EXPECT_EQ(login->principal.region_path, "");
}

TEST_F(AuthServiceTest, LoginFailsWhenItsAuditRowCannotBeWritten) {
  ASSERT_TRUE(Exec("CREATE TRIGGER audit_fail BEFORE INSERT ON audit "
                   "BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END")
                  .ok());
  EXPECT_FALSE(Login("alice", kPassword).has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);  // no session without its audit row
}

TEST_F(AuthServiceTest, LoginAuditRowsNameNoPassword) {
  ASSERT_TRUE(Login("alice", kPassword).has_value());
  ASSERT_FALSE(Login("alice", "wrong-password").has_value());
  EXPECT_EQ(LoginOutcomes(), (std::vector<std::string>{"ok", "failed"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE reason || fields || object_id || actor "
                  "LIKE '%password%' OR reason || fields LIKE '%horse%'"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'session.login' AND actor = 'alice' "
                  "AND ip = ? AND object_id = ?",
                  {std::string(kIp), std::to_string(alice_id_)}),
            2);
}

}  // namespace
}  // namespace cordon::auth
