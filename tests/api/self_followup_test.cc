// Personal self-report links (issue #3, home quarantine): the person reports their own
// temperature with no account; the grid worker's list shows who reported; the link reveals
// nothing but a masked name, stops when a new one is issued, and keeps the token out of logs.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class SelfFollowupApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
    int status = 0;
    json m = Post("/api/v1/people/" + std::to_string(first["items"][0]["id"].get<std::int64_t>()) +
                      "/measures",
                  {{"category", "secondary_contact"}}, &status, admin_);
    ASSERT_EQ(status, 201) << m.dump();
    measure_ = m["id"];
  }

  json Post(const std::string& path, const json& body, int* status, const std::string& token) {
    auto client = server_.Client();
    auto res = token.empty() ? client.Post(path, body.dump(), "application/json")
                             : client.Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::string LinkPath() const {
    return "/api/v1/measures/" + std::to_string(measure_) + "/self-report-link";
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  std::int64_t measure_ = 0;
};

TEST_F(SelfFollowupApiTest, APersonReportsFromTheirLinkAndTheWorkerSeesItDone) {
  int status = 0;
  json link = Post(LinkPath(), json::object(), &status, worker_);
  ASSERT_EQ(status, 201) << link.dump();
  const std::string token = link["token"];
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(link["path"], "/self#" + token);

  json view = Post("/api/v1/public/followup/status", {{"token", token}}, &status, "");
  ASSERT_EQ(status, 200) << view.dump();
  EXPECT_NE(view["name"].get<std::string>().find('*'), std::string::npos);  // masked
  EXPECT_EQ(view["measure"], "home_quarantine");
  EXPECT_EQ(view["slots"].size(), 2u);
  EXPECT_FALSE(view.contains("id_number"));
  EXPECT_FALSE(view.contains("phone"));
  const int slot = view["current_slot"];

  // A temperature is required and must be plausible; then the report lands in the slot.
  json bad = Post("/api/v1/public/followup/report", {{"token", token}}, &status, "");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "temperature");
  bad =
      Post("/api/v1/public/followup/report", {{"token", token}, {"temperature", 52}}, &status, "");
  EXPECT_EQ(status, 400);
  json done = Post("/api/v1/public/followup/report",
                   {{"token", token}, {"temperature", 37.8}, {"symptoms", "咳嗽"}}, &status, "");
  ASSERT_EQ(status, 201) << done.dump();
  EXPECT_EQ(done["slot"], slot);
  EXPECT_EQ(done["outcome"], "fever");
  EXPECT_NE(done["message"].get<std::string>().find("社区"), std::string::npos);
  Post("/api/v1/public/followup/report", {{"token", token}, {"temperature", 36.5}}, &status, "");
  EXPECT_EQ(status, 409);  // once per slot

  // The worker's list shows the slot done by the person; the fever raised an alert.
  json today = Json(server_.Client().Get("/api/v1/followups/today", Bearer(worker_)));
  ASSERT_EQ(today["items"].size(), 1u);
  json recorded = today["items"][0]["slots"][slot - 1];
  EXPECT_TRUE(recorded["done"]);
  EXPECT_EQ(recorded["source"], "self");
  json alerts = Json(server_.Client().Get("/api/v1/alerts", Bearer(worker_)));
  ASSERT_EQ(alerts["items"].size(), 1u);
  EXPECT_EQ(alerts["items"][0]["kind"], "fever");
  // Audited under the measure, not an account; the token is in no log.
  EXPECT_EQ(server_.AuditSql("SELECT COUNT(*) FROM audit WHERE actor = 'self-report' AND action = "
                             "'followups.record' AND object_id = '" +
                             std::to_string(measure_) + "'"),
            "1\n");
  EXPECT_EQ(server_.log().find(token), std::string::npos);
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM followup_links WHERE token_hash = '" + token + "'"),
            "0\n");

  // A new link stops the old one; an unknown token gets the same answer.
  json second = Post(LinkPath(), json::object(), &status, worker_);
  ASSERT_EQ(status, 201);
  json gone = Post("/api/v1/public/followup/status", {{"token", token}}, &status, "");
  EXPECT_EQ(status, 404) << gone.dump();
  Post("/api/v1/public/followup/status", {{"token", std::string(64, 'a')}}, &status, "");
  EXPECT_EQ(status, 404);
  Post("/api/v1/public/followup/status", {{"token", second["token"]}}, &status, "");
  EXPECT_EQ(status, 200);

  // Once the measure ends, the link ends with it.
  Post("/api/v1/measures/" + std::to_string(measure_) + "/transition",
       {{"action", "cancel"}, {"reason", "录入错误"}}, &status, admin_);
  ASSERT_EQ(status, 200);
  Post("/api/v1/public/followup/report", {{"token", second["token"]}, {"temperature", 36.5}},
       &status, "");
  EXPECT_EQ(status, 404);
}

TEST_F(SelfFollowupApiTest, OnlyThoseWhoRunMeasuresInTheJurisdictionIssueLinks) {
  int status = 0;
  Post(LinkPath(), json::object(), &status, server_.Login("commander"));
  EXPECT_EQ(status, 403);
  json page = Json(server_.Client().Get("/api/v1/people?limit=200", Bearer(admin_)));
  std::string other;
  for (const auto& p : page["items"]) {
    if (p["region"] != grid_) {
      other = p["region"];
    }
  }
  if (!other.empty()) {
    server_.AddUser("g2", "grid_worker", other);
    Post(LinkPath(), json::object(), &status, server_.Login("g2"));
    EXPECT_EQ(status, 404);
  }
  Post("/api/v1/measures/999999/self-report-link", json::object(), &status, admin_);
  EXPECT_EQ(status, 404);
}

}  // namespace
}  // namespace cordon::testing
