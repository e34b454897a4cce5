// Lead intake over HTTP (issue #3): import → match → dedup → route → work list → check, with
// per-row reports, idempotent re-imports, and grid workers who see only their grids.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr const char* kNewId = "11010519491231002X";  // valid, not in the generated city

class LeadsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    auto client = server_.Client();
    json first = Json(client.Get("/api/v1/people?limit=1", Bearer(admin_)));
    mine_ = first["items"][0];
    grid_ = mine_["region"];
    std::string after;
    while (other_.is_null()) {  // walk pages until the grid changes
      json page = Json(client.Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
      for (const auto& p : page["items"]) {
        if (p["region"] != grid_) {
          other_ = p;
          break;
        }
      }
      ASSERT_FALSE(page["next"].is_null());
      after = page["next"];
    }
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
  }

  json Reveal(const json& person) {
    auto res = server_.Client().Post(
        "/api/v1/people/" + std::to_string(person["id"].get<std::int64_t>()) + "/reveal",
        Bearer(admin_),
        json{{"fields", {"id_number", "name", "phone", "address"}}, {"reason", "线索导入测试"}}
            .dump(),
        "application/json");
    return Json(res);
  }

  json Import(const std::string& csv, const std::string& token, int* status,
              const std::string& source = "assist_notice") {
    auto res = server_.Client().Post(
        "/api/v1/leads/import?source=" + source + "&file_name=%E5%8D%8F%E6%9F%A5.csv",
        Bearer(token), csv, "text/csv");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  json Tasks(const std::string& token, const std::string& query = "") {
    return Json(server_.Client().Get("/api/v1/tasks?limit=500" + query, Bearer(token)));
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  json mine_, other_;
};

TEST_F(LeadsApiTest, OneFileBecomesOneTaskPerPersonWithEveryRowReported) {
  json a = Reveal(mine_);
  json b = Reveal(other_);
  ASSERT_FALSE(a["phone"].get<std::string>().empty());
  // The room changes, the building does not: the new person belongs to the same grid.
  std::string address = a["address"];
  std::string new_address = address.substr(0, address.find("单元")) + "单元999室";
  std::string csv =
      "姓名,身份证号,手机号,现住址,来源地,人员类别,报告时间,航班\n" + a["name"].get<std::string>() +
      "," + a["id_number"].get<std::string>() + ",,,上海,次密接," + "2022-04-01,MU5101\n" +
      // The same person again, by name and phone only, and a stronger category.
      a["name"].get<std::string>() + ",," + a["phone"].get<std::string>() + ",,上海,密接,,\n" +
      "新人员," + kNewId + ",13800138000," + new_address + ",北京,高风险区来返,,\n" +
      "坏号码,110105194912310021,,,,,,\n" + b["name"].get<std::string>() + "," +
      b["id_number"].get<std::string>() + ",,,,外星人,,\n" + ",,,,,,,\n";
  int status = 0;
  json report = Import(csv, admin_, &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 2) << report.dump();
  EXPECT_EQ(report["merged"], 1);
  EXPECT_EQ(report["rejected"], 3);
  EXPECT_FALSE(report["already_imported"]);
  ASSERT_EQ(report["rows"].size(), 6u);
  EXPECT_EQ(report["rows"][0]["line"], 2);
  EXPECT_EQ(report["rows"][0]["outcome"], "accepted");
  EXPECT_EQ(report["rows"][1]["outcome"], "merged");
  EXPECT_EQ(report["rows"][1]["task_id"], report["rows"][0]["task_id"]);
  EXPECT_EQ(report["rows"][3]["field"], "id_number");
  EXPECT_NE(report["rows"][3]["reason"].get<std::string>().find("校验"), std::string::npos);
  EXPECT_EQ(report["rows"][4]["field"], "category");
  EXPECT_EQ(report["rows"][5]["outcome"], "rejected");  // the empty row, said so

  // The grid worker's list: the person's one task, both sources' leads, the stronger category,
  // and the new person routed by building into the same grid. Nothing from other grids.
  json list = Tasks(worker_);
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();
  json task = list["items"][0];
  EXPECT_EQ(task["person"]["id"], mine_["id"]);
  EXPECT_EQ(task["category"], "close_contact");
  EXPECT_EQ(task["lead_count"], 2);
  EXPECT_EQ(task["sources"], json({"assist_notice"}));
  EXPECT_EQ(task["region"]["code"], grid_);
  EXPECT_FALSE(task["overdue"]);
  EXPECT_EQ(task["level"], "grid");  // not yet due: still the grid's
  EXPECT_EQ(task["person"]["id_number"].get<std::string>().find(a["id_number"].get<std::string>()),
            std::string::npos);  // masked
  EXPECT_FALSE(list["items"][1]["unrouted"]);
  EXPECT_EQ(list["counts"]["open"], 2);

  // A second source for the same person joins the same task.
  std::string push = "身份证号,人员类别\n" + a["id_number"].get<std::string>() + ",密接\n";
  json second = Import(push, admin_, &status, "data_push");
  ASSERT_EQ(status, 200) << second.dump();
  EXPECT_EQ(second["merged"], 1);
  json again = Tasks(worker_);
  EXPECT_EQ(again["items"][0]["sources"], json({"assist_notice", "data_push"}));
  EXPECT_EQ(again["items"][0]["lead_count"], 3);

  // The same file again changes nothing and says so.
  json repeat = Import(csv, admin_, &status);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(repeat["already_imported"]);
  EXPECT_EQ(repeat["import_id"], report["import_id"]);
  EXPECT_EQ(Tasks(admin_)["counts"]["open"], Tasks(admin_)["counts"]["open"]);
  EXPECT_EQ(Tasks(worker_)["items"][0]["lead_count"], 3);

  // The report goes back to the sender as a spreadsheet.
  auto file = server_.Client().Get("/api/v1/leads/imports/" +
                                       std::to_string(report["import_id"].get<std::int64_t>()) +
                                       "/report.csv",
                                   Bearer(admin_));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->body.rfind("\xEF\xBB\xBF行号,结果", 0), 0u);
  EXPECT_NE(file->body.find("退回"), std::string::npos);
}

TEST_F(LeadsApiTest, GridWorkerChecksOnlyTasksInTheirGridsAndCannotImport) {
  json a = Reveal(mine_);
  json b = Reveal(other_);
  std::string csv = "身份证号,人员类别\n" + a["id_number"].get<std::string>() + ",密接\n" +
                    b["id_number"].get<std::string>() + ",密接\n";
  int status = 0;
  json report = Import(csv, admin_, &status);
  ASSERT_EQ(status, 200) << report.dump();
  std::int64_t my_task = report["rows"][0]["task_id"];
  std::int64_t other_task = report["rows"][1]["task_id"];
  auto client = server_.Client();
  auto check = [&](std::int64_t id, const json& body) {
    return client.Post("/api/v1/tasks/" + std::to_string(id) + "/check", Bearer(worker_),
                       body.dump(), "application/json");
  };
  EXPECT_EQ(check(other_task, {{"method", "visit"}})->status, 404);
  EXPECT_EQ(check(my_task, {{"method", "teleport"}})->status, 400);
  auto done = check(my_task, {{"method", "call"}, {"note", "已电话联系，无症状"}});
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(json::parse(done->body)["status"], "checked");
  EXPECT_EQ(check(my_task, {{"method", "call"}})->status, 409);
  EXPECT_EQ(Tasks(worker_)["counts"]["open"], 0);
  EXPECT_EQ(Tasks(worker_, "&status=checked")["items"].size(), 1u);
  Import(csv + "x,y\n", worker_, &status);
  EXPECT_EQ(status, 403);
  auto outside =
      client.Get("/api/v1/tasks?region=" + other_["region"].get<std::string>(), Bearer(worker_));
  EXPECT_EQ(outside->status, 404);
}

TEST_F(LeadsApiTest, AnImporterLearnsNothingOfPeopleOutsideTheirJurisdiction) {
  json a = Reveal(mine_);
  json b = Reveal(other_);
  server_.AddUser("epi_mine", "epidemiologist", grid_);
  server_.AddUser("epi_other", "epidemiologist", other_["region"]);
  server_.AddUser("g2", "grid_worker", other_["region"]);
  std::string epi = server_.Login("epi_mine");
  std::string csv = "身份证号,人员类别\n" + a["id_number"].get<std::string>() + ",密接\n" +
                    b["id_number"].get<std::string>() + ",密接\n";
  int status = 0;
  json report = Import(csv, epi, &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 2);
  EXPECT_EQ(report["rows"][0]["person_id"], mine_["id"]);
  EXPECT_TRUE(report["rows"][1]["person_id"].is_null()) << report.dump();
  EXPECT_TRUE(report["rows"][1]["task_id"].is_null());
  EXPECT_NE(report["rows"][1]["reason"].get<std::string>().find("移交"), std::string::npos);
  // The task is there for the grid where the person lives.
  json theirs = Tasks(server_.Login("g2"));
  ASSERT_EQ(theirs["items"].size(), 1u);
  EXPECT_EQ(theirs["items"][0]["person"]["id"], other_["id"]);
  // The other grid's epidemiologist neither reads this import's report nor gets its ids by
  // sending the same file.
  std::string other_epi = server_.Login("epi_other");
  auto file = server_.Client().Get("/api/v1/leads/imports/" +
                                       std::to_string(report["import_id"].get<std::int64_t>()) +
                                       "/report.csv",
                                   Bearer(other_epi));
  EXPECT_EQ(file->status, 404);
  json same = Import(csv, other_epi, &status);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(same["already_imported"]);
  EXPECT_TRUE(same["rows"][0]["person_id"].is_null());
}

TEST_F(LeadsApiTest, AFileThatCannotBeReadChangesNothingAndSaysWhy) {
  int status = 0;
  json no_columns = Import("姓名,备注\n张三,x\n", admin_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(no_columns["error"]["details"][0]["field"], "header");
  json bad_quote = Import("身份证号,人员类别\n\"11010519491231002X,密接\n", admin_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(bad_quote["error"]["details"][0]["field"].get<std::string>().find("line"),
            std::string::npos);
  json bad_source = Import("身份证号\n11010519491231002X\n", admin_, &status, "rumour");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad_source["error"]["details"][0]["field"], "source");
  EXPECT_EQ(Tasks(admin_)["counts"]["open"], 0);
}

TEST_F(LeadsApiTest, GbkFilesAreReadLikeUtf8) {
  json a = Reveal(mine_);
  // "身份证号,人员类别\n" in GBK, then the ID and "密接" in GBK.
  std::string gbk = "\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,\xC8\xCB\xD4\xB1\xC0\xE0\xB1\xF0\n" +
                    a["id_number"].get<std::string>() + ",\xC3\xDC\xBD\xD3\n";
  int status = 0;
  json report = Import(gbk, admin_, &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 1) << report.dump();
  EXPECT_EQ(Tasks(worker_)["items"][0]["category"], "close_contact");
}

}  // namespace
}  // namespace cordon::testing
