// Leads pushed as JSON rows (issue #3: "an API for data pushes", door-to-door entries, the line
// listing of one case's contacts): the rules, report and idempotence of a file, errors by row.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class LeadsPushApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    auto client = server_.Client();
    json first = Json(client.Get("/api/v1/people?limit=1", Bearer(admin_)));
    mine_ = Json(client.Post(
        "/api/v1/people/" + std::to_string(first["items"][0]["id"].get<std::int64_t>()) + "/reveal",
        Bearer(admin_), json{{"fields", {"id_number", "name"}}, {"reason", "推送测试"}}.dump(),
        "application/json"));
    grid_ = first["items"][0]["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
  }

  json Push(const json& body, int* status, const std::string& token) {
    auto res =
        server_.Client().Post("/api/v1/leads", Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  json mine_;
};

TEST_F(LeadsPushApiTest, AGridWorkersDoorToDoorRowsAreCheckedRowByRowAndCountedOnce) {
  const json body = {
      {"source", "door_to_door"},
      {"rows",
       {{{"name", mine_["name"]},
         {"id_number", mine_["id_number"]},
         {"category", "次密接"},
         {"楼栋", "3栋"}},
        {{"name", "错号码"}, {"id_number", "110105194912310021"}, {"category", "密接"}},
        {{"name", "类别错"}, {"id_number", "11010519491231002X"}, {"category", "外星来客"}}}}};
  int status = 0;
  json report = Push(body, &status, worker_);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 1);
  EXPECT_EQ(report["rejected"], 2);
  ASSERT_EQ(report["rows"].size(), 3u);
  EXPECT_EQ(report["rows"][0]["row"], 0);
  EXPECT_EQ(report["rows"][0]["outcome"], "accepted");
  EXPECT_EQ(report["rows"][1]["row"], 1);
  EXPECT_EQ(report["rows"][1]["field"], "id_number");
  EXPECT_EQ(report["rows"][2]["field"], "category");
  // A value with a line break spans two lines of the file: the rows still map back by index.
  json multi = Push({{"source", "door_to_door"},
                     {"rows",
                      {{{"name", "王五"}, {"id_number", "bad"}, {"address", "A路1号\n2栋"}},
                       {{"name", "赵六"}, {"id_number", "bad"}},
                       {{"name", "钱七"}, {"id_number", "bad"}}}}},
                    &status, worker_);
  ASSERT_EQ(status, 200) << multi.dump();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(multi["rows"][i]["row"], i) << multi.dump();
  }
  // The grid worker now has the task, with the source named.
  json tasks = Json(server_.Client().Get("/api/v1/tasks?limit=50", Bearer(worker_)));
  ASSERT_EQ(tasks["items"].size(), 1u) << tasks.dump();
  EXPECT_EQ(tasks["items"][0]["sources"], json({"door_to_door"}));
  // Sent again (a retry after a lost answer): the first report, nothing new.
  json again = Push(body, &status, worker_);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(again["already_imported"]);
  EXPECT_EQ(Json(server_.Client().Get("/api/v1/tasks?limit=50", Bearer(worker_)))["items"].size(),
            1u);
}

TEST_F(LeadsPushApiTest, OnlyTheCommandPushesOtherSourcesAndMalformedBodiesAreNamed) {
  int status = 0;
  json row = {{"name", mine_["name"]}, {"id_number", mine_["id_number"]}, {"category", "密接"}};
  Push({{"source", "data_push"}, {"rows", {row}}}, &status, worker_);
  EXPECT_EQ(status, 403);
  Push({{"source", "data_push"}, {"rows", {row}}}, &status, admin_);
  EXPECT_EQ(status, 200);

  json bad = Push({{"source", "data_push"}, {"rows", json::array()}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "rows");
  bad = Push({{"source", "data_push"}, {"rows", {row, {{"name", 42}}}}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "rows[1].name");
  bad = Push({{"source", "data_push"}, {"rows", {row, "text"}}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "rows[1]");
  bad = Push({{"source", "data_push"}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "rows");
  bad = Push({{"source", "carrier_pigeon"}, {"rows", {row}}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "source");
  json many = json::array();
  for (int i = 0; i < 5001; ++i) {
    many.push_back(row);
  }
  bad = Push({{"source", "data_push"}, {"rows", many}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "rows");
}

TEST_F(LeadsPushApiTest, ANewFileForAChildNeedsAGuardian) {
  // A valid ID of a girl born 2016-06-01, not in the city.
  const std::string first17 = "11010520160601002";
  const std::string id = WithCheckDigit(first17);
  int status = 0;
  json report = Push({{"source", "door_to_door"},
                      {"rows", {{{"name", "小明"}, {"id_number", id}, {"category", "密接"}}}}},
                     &status, worker_);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["rejected"], 1);
  EXPECT_EQ(report["rows"][0]["field"], "guardian");
  report = Push({{"source", "door_to_door"},
                 {"rows",
                  {{{"name", "小明"},
                    {"id_number", id},
                    {"category", "密接"},
                    {"监护人", "王建国"},
                    {"监护人电话", "13800138001"}}}}},
                &status, worker_);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 1) << report.dump();
}

TEST_F(LeadsPushApiTest, APassportHolderIsFiledOnceWithTheSexAndBirthDateGiven) {
  int status = 0;
  json row = {{"证件类型", "护照"},   {"id_number", "e12345678"},
              {"name", "JOHN SMITH"}, {"category", "入境"},
              {"性别", "男"},         {"出生日期", "1980-02-03"}};
  json report = Push({{"source", "door_to_door"}, {"rows", {row}}}, &status, worker_);
  ASSERT_EQ(status, 200) << report.dump();
  ASSERT_EQ(report["accepted"], 1) << report.dump();
  const std::int64_t person = report["rows"][0]["person_id"];
  json file =
      Json(server_.Client().Get("/api/v1/people/" + std::to_string(person), Bearer(worker_)));
  EXPECT_EQ(file["id_type"], "passport");
  EXPECT_EQ(file["sex"], "M");
  EXPECT_EQ(file["birth_date"], "1980-02-03");
  // The same passport from a checkpoint list: the same person, one task.
  json again = Push(
      {{"source", "door_to_door"},
       {"rows", {{{"证件类型", "passport"}, {"id_number", "E12345678"}, {"category", "密接"}}}}},
      &status, worker_);
  ASSERT_EQ(status, 200) << again.dump();
  EXPECT_EQ(again["merged"], 1) << again.dump();
  EXPECT_EQ(again["rows"][0]["person_id"], person);
  // A new passport holder without a sex or a birth date cannot be filed; bad types are named.
  json bad = Push(
      {{"source", "door_to_door"},
       {"rows",
        {{{"证件类型", "护照"}, {"id_number", "G7654321"}, {"name", "A B"}, {"category", "入境"}},
         {{"证件类型", "驾照"}, {"id_number", "G7654321"}, {"category", "入境"}},
         {{"证件类型", "护照"}, {"id_number", "G76-54"}, {"category", "入境"}}}}},
      &status, worker_);
  ASSERT_EQ(status, 200) << bad.dump();
  EXPECT_EQ(bad["rejected"], 3);
  EXPECT_EQ(bad["rows"][0]["field"], "sex");
  EXPECT_EQ(bad["rows"][1]["field"], "id_type");
  EXPECT_EQ(bad["rows"][2]["field"], "id_number");
}

}  // namespace
}  // namespace cordon::testing
