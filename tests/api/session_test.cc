// Logging in and out, sessions, cookies and throttling, against a real server.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

TEST(SessionApiTest, LoginSetsAStrictHttpOnlyCookieAndReturnsTheUser) {
  CordonServer server;
  auto client = server.Client();
  // A grid worker logs in with a password alone (TOTP is optional for the role: mfa_test.cc).
  auto res = client.Post("/api/v1/session",
                         json{{"username", "grid_demo"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  EXPECT_FALSE(body.contains("mfa"));
  EXPECT_EQ(body["user"]["username"], "grid_demo");
  EXPECT_EQ(body["user"]["role"], "grid_worker");
  EXPECT_FALSE(body["user"]["region"].get<std::string>().empty());
  EXPECT_EQ(body["token"].get<std::string>().size(), 64u);
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("__Host-cordon_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");

  // The cookie alone authenticates (the web UI never sees the token).
  std::string pair = cookie.substr(0, cookie.find(';'));
  auto me = client.Get("/api/v1/session", {{"Cookie", pair}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(json::parse(me->body)["user"]["username"], "grid_demo");
}

TEST(SessionApiTest, EveryLoginGetsANewToken) {
  CordonServer server;
  std::string a = server.Login("admin");
  std::string b = server.Login("admin");
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a, b);
}

TEST(SessionApiTest, NoTokenOrABadTokenIs401WithTheErrorShape) {
  CordonServer server;
  auto client = server.Client();
  for (const auto& headers : {httplib::Headers{}, Bearer("nonsense"), Bearer(std::string(64, 'a')),
                              httplib::Headers{{"Cookie", "__Host-cordon_session=abc"}}}) {
    auto res = client.Get("/api/v1/people", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    json body = json::parse(res->body);
    EXPECT_EQ(body["error"]["code"], "unauthenticated");
    EXPECT_TRUE(body["error"]["details"].is_array());
  }
}

TEST(SessionApiTest, WrongPasswordAndUnknownUserAnswerTheSame) {
  CordonServer server;
  auto client = server.Client();
  auto wrong = client.Post("/api/v1/session",
                           json{{"username", "admin"}, {"password", "wrong-password"}}.dump(),
                           "application/json");
  auto unknown = client.Post("/api/v1/session",
                             json{{"username", "nobody"}, {"password", "wrong-password"}}.dump(),
                             "application/json");
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
}

TEST(SessionApiTest, SixthWrongPasswordIsLockedEvenWithTheRightOne) {
  CordonServer server;
  auto client = server.Client();
  auto attempt = [&](const std::string& user, const std::string& password) {
    auto res =
        client.Post("/api/v1/session", json{{"username", user}, {"password", password}}.dump(),
                    "application/json");
    return res ? res->status : -1;
  };
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(attempt("commander", "wrong-password"), 401) << i;
  }
  EXPECT_EQ(attempt("commander", "wrong-password"), 429);
  EXPECT_EQ(attempt("commander", kPassword), 429);
  // The same answer for an account that does not exist.
  for (int i = 0; i < 5; ++i) {
    attempt("ghost", "wrong-password");
  }
  EXPECT_EQ(attempt("ghost", "wrong-password"), 429);
  // Other accounts are not affected.
  EXPECT_EQ(attempt("admin", kPassword), 200);
}

TEST(SessionApiTest, LogoutEndsTheSession) {
  CordonServer server;
  std::string token = server.Login("admin");
  auto client = server.Client();
  auto out = client.Delete("/api/v1/session", Bearer(token));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  auto after = client.Get("/api/v1/session", Bearer(token));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST(SessionApiTest, LogoutEverywhereAndAdminKillEndSessionsServerSide) {
  CordonServer server;
  std::string a = server.Login("commander");
  std::string b = server.Login("commander");
  auto client = server.Client();
  auto all = client.Delete("/api/v1/sessions", Bearer(a));
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 204);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(a))->status, 401);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(b))->status, 401);

  nlohmann::json user;
  std::string c = server.Login("commander", kPassword, &user);
  std::string admin = server.Login("admin");
  std::string path =
      "/api/v1/users/" + std::to_string(user["id"].get<std::int64_t>()) + "/sessions";
  EXPECT_EQ(client.Delete(path, Bearer(c))->status, 403);  // only administrators
  auto kill = client.Delete(path, Bearer(admin));
  ASSERT_TRUE(kill);
  ASSERT_EQ(kill->status, 200) << kill->body;
  EXPECT_EQ(json::parse(kill->body)["ended"], 1);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(c))->status, 401);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(admin))->status, 200);
  EXPECT_EQ(client.Delete("/api/v1/users/999999/sessions", Bearer(admin))->status, 404);
}

TEST(SessionApiTest, PasswordChangeChecksTheOldOneAndEndsOtherSessions) {
  CordonServer server;
  std::string first = server.Login("admin");
  std::string second = server.Login("admin");
  auto client = server.Client();
  auto bad =
      client.Post("/api/v1/session/password", Bearer(second),
                  json{{"old_password", "not-it-at-all"}, {"new_password", "N3w-password!"}}.dump(),
                  "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["details"][0]["field"], "old_password");
  auto weak = client.Post("/api/v1/session/password", Bearer(second),
                          json{{"old_password", kPassword}, {"new_password", "short"}}.dump(),
                          "application/json");
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 400);
  EXPECT_EQ(json::parse(weak->body)["error"]["details"][0]["field"], "new_password");
  auto ok = client.Post("/api/v1/session/password", Bearer(second),
                        json{{"old_password", kPassword}, {"new_password", "N3w-password!"}}.dump(),
                        "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 204);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(first))->status, 401);
  EXPECT_EQ(client.Get("/api/v1/session", Bearer(second))->status, 200);
  EXPECT_TRUE(server.Login("admin").empty());
  EXPECT_FALSE(server.Login("admin", "N3w-password!").empty());
}

TEST(SessionApiTest, UserAddRejectsBadInputWithExitStatus) {
  CordonServer server;
  std::string out;
  EXPECT_EQ(server.Run("user add --username x1 --role king --region 1", "Passw0rd-long", &out), 2)
      << out;
  EXPECT_NE(out.find("role"), std::string::npos);
  EXPECT_NE(
      server.Run("user add --username x2 --role admin --region 999999", "Passw0rd-long", &out), 0);
  EXPECT_NE(out.find("region"), std::string::npos);
  EXPECT_NE(server.Run("user add --username x3 --role admin", "Passw0rd-long", &out), 0);
}

}  // namespace
}  // namespace cordon::testing
