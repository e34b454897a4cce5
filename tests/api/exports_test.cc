// Exports over HTTP (security.md E1-E6): the export right, masked lists at once, whole
// identifiers only after a second person's approval and only to the requester, the watermark,
// the BOM, and the audit row with the file's hash.
#include <gtest/gtest.h>

#include <fstream>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ExportsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json me = Json(server_.Client().Get("/api/v1/session", Bearer(admin_)));
    city_ = me["user"]["region"];
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    person_ = first["items"][0]["id"];
    grid_ = first["items"][0]["region"];
    int status = 0;
    Post("/api/v1/people/" + std::to_string(person_) + "/measures",
         {{"category", "close_contact"}, {"start_date", DaysAgo(1)}}, admin_, &status);
    ASSERT_EQ(status, 201);
    server_.AddUser("ex_grid", "grid_worker", grid_);
    server_.AddUser("ex_epi", "epidemiologist", city_);
    server_.AddUser("ex_cmd", "commander", city_);
    server_.AddUser("ex_site", "site_manager", city_);
  }

  json Post(const std::string& path, const json& body, const std::string& token, int* status) {
    auto res = server_.Client().Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  CordonServer server_;
  std::string admin_, city_, grid_;
  std::int64_t person_ = 0;
};

TEST_F(ExportsApiTest, AGridWorkerTakesAMaskedWatermarkedListOfTheirGrid) {
  const std::string worker = server_.Login("ex_grid");
  auto res = server_.Client().Get("/api/v1/measures/export.csv?state=all", Bearer(worker));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string& csv = res->body;
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(csv.find("********"), std::string::npos);  // the ID number, masked
  EXPECT_NE(csv.find("导出人："), std::string::npos);
  EXPECT_NE(csv.find("（ex_grid）"), std::string::npos);
  const std::string id = res->get_header_value("X-Export-Id");
  ASSERT_FALSE(id.empty());
  EXPECT_NE(csv.find("导出编号：E" + id), std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Export-Rows"), "1");

  // The audit row holds the SHA-256 of exactly the bytes handed out.
  const std::string file = server_.data_dir() + "/export.csv";
  std::ofstream(file, std::ios::binary) << csv;
  int status = 0;
  std::string sha = Shell("sha256sum " + ShellQuote(file), &status).substr(0, 64);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(server_.AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'exports.download' AND "
                             "object_id = '" +
                             id + "' AND fields LIKE '%sha256=" + sha + "'"),
            "1\n");
  json mine = Json(server_.Client().Get("/api/v1/exports", Bearer(worker)));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["sha256"], sha);
  EXPECT_EQ(mine["items"][0]["rows"], 1);

  // Another grid's list is not theirs to take.
  auto other = server_.Client().Get("/api/v1/measures/export.csv?region=" + city_, Bearer(worker));
  EXPECT_EQ(other->status, 404);
}

TEST_F(ExportsApiTest, ReadingIsNotExporting) {
  const std::string site = server_.Login("ex_site");
  EXPECT_EQ(server_.Client().Get("/api/v1/measures", Bearer(site))->status, 200);
  EXPECT_EQ(server_.Client().Get("/api/v1/measures/export.xlsx", Bearer(site))->status, 403);
  int status = 0;
  Post("/api/v1/exports", {{"kind", "measures"}}, site, &status);
  EXPECT_EQ(status, 403);
  EXPECT_EQ(server_.Client().Get("/api/v1/exports?view=approvals", Bearer(site))->status, 403);
}

TEST_F(ExportsApiTest, WholeIdentifiersNeedAReasonAndASecondPerson) {
  const std::string epi = server_.Login("ex_epi");
  const std::string cmd = server_.Login("ex_cmd");
  int status = 0;
  json bad = Post("/api/v1/exports", {{"kind", "measures"}, {"unmasked", true}}, epi, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "reason");
  bad = Post("/api/v1/exports", {{"kind", "measures"}, {"filter", {{"colour", "red"}}}}, epi,
             &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "filter.colour");

  json e = Post("/api/v1/exports",
                {{"kind", "measures"},
                 {"format", "csv"},
                 {"filter", {{"state", "all"}}},
                 {"unmasked", true},
                 {"reason", "向省指挥部报送密接名单"}},
                epi, &status);
  ASSERT_EQ(status, 201) << e.dump();
  EXPECT_EQ(e["status"], "pending_approval");
  const std::string file = "/api/v1/exports/" + std::to_string(e["id"].get<int>()) + "/file";
  EXPECT_EQ(server_.Client().Get(file, Bearer(epi))->status, 409);

  json queue = Json(server_.Client().Get("/api/v1/exports?view=approvals", Bearer(cmd)));
  ASSERT_EQ(queue["items"].size(), 1u);
  EXPECT_TRUE(queue["items"][0]["can_approve"]);
  EXPECT_EQ(queue["counts"]["awaiting_me"], 1);
  json approved = Post("/api/v1/exports/" + std::to_string(e["id"].get<int>()) + "/approve",
                       json::object(), cmd, &status);
  ASSERT_EQ(status, 200) << approved.dump();
  EXPECT_EQ(approved["status"], "ready");
  EXPECT_EQ(approved["decided_by"]["username"], "ex_cmd");

  EXPECT_EQ(server_.Client().Get(file, Bearer(cmd))->status, 404);  // approvers take no copy
  auto taken = server_.Client().Get(file, Bearer(epi));
  ASSERT_EQ(taken->status, 200);
  // The whole ID number of the person under the measure is in the file, with the approver.
  json revealed = Post("/api/v1/people/" + std::to_string(person_) + "/reveal",
                       {{"fields", {"id_number"}}, {"reason", "核对导出"}}, admin_, &status);
  ASSERT_EQ(status, 200);
  EXPECT_NE(taken->body.find(revealed["id_number"].get<std::string>()), std::string::npos);
  EXPECT_NE(taken->body.find("审批"), std::string::npos);

  // A commander's own request waits for another commander.
  json own = Post("/api/v1/exports",
                  {{"kind", "measures"}, {"unmasked", true}, {"reason", "核对名单"}}, cmd, &status);
  ASSERT_EQ(status, 201);
  Post("/api/v1/exports/" + std::to_string(own["id"].get<int>()) + "/approve", json::object(), cmd,
       &status);
  EXPECT_EQ(status, 403);
}

}  // namespace
}  // namespace cordon::testing
