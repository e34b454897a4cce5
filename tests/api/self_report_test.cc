// The public self-report form (主动报备): no account, validated, answered with a receipt only,
// limited per address, and turned into a lead in the arrival's grid.
#include <gtest/gtest.h>

#include <regex>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/api/v1/public/self-report";

json Form(const std::string& id_number, const std::string& address) {
  return {{"name", "王小明"},           {"id_number", id_number},     {"phone", "13800138000"},
          {"address", address},         {"origin", "上海市浦东新区"}, {"arrival_date", DaysAgo(3)},
          {"risk", "medium_risk_area"}, {"note", "乘高铁 G7"}};
}

TEST(SelfReportApiTest, AnArrivalGetsAReceiptAndTheirGridATask) {
  CordonServer server;
  std::string admin = server.Login("admin");
  json person = Json(server.Client().Get("/api/v1/people?limit=1", Bearer(admin)))["items"][0];
  json full = Json(server.Client().Post(
      "/api/v1/people/" + std::to_string(person["id"].get<std::int64_t>()) + "/reveal",
      Bearer(admin), json{{"fields", {"address"}}, {"reason", "报备测试"}}.dump(),
      "application/json"));
  // A new arrival living in the same building as that person: routed to that grid.
  std::string address = full["address"];
  address = address.substr(0, address.find("单元")) + "单元909室";
  json form = Form("11010519491231002X", address);

  auto client = server.Client();  // no token: the form is public
  auto res = client.Post(kPath, form.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  json answer = json::parse(res->body);
  EXPECT_TRUE(
      std::regex_match(answer["receipt"].get<std::string>(), std::regex(R"(ZB\d{8}-\d{6})")))
      << answer.dump();
  EXPECT_EQ(answer.size(), 2u);  // the receipt and a message: nothing about anyone is read back

  json tasks = Json(
      client.Get("/api/v1/tasks?region=" + person["region"].get<std::string>(), Bearer(admin)));
  ASSERT_EQ(tasks["items"].size(), 1u) << tasks.dump();
  EXPECT_EQ(tasks["items"][0]["sources"], json({"self_report"}));
  EXPECT_EQ(tasks["items"][0]["category"], "medium_risk_area");
  EXPECT_FALSE(tasks["items"][0]["unrouted"]);

  // The same report again is one lead, and still gets its receipt.
  auto again = client.Post(kPath, form.dump(), "application/json");
  ASSERT_EQ(again->status, 201);
  EXPECT_EQ(json::parse(again->body)["receipt"], answer["receipt"]);
  EXPECT_EQ(Json(client.Get("/api/v1/tasks", Bearer(admin)))["items"][0]["lead_count"], 1);
}

TEST(SelfReportApiTest, EveryMissingOrWrongFieldIsNamedAndNothingIsWritten) {
  CordonServer server;
  auto client = server.Client();
  auto res = client.Post(kPath, json{{"name", "王小明"}}.dump(), "application/json");
  ASSERT_EQ(res->status, 400);
  json error = json::parse(res->body)["error"];
  EXPECT_EQ(error["details"].size(), 5u);  // id_number, phone, address, origin, arrival_date
  json bad_id = Form("110105194912310021", "某路1号");
  res = client.Post(kPath, bad_id.dump(), "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["details"][0]["field"], "id_number");
  json future = Form("11010519491231002X", "某路1号");
  future["arrival_date"] = "2099-01-01";
  res = client.Post(kPath, future.dump(), "application/json");
  EXPECT_EQ(json::parse(res->body)["error"]["details"][0]["field"], "arrival_date");
  json unknown = Form("11010519491231002X", "某路1号");
  unknown["password"] = "x";
  res = client.Post(kPath, unknown.dump(), "application/json");
  EXPECT_EQ(json::parse(res->body)["error"]["details"][0]["field"], "password");
  std::string admin = server.Login("admin");
  EXPECT_TRUE(Json(client.Get("/api/v1/tasks", Bearer(admin)))["items"].empty());
}

TEST(SelfReportApiTest, OneAddressMaySendTenAnHour) {
  CordonServer server;
  auto client = server.Client();
  int accepted = 0;
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto res = client.Post(kPath, json{{"name", "x"}}.dump(), "application/json");
    ASSERT_TRUE(res);
    accepted += res->status == 400 ? 1 : 0;  // counted, then refused for its content
    limited += res->status == 429 ? 1 : 0;
  }
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(limited, 2);
}

}  // namespace
}  // namespace cordon::testing
