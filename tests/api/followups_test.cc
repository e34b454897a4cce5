// Follow-ups and alerts over HTTP (issue #3, home quarantine): today's list for a grid worker,
// two follow-ups a day, a fever that raises an alert, closing it, scope and bad input.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class FollowupsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    person_ = first["items"][0]["id"];
    grid_ = first["items"][0]["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
    int status = 0;
    json m = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                  {{"category", "secondary_contact"}}, &status, admin_);
    ASSERT_EQ(status, 201) << m.dump();
    measure_ = m["id"];
  }

  json Post(const std::string& path, const json& body, int* status, const std::string& token) {
    auto res = server_.Client().Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::string FollowupPath() {
    return "/api/v1/measures/" + std::to_string(measure_) + "/followups";
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  std::int64_t person_ = 0, measure_ = 0;
};

TEST_F(FollowupsApiTest, TwoFollowUpsADayAndAFeverRaisesAnAlertUpTheChain) {
  json today = Json(server_.Client().Get("/api/v1/followups/today", Bearer(worker_)));
  EXPECT_EQ(today["times"], json({"08:00", "16:00"}));
  ASSERT_EQ(today["items"].size(), 1u);
  EXPECT_EQ(today["items"][0]["measure_id"], measure_);
  EXPECT_EQ(today["items"][0]["slots"].size(), 2u);
  EXPECT_FALSE(today["items"][0]["slots"][0]["done"]);
  EXPECT_NE(today["items"][0]["person"]["name"].get<std::string>().find('*'), std::string::npos);

  int status = 0;
  json first = Post(FollowupPath(), {{"slot", 1}, {"outcome", "ok"}, {"temperature", 36.6}},
                    &status, worker_);
  ASSERT_EQ(status, 200) << first.dump();
  EXPECT_EQ(first["followup"]["outcome"], "ok");
  EXPECT_EQ(first["followup"]["time"], "08:00");
  EXPECT_TRUE(first["alert"].is_null());
  Post(FollowupPath(), {{"slot", 1}, {"outcome", "ok"}, {"temperature", 36.6}}, &status, worker_);
  EXPECT_EQ(status, 409);  // once per slot

  json second = Post(FollowupPath(),
                     {{"slot", 2}, {"outcome", "ok"}, {"temperature", 38.2}, {"symptoms", "咳嗽"}},
                     &status, worker_);
  ASSERT_EQ(status, 200) << second.dump();
  EXPECT_EQ(second["followup"]["outcome"], "fever");
  ASSERT_TRUE(second["alert"].is_object());
  EXPECT_EQ(second["alert"]["kind"], "fever");
  EXPECT_EQ(second["alert"]["detail"], "16:00 随访：体温 38.2℃，咳嗽");
  EXPECT_EQ(second["alert"]["escalation"], json({"medical_visit", "test", "transfer"}));
  EXPECT_EQ(second["alert"]["level"], "community");  // a fever goes up at once

  json done = Json(server_.Client().Get("/api/v1/followups/today", Bearer(worker_)));
  EXPECT_EQ(done["counts"]["done"], 2);
  EXPECT_EQ(done["counts"]["alerts_open"], 1);
  EXPECT_DOUBLE_EQ(done["items"][0]["slots"][1]["temperature"].get<double>(), 38.2);

  json alerts = Json(server_.Client().Get("/api/v1/alerts", Bearer(admin_)));
  ASSERT_EQ(alerts["items"].size(), 1u);
  EXPECT_EQ(alerts["counts"]["by_kind"]["fever"], 1);
  std::int64_t id = alerts["items"][0]["id"];
  Post("/api/v1/alerts/" + std::to_string(id) + "/close", {{"outcome", ""}}, &status, worker_);
  EXPECT_EQ(status, 400);
  json closed = Post("/api/v1/alerts/" + std::to_string(id) + "/close",
                     {{"outcome", "已安排核酸，结果阴性"}}, &status, worker_);
  ASSERT_EQ(status, 200) << closed.dump();
  EXPECT_EQ(closed["state"], "closed");
  EXPECT_EQ(closed["closed_by"], "g1");
  Post("/api/v1/alerts/" + std::to_string(id) + "/close", {{"outcome", "again"}}, &status, worker_);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(Json(server_.Client().Get("/api/v1/alerts", Bearer(admin_)))["counts"]["open"], 0);
}

TEST_F(FollowupsApiTest, LeavingHomeIsAViolationAndOutsidersSeeNothing) {
  int status = 0;
  json r = Post(FollowupPath(), {{"slot", 1}, {"outcome", "left_home"}}, &status, worker_);
  ASSERT_EQ(status, 200) << r.dump();
  EXPECT_EQ(r["alert"]["kind"], "violation");
  EXPECT_EQ(r["alert"]["escalation"], json({"police", "transfer"}));

  // A grid worker of another grid sees no follow-ups and no alerts, and cannot record.
  json page = Json(server_.Client().Get("/api/v1/people?limit=200", Bearer(admin_)));
  std::string other_grid;
  std::string after;
  while (other_grid.empty()) {
    page = Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      if (p["region"] != grid_) {
        other_grid = p["region"];
        break;
      }
    }
    ASSERT_FALSE(page["next"].is_null());
    after = page["next"];
  }
  server_.AddUser("g2", "grid_worker", other_grid);
  std::string outsider = server_.Login("g2");
  EXPECT_TRUE(
      Json(server_.Client().Get("/api/v1/followups/today", Bearer(outsider)))["items"].empty());
  EXPECT_TRUE(Json(server_.Client().Get("/api/v1/alerts", Bearer(outsider)))["items"].empty());
  Post(FollowupPath(), {{"slot", 2}, {"outcome", "ok"}, {"temperature", 36.5}}, &status, outsider);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(server_.Client().Get("/api/v1/alerts?region=" + grid_, Bearer(outsider))->status, 404);
}

TEST_F(FollowupsApiTest, BadFollowUpsNameTheFieldAndWriteNothing) {
  int status = 0;
  const json bad[] = {
      {{"slot", 3}, {"outcome", "ok"}, {"temperature", 36.5}},
      {{"slot", 1}, {"outcome", "ok"}},
      {{"slot", 1}, {"outcome", "ok"}, {"temperature", "36.5"}},
      {{"slot", 1}, {"outcome", "ok"}, {"temperature", 45}},
      {{"slot", 1}, {"outcome", "fine"}, {"temperature", 36.5}},
      {{"slot", 1}, {"outcome", "ok"}, {"temperature", 36.5}, {"mood", "good"}},
  };
  const char* fields[] = {"slot", "temperature", "temperature", "temperature", "outcome", "mood"};
  for (std::size_t i = 0; i < std::size(bad); ++i) {
    json r = Post(FollowupPath(), bad[i], &status, worker_);
    EXPECT_EQ(status, 400) << bad[i].dump();
    EXPECT_EQ(r["error"]["details"][0]["field"], fields[i]) << r.dump();
  }
  json today = Json(server_.Client().Get("/api/v1/followups/today", Bearer(worker_)));
  EXPECT_EQ(today["counts"]["done"], 0);
}

TEST_F(FollowupsApiTest, ThePersonsTimelineTellsEverythingThatHappenedAndWho) {
  int status = 0;
  Post(FollowupPath(), {{"slot", 1}, {"outcome", "ok"}, {"temperature", 38.4}}, &status, worker_);
  ASSERT_EQ(status, 200);
  json timeline = Json(server_.Client().Get(
      "/api/v1/people/" + std::to_string(person_) + "/timeline", Bearer(worker_)));
  std::vector<std::string> kinds;
  for (const auto& e : timeline["items"]) {
    kinds.push_back(e["kind"]);
  }
  // Newest first: the alert, the follow-up, the measure, the file.
  ASSERT_GE(kinds.size(), 4u) << timeline.dump();
  EXPECT_EQ(kinds.back(), "file");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "measure"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "alert"), kinds.end());
  auto followup = std::find(kinds.begin(), kinds.end(), "followup");
  ASSERT_NE(followup, kinds.end());
  const json& f = timeline["items"][static_cast<std::size_t>(followup - kinds.begin())];
  EXPECT_EQ(f["by"], "g1");
  EXPECT_NE(f["detail"].get<std::string>().find("38.4"), std::string::npos) << f.dump();
  // Outside the jurisdiction: a 404 like a missing person.
  std::string other =
      server_.Sql("SELECT code FROM regions WHERE level = 5 AND code <> '" + grid_ + "' LIMIT 1");
  other.erase(other.find_last_not_of('\n') + 1);
  server_.AddUser("far", "grid_worker", other);
  EXPECT_EQ(server_.Client()
                .Get("/api/v1/people/" + std::to_string(person_) + "/timeline",
                     Bearer(server_.Login("far")))
                ->status,
            404);
}

}  // namespace
}  // namespace cordon::testing
