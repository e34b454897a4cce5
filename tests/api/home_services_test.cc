// Home services and tip-offs over HTTP (issue #3): shopping on behalf with the money advanced
// and repaid, rubbish rounds, public tip-offs routed to the grid of the address and closed as
// verified (with a reward) or unfounded; scoped; bad input named.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class HomeServicesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    person_ = first["items"][0];
    grid_ = person_["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
    int status = 0;
    json m =
        Post("/api/v1/people/" + std::to_string(person_["id"].get<std::int64_t>()) + "/measures",
             {{"category", "secondary_contact"}}, &status, admin_);
    ASSERT_EQ(status, 201);
    measure_ = m["id"];
  }

  json Post(const std::string& path, const json& body, int* status, const std::string& token) {
    auto client = server_.Client();
    auto res = token.empty() ? client.Post(path, body.dump(), "application/json")
                             : client.Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::string ServicesPath() const {
    return "/api/v1/measures/" + std::to_string(measure_) + "/services";
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  json person_;
  std::int64_t measure_ = 0;
};

TEST_F(HomeServicesApiTest, ShoppingIsAdvancedAndRepaidAndRubbishRoundsAreRecorded) {
  int status = 0;
  json shop = Post(ServicesPath(),
                   {{"kind", "shopping"}, {"detail", "大米 5kg、鸡蛋 2 盒"}, {"advanced", "86.50"}},
                   &status, worker_);
  ASSERT_EQ(status, 201) << shop.dump();
  EXPECT_EQ(shop["status"], "open");
  EXPECT_EQ(shop["advanced_cents"], 8650);
  EXPECT_NE(shop["person"]["name"].get<std::string>().find('*'), std::string::npos);
  json round = Post(ServicesPath(), {{"kind", "rubbish"}, {"detail", "上午清运"}, {"done", true}},
                    &status, worker_);
  ASSERT_EQ(status, 201) << round.dump();
  EXPECT_EQ(round["status"], "done");

  json list = Json(server_.Client().Get("/api/v1/services", Bearer(worker_)));
  ASSERT_EQ(list["items"].size(), 1u);  // open ones by default
  EXPECT_EQ(list["counts"]["shopping_open"], 1);
  EXPECT_EQ(list["counts"]["unpaid_cents"], 8650);

  const std::string done_path =
      "/api/v1/services/" + std::to_string(shop["id"].get<int>()) + "/done";
  json bad = Post(done_path, {{"outcome", "已送达"}, {"repaid", "90"}}, &status, worker_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "repaid");
  json closed = Post(done_path, {{"outcome", "已送达，微信收回垫付款"}, {"repaid", "86.5"}},
                     &status, worker_);
  ASSERT_EQ(status, 200) << closed.dump();
  EXPECT_EQ(closed["repaid_cents"], 8650);
  Post(done_path, {{"outcome", "again"}}, &status, worker_);
  EXPECT_EQ(status, 409);
  list = Json(server_.Client().Get("/api/v1/services?status=all", Bearer(worker_)));
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["counts"]["unpaid_cents"], 0);

  // Bad input, named; a commander reads but does not request.
  bad = Post(ServicesPath(), {{"kind", "laundry"}, {"detail", "x"}}, &status, worker_);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "kind");
  bad = Post(ServicesPath(), {{"kind", "shopping"}, {"detail", "x"}, {"advanced", "12.345"}},
             &status, worker_);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "advanced");
  bad = Post(ServicesPath(), {{"kind", "rubbish"}, {"detail", "x"}, {"done", "yes"}}, &status,
             worker_);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "done");
  bad = Post(ServicesPath(),
             {{"kind", "shopping"}, {"detail", "x"}, {"advanced", "5"}, {"done", true}}, &status,
             worker_);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "advanced");  // money is settled on closing
  Post(ServicesPath(), {{"kind", "shopping"}, {"detail", "x"}}, &status,
       server_.Login("commander"));
  EXPECT_EQ(status, 403);
  Post("/api/v1/measures/999999/services", {{"kind", "shopping"}, {"detail", "x"}}, &status,
       worker_);
  EXPECT_EQ(status, 404);
}

TEST_F(HomeServicesApiTest, ATipOffReachesTheGridOfTheAddressAndIsClosedWithAReward) {
  json revealed = Json(server_.Client().Post(
      "/api/v1/people/" + std::to_string(person_["id"].get<std::int64_t>()) + "/reveal",
      Bearer(admin_), json{{"fields", {"address"}}, {"reason", "举报测试"}}.dump(),
      "application/json"));
  std::string address = revealed["address"];
  int status = 0;
  json receipt =
      Post("/api/v1/public/tip-offs",
           {{"address", address}, {"detail", "隔离期间多次外出买菜"}, {"phone", "13900001111"}},
           &status, "");
  ASSERT_EQ(status, 201) << receipt.dump();
  EXPECT_EQ(receipt["receipt"].get<std::string>().substr(0, 2), "JB");
  EXPECT_FALSE(receipt.contains("id"));
  // Nowhere known: the city's inbox.
  Post("/api/v1/public/tip-offs", {{"address", "某处某地无名路"}, {"detail", "有人聚集打牌"}},
       &status, "");
  ASSERT_EQ(status, 201);
  json bad = Post("/api/v1/public/tip-offs", {{"address", "某路"}, {"detail", "x"}}, &status, "");
  EXPECT_EQ(status, 400);
  bad = Post("/api/v1/public/tip-offs",
             {{"address", address}, {"detail", "有人外出"}, {"phone", "123"}}, &status, "");
  EXPECT_EQ(bad["error"]["details"][0]["field"], "phone");

  json mine = Json(server_.Client().Get("/api/v1/tip-offs", Bearer(worker_)));
  ASSERT_EQ(mine["items"].size(), 1u) << mine.dump();
  EXPECT_EQ(mine["items"][0]["region"]["code"], grid_);
  EXPECT_EQ(mine["items"][0]["contact_phone"], "139****1111");
  EXPECT_EQ(mine["items"][0]["address"], address);  // where to go, whole
  json all = Json(server_.Client().Get("/api/v1/tip-offs", Bearer(admin_)));
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_TRUE(all["items"][1]["unrouted"]);

  const std::string close =
      "/api/v1/tip-offs/" + std::to_string(mine["items"][0]["id"].get<int>()) + "/close";
  bad = Post(close, {{"status", "unfounded"}, {"outcome", "查无此事"}, {"reward", "50"}}, &status,
             worker_);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "reward");
  json done = Post(
      close, {{"status", "verified"}, {"outcome", "属实，已劝返并加强管控"}, {"reward", "200"}},
      &status, worker_);
  ASSERT_EQ(status, 200) << done.dump();
  EXPECT_EQ(done["status"], "verified");
  EXPECT_EQ(done["reward_cents"], 20000);
  Post(close, {{"status", "unfounded"}, {"outcome", "x"}}, &status, worker_);
  EXPECT_EQ(status, 409);
  // The city's inbox is not the grid worker's.
  const std::string other =
      "/api/v1/tip-offs/" + std::to_string(all["items"][1]["id"].get<int>()) + "/close";
  Post(other, {{"status", "unfounded"}, {"outcome", "x"}}, &status, worker_);
  EXPECT_EQ(status, 404);
}

}  // namespace
}  // namespace cordon::testing
