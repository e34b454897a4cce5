// Control measures over HTTP (issue #3): plan from the profile, tests, release only when
// complete, chaining, extension, re-classification, scope and bad input.
#include <gtest/gtest.h>

#include <chrono>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class MeasuresApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=2", Bearer(admin_)));
    person_ = first["items"][0]["id"];
    second_ = first["items"][1]["id"];
    grid_ = first["items"][0]["region"];
  }

  json Post(const std::string& path, const json& body, int* status, const std::string& token = "") {
    auto res = server_.Client().Post(path, Bearer(token.empty() ? admin_ : token), body.dump(),
                                     "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::string Path(std::int64_t id, const char* what) {
    return "/api/v1/measures/" + std::to_string(id) + what;
  }

  CordonServer server_;
  std::string admin_, grid_;
  std::int64_t person_ = 0, second_ = 0;
};

TEST_F(MeasuresApiTest, ASecondaryContactIsQuarantinedTestedAndReleasedWhenComplete) {
  int status = 0;
  json m = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                {{"category", "secondary_contact"}, {"start_date", DaysAgo(9)}, {"place", "家中"}},
                &status);
  ASSERT_EQ(status, 201) << m.dump();
  EXPECT_EQ(m["measure"], "home_quarantine");
  EXPECT_EQ(m["state"], "active");
  EXPECT_EQ(m["days"], 7);
  EXPECT_EQ(m["day"], 10);
  EXPECT_EQ(m["test_days"], json({1, 4, 7}));
  EXPECT_EQ(m["end_date"], DaysAgo(3));  // day 7 is the last day
  EXPECT_EQ(m["profile_version"], 1);
  EXPECT_FALSE(m["release_ready"]);
  EXPECT_EQ(m["missing"].size(), 3u);  // three tests without a result
  std::int64_t id = m["id"];

  // Release is refused, and the answer says what is missing.
  json refused = Post(Path(id, "/transition"), {{"action", "release"}}, &status);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(refused["error"]["details"].size(), 3u);
  EXPECT_EQ(refused["error"]["details"][0]["field"], "missing");

  // A second measure for the same person is refused: re-classify instead.
  Post("/api/v1/people/" + std::to_string(person_) + "/measures", {{"category", "close_contact"}},
       &status);
  EXPECT_EQ(status, 409);

  // Day 5 is not a test day; day 12 has not come; results are negative or positive.
  Post(Path(id, "/tests"), {{"day", 5}, {"result", "negative"}}, &status);
  EXPECT_EQ(status, 400);
  Post(Path(id, "/tests"), {{"day", 1}, {"result", "maybe"}}, &status);
  EXPECT_EQ(status, 400);
  for (int day : {1, 4, 7}) {
    m = Post(Path(id, "/tests"), {{"day", day}, {"result", "negative"}}, &status);
    ASSERT_EQ(status, 200) << m.dump();
  }
  EXPECT_TRUE(m["release_ready"]) << m.dump();
  json released = Post(Path(id, "/transition"), {{"action", "release"}}, &status);
  ASSERT_EQ(status, 200) << released.dump();
  EXPECT_EQ(released["state"], "released");
  EXPECT_TRUE(released["next_id"].is_null());  // home quarantine is the whole plan
  EXPECT_EQ(released["history"].back()["to"], "released");
  EXPECT_EQ(released["history"].back()["by"], "admin");
  Post(Path(id, "/transition"), {{"action", "release"}}, &status);
  EXPECT_EQ(status, 409);
}

TEST_F(MeasuresApiTest, ACloseContactsQuarantineChainsIntoHomeMonitoring) {
  int status = 0;
  json m = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                {{"category", "close_contact"}, {"start_date", DaysAgo(8)}}, &status);
  ASSERT_EQ(status, 201) << m.dump();
  EXPECT_EQ(m["measure"], "central_quarantine");
  EXPECT_EQ(m["test_days"], json({1, 2, 3, 5, 7}));
  std::int64_t id = m["id"];
  // Day 7's test was missed: extend by 2 days, which ends with a test on day 9.
  for (int day : {1, 2, 3, 5}) {
    Post(Path(id, "/tests"), {{"day", day}, {"result", "negative"}}, &status);
    ASSERT_EQ(status, 200);
  }
  Post(Path(id, "/transition"), {{"action", "extend"}, {"days", 2}}, &status);
  EXPECT_EQ(status, 400);  // a reason is required
  json ext = Post(Path(id, "/transition"),
                  {{"action", "extend"}, {"days", 2}, {"reason", "第7天未采样"}}, &status);
  ASSERT_EQ(status, 200) << ext.dump();
  EXPECT_EQ(ext["state"], "extended");
  EXPECT_EQ(ext["end_date"], DaysAgo(0));  // day 9 is today
  EXPECT_EQ(ext["test_days"], json({1, 2, 3, 5, 7, 9}));
  Post(Path(id, "/tests"), {{"day", 7}, {"result", "negative"}}, &status);
  Post(Path(id, "/tests"), {{"day", 9}, {"result", "negative"}}, &status);
  json refused = Post(Path(id, "/transition"), {{"action", "release"}}, &status);
  EXPECT_EQ(status, 409);  // day 9 is not over
  ASSERT_EQ(refused["error"]["details"].size(), 1u);
  EXPECT_NE(refused["error"]["details"][0]["message"].get<std::string>().find("还差 1 天"),
            std::string::npos);
}

TEST_F(MeasuresApiTest, ReleaseOpensThePlansNextStep) {
  int status = 0;
  json m = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                {{"category", "close_contact"}, {"start_date", DaysAgo(9)}}, &status);
  ASSERT_EQ(status, 201);
  std::int64_t id = m["id"];
  for (int day : {1, 2, 3, 5, 7}) {
    Post(Path(id, "/tests"), {{"day", day}, {"result", "negative"}}, &status);
  }
  json released = Post(Path(id, "/transition"), {{"action", "release"}}, &status);
  ASSERT_EQ(status, 200) << released.dump();
  ASSERT_TRUE(released["next_id"].is_number());
  json next =
      Json(server_.Client().Get(Path(released["next_id"].get<std::int64_t>(), ""), Bearer(admin_)));
  EXPECT_EQ(next["measure"], "home_monitoring");
  EXPECT_EQ(next["start_date"], DaysAgo(2));  // the day after day 7: the plan runs on, unbroken
  EXPECT_EQ(next["state"], "active");
  EXPECT_EQ(next["previous_id"], id);
  EXPECT_EQ(next["test_days"], json({3}));
}

TEST_F(MeasuresApiTest, ReclassificationUpgradesAndKeepsTheHistory) {
  int status = 0;
  json m = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                {{"category", "secondary_contact"}}, &status);
  ASSERT_EQ(status, 201);
  Post("/api/v1/people/" + std::to_string(person_) + "/classify",
       {{"category", "medium_risk_area"}, {"reason", "核实行程"}}, &status);
  EXPECT_EQ(status, 409);  // not stronger
  json up = Post("/api/v1/people/" + std::to_string(person_) + "/classify",
                 {{"category", "close_contact"}, {"reason", "流调判定为密接"}}, &status);
  ASSERT_EQ(status, 200) << up.dump();
  EXPECT_EQ(up["measure"], "central_quarantine");
  EXPECT_EQ(up["previous_id"], m["id"]);
  json old = Json(server_.Client().Get(Path(m["id"].get<std::int64_t>(), ""), Bearer(admin_)));
  EXPECT_EQ(old["state"], "escalated");
  EXPECT_EQ(old["history"].back()["reason"], "流调判定为密接");
  json list = Json(server_.Client().Get("/api/v1/measures?state=all", Bearer(admin_)));
  EXPECT_EQ(list["items"].size(), 2u);
  // Paged one by one, the same two, in the same order, then the end.
  json first = Json(server_.Client().Get("/api/v1/measures?state=all&limit=1", Bearer(admin_)));
  ASSERT_TRUE(first["next"].is_string());
  auto second = server_.Client().Get(
      "/api/v1/measures?state=all&limit=1&after=" +
          httplib::detail::encode_query_param(first["next"].get<std::string>()),
      Bearer(admin_));
  json page2 = Json(second);
  EXPECT_EQ(first["items"][0]["id"], list["items"][0]["id"]);
  EXPECT_EQ(page2["items"][0]["id"], list["items"][1]["id"]);
  EXPECT_EQ(server_.Client().Get("/api/v1/measures?after=junk", Bearer(admin_))->status, 400);
  EXPECT_EQ(list["counts"]["by_measure"]["central_quarantine"], 1);
  EXPECT_FALSE(list["counts"]["by_measure"].contains("home_quarantine"));
}

TEST_F(MeasuresApiTest, GridWorkersSeeAndActOnlyInTheirGrids) {
  int status = 0;
  json page = Json(server_.Client().Get("/api/v1/people?limit=200", Bearer(admin_)));
  std::int64_t outsider = 0;
  std::string after;
  while (outsider == 0) {
    page = Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      if (p["region"] != grid_) {
        outsider = p["id"];
        break;
      }
    }
    ASSERT_FALSE(page["next"].is_null());
    after = page["next"];
  }
  json theirs = Post("/api/v1/people/" + std::to_string(outsider) + "/measures",
                     {{"category", "secondary_contact"}}, &status);
  ASSERT_EQ(status, 201);
  server_.AddUser("g1", "grid_worker", grid_);
  std::string worker = server_.Login("g1");
  Post("/api/v1/people/" + std::to_string(outsider) + "/measures", {{"category", "close_contact"}},
       &status, worker);
  EXPECT_EQ(status, 404);
  Post(Path(theirs["id"].get<std::int64_t>(), "/transition"),
       {{"action", "cancel"}, {"reason", "x"}}, &status, worker);
  EXPECT_EQ(status, 404);
  json mine = Post("/api/v1/people/" + std::to_string(person_) + "/measures",
                   {{"category", "secondary_contact"}}, &status, worker);
  ASSERT_EQ(status, 201) << mine.dump();
  json list = Json(server_.Client().Get("/api/v1/measures", Bearer(worker)));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], mine["id"]);
  EXPECT_TRUE(list["items"][0]["person"]["household_id"].is_number());  // for 三公示 and 四包一
  EXPECT_EQ(list["items"][0]["person"]["name"].get<std::string>().find("*") != std::string::npos,
            true);                                  // masked
  EXPECT_EQ(list["counts"]["tests_due_today"], 1);  // day 1 is today

  // The spreadsheet holds the same rows, masked: the worker's one, the city's two; then a blank
  // line and the watermark (who, when, the export's number).
  auto mine_csv = server_.Client().Get("/api/v1/measures/export.csv", Bearer(worker));
  ASSERT_EQ(mine_csv->status, 200);
  EXPECT_EQ(mine_csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(mine_csv->body.rfind("\xEF\xBB\xBF姓名,身份证号", 0), 0u);
  EXPECT_EQ(std::count(mine_csv->body.begin(), mine_csv->body.end(), '\n'), 4);
  EXPECT_NE(mine_csv->body.find("\r\n\r\n导出说明,导出人："), std::string::npos);
  EXPECT_NE(mine_csv->body.find("home_quarantine"), std::string::npos);
  EXPECT_NE(mine_csv->body.find("第 1 天"), std::string::npos);  // day 1's test is missing
  auto all_csv = server_.Client().Get("/api/v1/measures/export.csv", Bearer(admin_));
  EXPECT_EQ(std::count(all_csv->body.begin(), all_csv->body.end(), '\n'), 5);
  // And as the .xlsx officials send on: a zip holding one worksheet.
  auto xlsx = server_.Client().Get("/api/v1/measures/export.xlsx", Bearer(worker));
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx->body.rfind("PK\x03\x04", 0), 0u);
  EXPECT_NE(xlsx->body.find("xl/worksheets/sheet1.xml"), std::string::npos);
  auto outside =
      server_.Client().Get("/api/v1/measures/export.xlsx?region=" + grid_ + "999", Bearer(worker));
  EXPECT_EQ(outside->status, 404);
}

TEST_F(MeasuresApiTest, BadInputNamesTheFieldAndWritesNothing) {
  int status = 0;
  const std::string path = "/api/v1/people/" + std::to_string(second_) + "/measures";
  json r = Post(path, {{"category", "alien"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["details"][0]["field"], "category");
  r = Post(path, {{"category", "close_contact"}, {"start_date", "2022-02-30"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["details"][0]["field"], "start_date");
  r = Post(path, {{"category", "close_contact"}, {"start_date", DaysAgo(90)}}, &status);
  EXPECT_EQ(status, 400);
  r = Post(path, {{"category", "close_contact"}, {"colour", "red"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["details"][0]["field"], "colour");
  Post("/api/v1/people/99999999/measures", {{"category", "close_contact"}}, &status);
  EXPECT_EQ(status, 404);
  Post(Path(1, "/transition"), {{"action", "explode"}}, &status);
  EXPECT_EQ(status, 400);
  json list = Json(server_.Client().Get("/api/v1/measures?state=all", Bearer(admin_)));
  EXPECT_TRUE(list["items"].empty());
  auto bad = server_.Client().Get("/api/v1/measures?state=sometimes", Bearer(admin_));
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace cordon::testing
