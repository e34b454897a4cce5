// The auditor's search of the audit trail (security.md C5): by actor, action, object and local
// date range; the search itself audited; no person records for the auditor.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

TEST(AuditSearchApiTest, AnAuditorFindsWhoPutWhomUnderMeasuresInADateRange) {
  CordonServer server;
  const std::string admin = server.Login("admin");
  auto client = server.Client();
  json people = Json(client.Get("/api/v1/people?limit=3", Bearer(admin)));
  std::vector<std::string> measures;
  for (int i = 0; i < 2; ++i) {
    auto res = client.Post(
        "/api/v1/people/" + std::to_string(people["items"][i]["id"].get<std::int64_t>()) +
            "/measures",
        Bearer(admin), json{{"category", "secondary_contact"}}.dump(), "application/json");
    ASSERT_EQ(res->status, 201) << res->body;
    measures.push_back(std::to_string(json::parse(res->body)["id"].get<std::int64_t>()));
  }
  server.AddUser("searcher", "auditor", people["items"][0]["region"]);
  const std::string auditor = server.Login("searcher");
  server.AuditSql("SELECT 1");  // every audited read so far is in the table

  const std::string today = DaysAgo(0);
  auto search = [&](const std::string& query, int* status) {
    auto res = client.Get("/api/v1/audit?limit=100&after=0&" + query, Bearer(auditor));
    *status = res->status;
    return json::parse(res->body, nullptr, false);
  };
  int status = 0;
  json found = search("action=measures.create&actor=admin&from=" + today + "&to=" + today, &status);
  ASSERT_EQ(status, 200) << found.dump();
  ASSERT_EQ(found["items"].size(), 2u);
  EXPECT_EQ(found["items"][0]["object_id"], measures[0]);
  EXPECT_EQ(found["items"][1]["object_id"], measures[1]);
  // One measure by its id, and nothing from tomorrow on or before yesterday.
  found = search("object_type=measure&object_id=" + measures[1], &status);
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["action"], "measures.create");
  EXPECT_EQ(search("action=measures.create&from=" + DaysAgo(-1), &status)["items"].size(), 0u);
  EXPECT_EQ(search("action=measures.create&to=" + DaysAgo(1), &status)["items"].size(), 0u);
  EXPECT_EQ(search("action=measures.create&actor=searcher", &status)["items"].size(), 0u);
  json bad = search("from=last-week", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "from");

  // The search is on record with what was searched for (field names, never values).
  EXPECT_EQ(server.AuditSql("SELECT COUNT(*) FROM audit WHERE actor = 'searcher' AND action = "
                            "'audit.list' AND fields = 'actor,action,from,to'"),
            "1\n");
  // Auditors read the trail, never the people in it.
  auto person =
      client.Get("/api/v1/people/" + std::to_string(people["items"][0]["id"].get<std::int64_t>()),
                 Bearer(auditor));
  EXPECT_EQ(person->status, 403);
}

}  // namespace
}  // namespace cordon::testing
