// Retention over HTTP (security.md F1, F2, F4): the periods and "run now" are the
// administrator's; a released stay past its period goes with its person file, physically (the
// name and phone are in neither the database file nor its WAL afterwards), leaving id-only audit
// rows; and a server that starts on a database holding overdue records deletes them before it
// answers anyone.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class RetentionApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
  }

  json Send(const std::string& method, const std::string& path, const json& body, int* status,
            const std::string& token = "") {
    auto client = server_.Client();
    const auto headers = Bearer(token.empty() ? admin_ : token);
    auto res = method == "GET"     ? client.Get(path, headers)
               : method == "PATCH" ? client.Patch(path, headers, body.dump(), "application/json")
                                   : client.Post(path, headers, body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  // A person not on the household register, under a home quarantine that ended and was released
  // `days_ago` days ago, their file last changed before that.
  std::int64_t ReleasedStay(const std::string& id17, const std::string& name,
                            const std::string& phone, int days_ago) {
    int status = 0;
    json person = Send(
        "POST", "/api/v1/people",
        {{"id_number", WithCheckDigit(id17)}, {"name", name}, {"phone", phone}, {"region", grid_}},
        &status);
    EXPECT_EQ(status, 201) << person.dump();
    const std::int64_t id = person["id"];
    json m =
        Send("POST", "/api/v1/people/" + std::to_string(id) + "/measures",
             {{"category", "secondary_contact"}, {"start_date", DaysAgo(9)}, {"place", "家中"}},
             &status);
    EXPECT_EQ(status, 201) << m.dump();
    const std::string measure = "/api/v1/measures/" + std::to_string(m["id"].get<std::int64_t>());
    for (int day : {1, 4, 7}) {
      Send("POST", measure + "/tests", {{"day", day}, {"result", "negative"}}, &status);
      EXPECT_EQ(status, 200);
    }
    Send("POST", measure + "/transition", {{"action", "release"}}, &status);
    EXPECT_EQ(status, 200);
    // The server has no clock to set: the rows are made older from outside, as time would.
    const std::string ago = std::to_string(days_ago * 86400);
    EXPECT_EQ(server_.Sql("UPDATE measures SET updated_at = updated_at - " + ago +
                          " WHERE person_id = " + std::to_string(id)),
              "");
    EXPECT_EQ(server_.Sql("UPDATE people SET updated_at = updated_at - " + ago +
                          " - 86400 WHERE id = " + std::to_string(id)),
              "");
    return id;
  }

  CordonServer server_;
  std::string admin_, grid_;
};

TEST_F(RetentionApiTest, AReleasedStayPastItsPeriodGoesWithItsFileAndLeavesNoTraceInTheFiles) {
  const std::string name = "欧阳保留测试";
  const std::string phone = "13987654321";
  const std::int64_t person = ReleasedStay("11010519500101123", name, phone, 31);
  const std::string person_path = "/api/v1/people/" + std::to_string(person);
  int status = 0;

  json view = Send("GET", "/api/v1/retention", {}, &status);
  ASSERT_EQ(status, 200) << view.dump();
  ASSERT_EQ(view["policies"].size(), 5u);
  EXPECT_EQ(view["checkins_days"], 21);
  for (const json& p : view["policies"]) {
    if (p["entity"] == "quarantine_stay") {
      EXPECT_EQ(p["days"], 30);
      EXPECT_EQ(p["due"], 1);
    }
  }

  // Only the administrator; a bad period names its field; an unknown kind is 404.
  const std::string commander = server_.Login("commander");
  Send("GET", "/api/v1/retention", {}, &status, commander);
  EXPECT_EQ(status, 403);
  Send("POST", "/api/v1/retention/run", json::object(), &status, commander);
  EXPECT_EQ(status, 403);
  json bad = Send("PATCH", "/api/v1/retention/case", {{"days", 0}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(bad.dump().find("days"), std::string::npos) << bad.dump();
  Send("PATCH", "/api/v1/retention/audit", {{"days", 30}}, &status);
  EXPECT_EQ(status, 404);
  json changed = Send("PATCH", "/api/v1/retention/case", {{"days", 365}}, &status);
  ASSERT_EQ(status, 200) << changed.dump();
  EXPECT_EQ(changed["days"], 365);
  EXPECT_EQ(changed["updated_by"], "admin");

  const bool sqlite = server_.backend() == "sqlite";
  const std::string db = server_.data_dir() + "/cordon.db";
  const auto in_files = [&](const std::string& needle) {
    return Occurrences(db, needle) + Occurrences(db + "-wal", needle);
  };
  if (sqlite) {
    ASSERT_GT(in_files(name), 0);
    EXPECT_EQ(in_files(phone), 0);  // sealed from the start (security.md B3)
  }
  json run = Send("POST", "/api/v1/retention/run", json::object(), &status);
  ASSERT_EQ(status, 200) << run.dump();
  EXPECT_EQ(run["outcome"], "ok") << run.dump();
  EXPECT_EQ(run["actor"], "admin");
  EXPECT_EQ(run["records"]["quarantine_stay"], 1) << run.dump();
  EXPECT_EQ(run["records"]["person"], 1) << run.dump();
  EXPECT_EQ(run["rows"]["measure_test_days"], 3) << run.dump();
  Send("GET", person_path, {}, &status);
  EXPECT_EQ(status, 404);
  if (sqlite) {
    EXPECT_EQ(in_files(name), 0) << run.dump();
    EXPECT_EQ(in_files(phone), 0) << run.dump();
  }
  EXPECT_EQ(server_.AuditSql("SELECT actor || ':' || fields || ':' || reason FROM audit WHERE "
                             "action = 'auto_delete' AND object_type = 'person' AND object_id = '" +
                             std::to_string(person) + "'"),
            "admin:person:\n");
  json after = Send("GET", "/api/v1/retention", {}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(after["runs"][0]["id"], run["id"]);
}

TEST_F(RetentionApiTest, AServerStartingOnOverdueRecordsDeletesThemBeforeItAnswers) {
  const std::int64_t person = ReleasedStay("11010519500102123", "令狐恢复备份", "13987650000", 45);
  // As a database restored from an old backup: the records are past due when the server starts.
  server_.CrashAndRestart();
  const std::string admin = server_.Login("admin");
  int status = 0;
  Send("GET", "/api/v1/people/" + std::to_string(person), {}, &status, admin);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(server_.AuditSql("SELECT actor FROM audit WHERE action = 'auto_delete' AND "
                             "object_type = 'person' AND object_id = '" +
                             std::to_string(person) + "'"),
            "retention-job\n");
  EXPECT_NE(server_.log().find("retention pass"), std::string::npos);
}

}  // namespace
}  // namespace cordon::testing
