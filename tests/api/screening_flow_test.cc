// The whole flow of issue #3 against one server, as a street's day goes: an assist-notice list
// comes in → a doubtful match is merged → the lead reaches the grid worker's list → checked at
// the door → home quarantine from the plan → 四包一 → follow-ups, one reported by the person
// from their own link → tests → release, with the timeline telling it all.
#include <gtest/gtest.h>

#include <set>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ScreeningFlowTest : public ::testing::Test {
 protected:
  json Call(const std::string& method, const std::string& path, const json& body,
            const std::string& token, int expected) {
    auto client = server_.Client();
    httplib::Result res =
        method == "GET"     ? client.Get(path, Bearer(token))
        : method == "PATCH" ? client.Patch(path, Bearer(token), body.dump(), "application/json")
        : token.empty()     ? client.Post(path, body.dump(), "application/json")
                            : client.Post(path, Bearer(token), body.dump(), "application/json");
    EXPECT_TRUE(res) << method << " " << path;
    if (!res) {
      return json();
    }
    EXPECT_EQ(res->status, expected) << method << " " << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  CordonServer server_;
};

TEST_F(ScreeningFlowTest, AListBecomesAQuarantineThatIsFollowedAndReleased) {
  const std::string admin = server_.Login("admin");
  // A resident on file, and the grid worker of their grid.
  json resident = Call("GET", "/api/v1/people?limit=1", {}, admin, 200)["items"][0];
  const std::int64_t person = resident["id"];
  const std::string grid = resident["region"];
  server_.AddUser("gw", "grid_worker", grid);
  const std::string worker = server_.Login("gw");
  json known = Call("POST", "/api/v1/people/" + std::to_string(person) + "/reveal",
                    {{"fields", {"id_number", "name", "phone", "address"}}, {"reason", "流程测试"}},
                    admin, 200);
  ASSERT_FALSE(known["phone"].get<std::string>().empty()) << "the first resident is an adult";

  // 1. The list names the resident twice: once right, once with a mistyped ID (same name and
  //    phone) — the second becomes a new file queued as a doubtful match.
  std::string typo = known["id_number"].get<std::string>().substr(0, 17);
  typo[14] = typo[14] == '9' ? '0' : static_cast<char>(typo[14] + 1);
  typo = WithCheckDigit(typo);
  auto res = server_.Client().Post(
      "/api/v1/leads/import?source=assist_notice&file_name=flow.csv", Bearer(admin),
      "姓名,身份证号,手机号,现住址,人员类别,来源地\n" + known["name"].get<std::string>() + "," +
          known["id_number"].get<std::string>() + "," + known["phone"].get<std::string>() + "," +
          known["address"].get<std::string>() + ",次密接,上海\n" +
          known["name"].get<std::string>() + "," + typo + "," + known["phone"].get<std::string>() +
          "," + known["address"].get<std::string>() + ",次密接,上海\n",
      "text/csv");
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "");
  json report = json::parse(res->body);
  EXPECT_EQ(report["accepted"], 2);
  EXPECT_EQ(report["doubtful"], 1);

  // 2. Dedup: the grid worker merges the second file into the resident's.
  json pairs = Call("GET", "/api/v1/duplicates", {}, worker, 200);
  ASSERT_EQ(pairs["items"].size(), 1u);
  const std::int64_t pair = pairs["items"][0]["id"];
  json merged = Call("POST", "/api/v1/duplicates/" + std::to_string(pair) + "/merge",
                     {{"keep", pairs["items"][0]["left"]["id"] == person ? "left" : "right"},
                      {"reason", "同一人，证件号录入错误"}},
                     worker, 200);
  EXPECT_EQ(merged["kept"]["id"], person);

  // 3. Routed: one open task in the grid worker's list, with both leads.
  json tasks = Call("GET", "/api/v1/tasks", {}, worker, 200);
  ASSERT_EQ(tasks["items"].size(), 1u) << tasks.dump();
  EXPECT_EQ(tasks["items"][0]["person"]["id"], person);
  EXPECT_EQ(tasks["items"][0]["lead_count"], 2);
  Call("POST",
       "/api/v1/tasks/" + std::to_string(tasks["items"][0]["id"].get<std::int64_t>()) + "/check",
       {{"method", "visit"}, {"note", "已入户核实，在家"}}, worker, 200);

  // 4. Measure from the plan: a secondary contact is home-quarantined 7 days, tests on 1, 4, 7.
  json m = Call("POST", "/api/v1/people/" + std::to_string(person) + "/measures",
                {{"category", "secondary_contact"}, {"start_date", DaysAgo(7)}, {"place", "家中"}},
                worker, 201);
  const std::int64_t measure = m["id"];
  EXPECT_EQ(m["measure"], "home_quarantine");
  EXPECT_EQ(m["test_days"], json({1, 4, 7}));

  // 5. 四包一 for the household.
  const std::string staff_path = "/api/v1/households/" +
                                 std::to_string(resident["household_id"].get<std::int64_t>()) +
                                 "/staff";
  json staff = Call("GET", staff_path, {}, worker, 200);
  json choice = json::object();
  for (const auto& d : staff["duties"]) {
    choice[d["duty"].get<std::string>()] = d["candidates"][0]["id"];
  }
  EXPECT_TRUE(Call("PATCH", staff_path, choice, worker, 200)["complete"]);

  // 6. Follow-ups: the person reports one slot from their own link; the worker records the other.
  json link = Call("POST", "/api/v1/measures/" + std::to_string(measure) + "/self-report-link",
                   json::object(), worker, 201);
  json self = Call("POST", "/api/v1/public/followup/report",
                   {{"token", link["token"]}, {"temperature", 36.4}}, "", 201);
  const int other_slot = self["slot"] == 1 ? 2 : 1;
  Call("POST", "/api/v1/measures/" + std::to_string(measure) + "/followups",
       {{"slot", other_slot}, {"outcome", "ok"}, {"temperature", 36.6}}, worker, 200);
  json today = Call("GET", "/api/v1/followups/today", {}, worker, 200);
  ASSERT_EQ(today["items"].size(), 1u);
  for (const auto& slot : today["items"][0]["slots"]) {
    EXPECT_TRUE(slot["done"]) << today.dump();
  }

  // 7. Tests on days 1, 4 and 7, then release; the plan has no next step.
  json released_early = Call("POST", "/api/v1/measures/" + std::to_string(measure) + "/transition",
                             {{"action", "release"}}, worker, 409);
  EXPECT_FALSE(released_early["error"]["details"].empty());
  for (int day : {1, 4, 7}) {
    Call("POST", "/api/v1/measures/" + std::to_string(measure) + "/tests",
         {{"day", day}, {"result", "negative"}}, worker, 200);
  }
  json done = Call("POST", "/api/v1/measures/" + std::to_string(measure) + "/transition",
                   {{"action", "release"}}, worker, 200);
  EXPECT_EQ(done["state"], "released");

  // 8. The person's timeline tells the day, in order, with who did what.
  json timeline =
      Call("GET", "/api/v1/people/" + std::to_string(person) + "/timeline", {}, worker, 200);
  std::set<std::string> kinds;
  for (const auto& e : timeline["items"]) {
    kinds.insert(e["kind"].get<std::string>());
  }
  for (const char* kind :
       {"file", "lead", "task_opened", "task_checked", "merge", "measure", "test", "followup"}) {
    EXPECT_TRUE(kinds.contains(kind)) << kind << " missing in " << timeline.dump();
  }
  // And the audit chain holds.
  std::string out;
  EXPECT_EQ(server_.Run("audit verify", "", &out), 0) << out;
}

}  // namespace
}  // namespace cordon::testing
