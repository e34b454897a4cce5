// The TOTP second factor over HTTP (security.md D4, C6): city-wide roles must pass it, others
// may enrol, a code works once, one step of skew is accepted, wrong codes count towards the
// login lock, and an administrator's reset ends the user's sessions.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cordon_server.h"
#include "totp_client.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class MfaApiTest : public ::testing::Test {
 protected:
  httplib::Result Password(const std::string& user) {
    return client_.Post("/api/v1/session", json{{"username", user}, {"password", kPassword}}.dump(),
                        "application/json");
  }
  httplib::Result Code(const std::string& challenge, const std::string& code) {
    return client_.Post("/api/v1/session/mfa",
                        json{{"challenge", challenge}, {"code", code}}.dump(), "application/json");
  }
  // A code that is not the one of `step` or its neighbours.
  static std::string Wrong(const std::string& secret, std::int64_t step) {
    for (const char* c : {"000000", "111111", "222222"}) {
      if (c != TotpCodeAt(secret, step - 1) && c != TotpCodeAt(secret, step) &&
          c != TotpCodeAt(secret, step + 1)) {
        return c;
      }
    }
    return "333333";
  }
  // Waits until at least 10 s are left in the current 30 s step, so that "the step before" and
  // "the step after" mean the same to the test and the server.
  static void AwayFromAStepEdge() {
    while (std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
                   .count() %
               30 >=
           20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  std::int64_t UserId(const std::string& token) {
    return Json(client_.Get("/api/v1/session", Bearer(token)))["user"]["id"];
  }

  CordonServer server_{1000};
  httplib::Client client_ = server_.Client();
};

TEST_F(MfaApiTest, ACityWideRoleWithoutACodeGetsNoSession) {
  auto first = Password("admin");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  json step = json::parse(first->body);
  EXPECT_EQ(step["mfa"], "enroll");
  EXPECT_FALSE(step.contains("token"));
  EXPECT_FALSE(step.contains("user"));
  EXPECT_FALSE(first->has_header("Set-Cookie"));
  EXPECT_EQ(first->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(step["expires_in"], 300);
  const std::string secret = step["secret"];
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(step["otpauth_uri"], "otpauth://totp/Cordon:admin?secret=" + secret +
                                     "&issuer=Cordon&algorithm=SHA1&digits=6&period=30");
  // The challenge is no session.
  const std::string challenge = step["challenge"];
  EXPECT_EQ(client_.Get("/api/v1/session", Bearer(challenge))->status, 401);
  EXPECT_EQ(client_.Get("/api/v1/people", Bearer(challenge))->status, 401);
  // Step 2 without a code, with a wrong one, with no challenge: refused, no session.
  auto no_code = client_.Post("/api/v1/session/mfa", json{{"challenge", challenge}}.dump(),
                              "application/json");
  ASSERT_TRUE(no_code);
  EXPECT_EQ(no_code->status, 400);
  auto wrong = Code(challenge, Wrong(secret, TotpStepNow()));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(json::parse(wrong->body)["error"]["code"], "unauthenticated");
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  auto unknown = Code(std::string(64, 'a'), TotpCodeAt(secret, TotpStepNow()));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM sessions"), "0\n");

  // The right code enrols and opens the session: token, cookie and user as a plain login.
  const std::int64_t used = TotpStepNow();
  auto ok = Code(challenge, TotpCodeAt(secret, used));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  json session = json::parse(ok->body);
  EXPECT_EQ(session["user"]["username"], "admin");
  EXPECT_EQ(session["token"].get<std::string>().size(), 64u);
  EXPECT_EQ(ok->get_header_value("Set-Cookie").rfind("__Host-cordon_session=", 0), 0u);
  EXPECT_EQ(client_.Get("/api/v1/session", Bearer(session["token"]))->status, 200);
  // The challenge was single-use.
  EXPECT_EQ(Code(challenge, TotpCodeAt(secret, used + 1))->status, 401);
  // From now on the admin is asked for a code, and the secret is never shown again.
  auto next = Password("admin");
  ASSERT_TRUE(next);
  json required = json::parse(next->body);
  EXPECT_EQ(required["mfa"], "required");
  EXPECT_FALSE(required.contains("secret"));
  EXPECT_FALSE(required.contains("otpauth_uri"));

  // Neither the secret nor the codes reach the log or the audit trail.
  server_.RememberTotp("admin", secret, used);
  std::string token = server_.Login("admin");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(server_.log().find(secret), std::string::npos);
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM audit WHERE reason LIKE '%" + secret +
                        "%' OR fields LIKE '%" + secret + "%'"),
            "0\n");
}

TEST_F(MfaApiTest, AReplayedCodeIsRefusedAndOneStepOfSkewIsAccepted) {
  AwayFromAStepEdge();
  const std::int64_t now = TotpStepNow();
  // Enrol with the code of the step before: one step of skew behind.
  auto first = Password("commander");
  ASSERT_TRUE(first);
  json enrol = json::parse(first->body);
  const std::string secret = enrol["secret"];
  auto behind = Code(enrol["challenge"], TotpCodeAt(secret, now - 1));
  ASSERT_TRUE(behind);
  EXPECT_EQ(behind->status, 200) << behind->body;

  // The same code again, within its window: refused.
  json again = json::parse(Password("commander")->body);
  ASSERT_EQ(again["mfa"], "required");
  auto replay = Code(again["challenge"], TotpCodeAt(secret, now - 1));
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 401);
  // Two steps ahead is too far.
  EXPECT_EQ(Code(again["challenge"], TotpCodeAt(secret, now + 2))->status, 401);
  // One step ahead is accepted (the challenge survives a wrong code); then the current step is
  // an earlier one and refused too.
  auto ahead = Code(again["challenge"], TotpCodeAt(secret, now + 1));
  ASSERT_TRUE(ahead);
  EXPECT_EQ(ahead->status, 200) << ahead->body;
  json third = json::parse(Password("commander")->body);
  EXPECT_EQ(Code(third["challenge"], TotpCodeAt(secret, now))->status, 401);
  EXPECT_EQ(server_.AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'session.mfa_failed' "
                             "AND outcome = 'failed' AND ip = '127.0.0.1'"),
            "3\n");
}

TEST_F(MfaApiTest, WrongCodesCountTowardsTheLoginLock) {
  ASSERT_FALSE(server_.Login("auditor").empty());  // enrolled
  const std::string secret = server_.TotpSecret("auditor");
  json step = json::parse(Password("auditor")->body);
  ASSERT_EQ(step["mfa"], "required");
  const std::string wrong = Wrong(secret, TotpStepNow());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Code(step["challenge"], wrong)->status, 401) << i;
  }
  // Locked: the right code is refused, and so is the password, with the lock's words.
  auto locked = Code(step["challenge"], TotpCodeAt(secret, server_.NextTotpStep("auditor")));
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  auto password = Password("auditor");
  ASSERT_TRUE(password);
  EXPECT_EQ(password->status, 429);
  EXPECT_EQ(json::parse(locked->body)["error"]["message"],
            json::parse(password->body)["error"]["message"]);
  // A lock-out reads the same for an account that does not exist (session_test.cc): the words
  // are the password lock's.
  for (int i = 0; i < 5; ++i) {
    Password("ghost-0");
  }
  auto ghost = client_.Post("/api/v1/session",
                            json{{"username", "ghost-0"}, {"password", "wrong-password"}}.dump(),
                            "application/json");
  ASSERT_TRUE(ghost);
  EXPECT_EQ(ghost->status, 429);
  EXPECT_EQ(ghost->body, password->body);
  EXPECT_EQ(server_.AuditSql("SELECT outcome FROM audit WHERE action = 'session.login' AND "
                             "actor = 'auditor' ORDER BY id DESC LIMIT 1"),
            "locked\n");
}

TEST_F(MfaApiTest, AnOptionalRoleLogsInWithAPasswordAndMayEnrol) {
  std::string token = server_.Login("grid_demo");
  ASSERT_FALSE(token.empty());
  json status = Json(client_.Get("/api/v1/session/mfa", Bearer(token)));
  EXPECT_EQ(status, (json{{"enrolled", false}, {"required", false}}));
  auto start = client_.Post("/api/v1/session/mfa/enroll", Bearer(token), "{}", "application/json");
  ASSERT_TRUE(start);
  ASSERT_EQ(start->status, 200) << start->body;
  const std::string secret = json::parse(start->body)["secret"];
  EXPECT_NE(json::parse(start->body)["otpauth_uri"].get<std::string>().find(secret),
            std::string::npos);
  // Until confirmed, the password alone still logs in.
  EXPECT_FALSE(json::parse(Password("grid_demo")->body).contains("mfa"));
  auto wrong =
      client_.Post("/api/v1/session/mfa/confirm", Bearer(token),
                   json{{"code", Wrong(secret, TotpStepNow())}}.dump(), "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(json::parse(wrong->body)["error"]["details"][0]["field"], "code");
  const std::int64_t step = server_.NextTotpStep("grid_demo");
  auto confirm = client_.Post("/api/v1/session/mfa/confirm", Bearer(token),
                              json{{"code", TotpCodeAt(secret, step)}}.dump(), "application/json");
  ASSERT_TRUE(confirm);
  EXPECT_EQ(confirm->status, 200) << confirm->body;
  EXPECT_EQ(Json(client_.Get("/api/v1/session/mfa", Bearer(token)))["enrolled"], true);
  EXPECT_EQ(
      client_.Post("/api/v1/session/mfa/enroll", Bearer(token), "{}", "application/json")->status,
      409);
  // Now the grid worker is asked for a code too.
  EXPECT_EQ(json::parse(Password("grid_demo")->body)["mfa"], "required");
  server_.RememberTotp("grid_demo", secret, step);
  EXPECT_FALSE(server_.Login("grid_demo").empty());
  EXPECT_EQ(server_.AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'session.mfa_enrolled' AND "
                             "actor = 'grid_demo'"),
            "1\n");
}

TEST_F(MfaApiTest, AnAdministratorsResetEndsTheSessionsAndTheUserEnrolsAgain) {
  std::string commander = server_.Login("commander");
  std::string admin = server_.Login("admin");
  ASSERT_FALSE(commander.empty());
  ASSERT_FALSE(admin.empty());
  const std::string old_secret = server_.TotpSecret("commander");
  const std::string commander_id = std::to_string(UserId(commander));
  const std::string path = "/api/v1/users/" + commander_id + "/mfa";
  // Only an administrator; an unknown user is 404.
  EXPECT_EQ(client_.Delete(path, Bearer(commander))->status, 403);
  EXPECT_EQ(client_.Delete("/api/v1/users/999999/mfa", Bearer(admin))->status, 404);
  auto reset = client_.Delete(path, Bearer(admin));
  ASSERT_TRUE(reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  json answer = json::parse(reset->body);
  EXPECT_EQ(answer, (json{{"ended", 1}}));  // no secret in the answer
  EXPECT_EQ(client_.Get("/api/v1/session", Bearer(commander))->status, 401);
  EXPECT_EQ(client_.Get("/api/v1/session", Bearer(admin))->status, 200);
  // The next login enrols again, with a new secret.
  json again = json::parse(Password("commander")->body);
  EXPECT_EQ(again["mfa"], "enroll");
  EXPECT_NE(again["secret"], old_secret);
  server_.ForgetTotp("commander");
  EXPECT_FALSE(server_.Login("commander").empty());
  EXPECT_EQ(server_.AuditSql("SELECT actor, object_id, outcome, ip FROM audit WHERE action = "
                             "'users.mfa_reset'"),
            "admin|" + commander_id + "|ok|127.0.0.1\n");
}

TEST_F(MfaApiTest, TheOperatorResetsFromTheCommandLine) {
  ASSERT_FALSE(server_.Login("admin").empty());
  std::string out;
  ASSERT_EQ(server_.Run("user reset-mfa --username admin", "", &out), 0) << out;
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM user_totp"), "0\n");
  EXPECT_EQ(json::parse(Password("admin")->body)["mfa"], "enroll");
  EXPECT_NE(server_.Run("user reset-mfa --username nobody", "", &out), 0);
}

}  // namespace
}  // namespace cordon::testing
