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

  // The same search taken as a file: oldest first, each row with its hash and the one before it,
  // a last line saying who took it; the taking audited with the filters and the file's SHA-256.
  auto file = client.Get(
      "/api/v1/audit/export.csv?action=measures.create&actor=admin&from=" + today + "&to=" + today,
      Bearer(auditor));
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(file->get_header_value("X-Export-Rows"), "2");
  const std::string& csv = file->body;
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF编号,时间,账号", 0), 0u) << csv;
  std::vector<std::string> lines;
  for (std::size_t at = 0, end = 0; (end = csv.find("\r\n", at)) != std::string::npos;
       at = end + 2) {
    lines.push_back(csv.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 4u) << csv;  // header, two rows, the watermark
  EXPECT_NE(lines[1].find(",measures.create,measure," + measures[0] + ","), std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find(",measures.create,measure," + measures[1] + ","), std::string::npos);
  EXPECT_NE(lines[3].find("审计日志导出：searcher"), std::string::npos) << lines[3];
  const std::string sha = Shell("printf '%s' " + ShellQuote(csv) + " | sha256sum", &status);
  EXPECT_EQ(server.AuditSql("SELECT fields FROM audit WHERE actor = 'searcher' AND action = "
                            "'audit.export' AND object_id = '" +
                            sha.substr(0, 64) + "'"),
            "actor,action,from,to\n");
  EXPECT_EQ(client.Get("/api/v1/audit/export.csv", Bearer(admin))->status, 200);
  const std::string grid_worker = server.Login("grid_demo");
  EXPECT_EQ(client.Get("/api/v1/audit/export.csv", Bearer(grid_worker))->status, 403);
}

}  // namespace
}  // namespace cordon::testing
