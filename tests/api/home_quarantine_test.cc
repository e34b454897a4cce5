// Home-quarantine households and 四包一 over HTTP (issue #3): a household with someone under
// home quarantine is listed and flagged until its four responsible staff are named, each from
// the household's own grid, community or street and fit for the duty; scoped; bad input named.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class HomeQuarantineApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    person_ = first["items"][0];
    ASSERT_FALSE(person_["household_id"].is_null());
    household_ = person_["household_id"];
    grid_ = person_["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
    int status = 0;
    Call("POST",
         "/api/v1/people/" + std::to_string(person_["id"].get<std::int64_t>()) + "/measures",
         {{"category", "secondary_contact"}}, &status, admin_);
    ASSERT_EQ(status, 201);
  }

  json Call(const std::string& method, const std::string& path, const json& body, int* status,
            const std::string& token) {
    auto client = server_.Client();
    httplib::Result res = method == "GET" ? client.Get(path, Bearer(token))
                          : method == "PATCH"
                              ? client.Patch(path, Bearer(token), body.dump(), "application/json")
                              : client.Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::string StaffPath() const {
    return "/api/v1/households/" + std::to_string(household_) + "/staff";
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
  json person_;
  std::int64_t household_ = 0;
};

TEST_F(HomeQuarantineApiTest, AHouseholdIsFlaggedUntilItsFourStaffAreNamed) {
  int status = 0;
  json list = Call("GET", "/api/v1/home-quarantine", {}, &status, worker_);
  ASSERT_EQ(status, 200) << list.dump();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], household_);
  EXPECT_EQ(list["items"][0]["under_measures"], 1);
  EXPECT_FALSE(list["items"][0]["complete"]);
  EXPECT_NE(list["items"][0]["address"].get<std::string>().find('*'), std::string::npos);
  EXPECT_EQ(list["counts"]["incomplete"], 1);
  EXPECT_EQ(list["items"][0]["measure_ids"].size(), 1u);
  EXPECT_EQ(list["items"][0]["missing"], json({"cadre", "grid_worker", "doctor", "police"}));

  json staff = Call("GET", StaffPath(), {}, &status, worker_);
  ASSERT_EQ(status, 200) << staff.dump();
  ASSERT_EQ(staff["duties"].size(), 4u);
  json choice = json::object();
  std::int64_t doctor = 0;
  for (const auto& d : staff["duties"]) {
    EXPECT_TRUE(d["staff"].is_null());
    ASSERT_FALSE(d["candidates"].empty()) << d.dump();  // the demo city staffs every community
    choice[d["duty"].get<std::string>()] = d["candidates"][0]["id"];
    if (d["duty"] == "doctor") {
      doctor = d["candidates"][0]["id"];
    }
  }
  EXPECT_EQ(staff["duties"][1]["candidates"][0]["role"], "网格员");

  // A doctor is not a police officer; someone of another community is no one's here.
  json bad = Call("PATCH", StaffPath(), {{"police", doctor}}, &status, worker_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "police");
  bad = Call("PATCH", StaffPath(), {{"cadre", "张三"}}, &status, worker_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "cadre");
  bad = Call("PATCH", StaffPath(), {{"janitor", 1}}, &status, worker_);
  EXPECT_EQ(status, 400);
  bad = Call("PATCH", StaffPath(), json::object(), &status, worker_);
  EXPECT_EQ(status, 400);
  Call("PATCH", StaffPath(), choice, &status, server_.Login("commander"));
  EXPECT_EQ(status, 403);

  json done = Call("PATCH", StaffPath(), choice, &status, worker_);
  ASSERT_EQ(status, 200) << done.dump();
  EXPECT_TRUE(done["complete"]);
  EXPECT_EQ(done["duties"][2]["staff"]["id"], doctor);
  // The named staff's duty phones are printed on the door: in full; candidates stay masked.
  EXPECT_EQ(done["duties"][2]["staff"]["phone"].get<std::string>().find('*'), std::string::npos);
  EXPECT_NE(done["duties"][2]["candidates"][0]["phone"].get<std::string>().find('*'),
            std::string::npos);
  EXPECT_TRUE(done["household"]["missing"].empty());
  list = Call("GET", "/api/v1/home-quarantine?incomplete=1", {}, &status, worker_);
  EXPECT_TRUE(list["items"].empty());
  EXPECT_EQ(list["counts"]["incomplete"], 0);
  // Clearing one duty flags the household again.
  done = Call("PATCH", StaffPath(), {{"police", nullptr}}, &status, worker_);
  ASSERT_EQ(status, 200) << done.dump();
  EXPECT_FALSE(done["complete"]);
  EXPECT_TRUE(done["duties"][3]["staff"].is_null());
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM audit WHERE action = 'home_quarantine.staff'"),
            "2\n");
}

TEST_F(HomeQuarantineApiTest, OutsideTheJurisdictionAHouseholdIsNotFound) {
  std::string after, other_grid;
  while (other_grid.empty()) {
    json page =
        Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      if (p["region"] != grid_) {
        other_grid = p["region"];
      }
    }
    ASSERT_FALSE(page["next"].is_null());
    after = page["next"];
  }
  server_.AddUser("g2", "grid_worker", other_grid);
  const std::string outsider = server_.Login("g2");
  int status = 0;
  Call("GET", StaffPath(), {}, &status, outsider);
  EXPECT_EQ(status, 404);
  Call("PATCH", StaffPath(), {{"police", nullptr}}, &status, outsider);
  EXPECT_EQ(status, 404);
  json list = Call("GET", "/api/v1/home-quarantine", {}, &status, outsider);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(list["items"].empty());
  Call("GET", "/api/v1/home-quarantine?region=" + grid_, {}, &status, outsider);
  EXPECT_EQ(status, 404);
  Call("GET", "/api/v1/home-quarantine?incomplete=yes", {}, &status, worker_);
  EXPECT_EQ(status, 400);
}

}  // namespace
}  // namespace cordon::testing
