// The end-of-incident purge over HTTP (security.md F3): an administrator asks, the commander
// approves, every person file is gone, the certificate verifies with `cordon purge verify` and
// fails once altered, and `cordon audit verify` still passes.
#include <gtest/gtest.h>

#include <fstream>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

TEST(PurgesApiTest, TheCommandersApprovalPurgesEveryPersonFileAndTheCertificateVerifies) {
  CordonServer server;
  const std::string admin = server.Login("admin");
  const std::string commander = server.Login("commander");
  auto client = server.Client();
  auto send = [&](const std::string& path, const json& body, const std::string& token,
                  int* status) {
    auto res = client.Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  };
  int status = 0;

  const std::string grid =
      Json(client.Get("/api/v1/people?limit=1", Bearer(admin)))["items"][0]["region"];
  json before = Json(client.Get("/api/v1/purges", Bearer(commander)));
  const std::int64_t people = before["counts"]["people"];
  ASSERT_GT(people, 0) << before.dump();

  json bad =
      send("/api/v1/purges", {{"reason", "本轮疫情已结束"}, {"confirm", "确认"}}, admin, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(bad.dump().find("confirm"), std::string::npos) << bad.dump();
  send("/api/v1/purges", {{"reason", "本轮疫情已结束"}, {"confirm", "销毁全部个人数据"}}, commander,
       &status);
  EXPECT_EQ(status, 403);  // asking is the administrator's
  json asked =
      send("/api/v1/purges",
           {{"reason", "本轮疫情已结束，按规定销毁个人数据"}, {"confirm", "销毁全部个人数据"}},
           admin, &status);
  ASSERT_EQ(status, 201) << asked.dump();
  EXPECT_FALSE(asked["can_approve"]);
  const std::string path = "/api/v1/purges/" + std::to_string(asked["id"].get<std::int64_t>());
  send(path + "/approve", json::object(), admin, &status);
  EXPECT_EQ(status, 403);  // not one's own

  json done = send(path + "/approve", {{"note", "同意"}}, commander, &status);
  ASSERT_EQ(status, 200) << done.dump();
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["tables"]["people"], people);
  json list = Json(client.Get("/api/v1/people?limit=5", Bearer(admin)));
  EXPECT_TRUE(list["items"].empty()) << list.dump();

  auto res = client.Get(path + "/certificate", Bearer(admin));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json certificate = json::parse(res->body);
  EXPECT_TRUE(certificate["verified"]);
  EXPECT_EQ(certificate["certificate"]["tables"]["people"], people);
  const std::string file = server.data_dir() + "/certificate.json";
  std::ofstream(file) << res->body;
  const std::string verify = std::string(CORDON_BINARY) + " purge verify " + ShellQuote(file);
  std::string out = Shell(verify + " 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  certificate["certificate"]["approved_by"] = "someone else";
  std::ofstream(file) << certificate.dump();
  out = Shell(verify + " 2>&1", &status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("NOT verified"), std::string::npos) << out;

  EXPECT_EQ(server.Run("audit verify", "", &out), 0) << out;
  EXPECT_NE(out.find("intact"), std::string::npos) << out;
  server.AddUser("purge_grid", "grid_worker", grid);
  const std::string grid_worker = server.Login("purge_grid");
  EXPECT_EQ(client.Get("/api/v1/purges", Bearer(grid_worker))->status, 403);
}

}  // namespace
}  // namespace cordon::testing
