// Two `cordon serve` processes on one PostgreSQL database (issue #4): what one node writes the
// other serves at once. Sessions are shared, an edit made on one node with a stale version is
// refused on the other, and concurrent edits on both lose none. SQLite has one node only.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class MultiNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (first_.backend() != "postgresql") {
      GTEST_SKIP() << "several nodes share a PostgreSQL database (CORDON_TEST_PG)";
    }
    second_ = std::make_unique<CordonServer>(CordonServer::SecondNode{}, first_);
  }

  static json Send(const CordonServer& node, const std::string& method, const std::string& path,
                   const std::string& token, const json& body, int* status) {
    auto client = node.Client();
    httplib::Result res = method == "PATCH"
                              ? client.Patch(path, Bearer(token), body.dump(), "application/json")
                              : client.Get(path, Bearer(token));
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  CordonServer first_;
  std::unique_ptr<CordonServer> second_;
};

TEST_F(MultiNodeTest, ASessionFromOneNodeWorksOnTheOther) {
  std::string token = first_.Login("admin");
  ASSERT_FALSE(token.empty());
  int status = 0;
  json me = Send(*second_, "GET", "/api/v1/session", token, {}, &status);
  EXPECT_EQ(status, 200) << me.dump();
  EXPECT_EQ(me["user"]["username"], "admin");
  // A logout on the second node ends the session on the first.
  auto client = second_->Client();
  ASSERT_TRUE(client.Delete("/api/v1/session", Bearer(token)));
  Send(first_, "GET", "/api/v1/session", token, {}, &status);
  EXPECT_EQ(status, 401);
}

TEST_F(MultiNodeTest, AStaleVersionIsRefusedWhicheverNodeWroteFirst) {
  std::string token = first_.Login("admin");
  int status = 0;
  json list = Send(first_, "GET", "/api/v1/people?limit=1", token, {}, &status);
  ASSERT_EQ(status, 200) << list.dump();
  const std::string path = "/api/v1/people/" + std::to_string(list["items"][0]["id"].get<int>());
  json v1 = Send(*second_, "GET", path, token, {}, &status);
  ASSERT_EQ(status, 200);
  const int version = v1["version"];
  json a = Send(first_, "PATCH", path, token, {{"address", "甲节点地址1号"}, {"version", version}},
                &status);
  ASSERT_EQ(status, 200) << a.dump();
  Send(*second_, "PATCH", path, token, {{"address", "乙节点地址2号"}, {"version", version}},
       &status);
  EXPECT_EQ(status, 409);
  json now = Send(*second_, "GET", path, token, {}, &status);
  EXPECT_EQ(now["version"], version + 1);
}

// Both nodes edit the same file as fast as they can, each retrying on 409 with the version it
// reads back: every acknowledged edit bumps the version once, so none was lost.
TEST_F(MultiNodeTest, ConcurrentEditsOnBothNodesLoseNone) {
  std::string token = first_.Login("admin");
  int status = 0;
  json list = Send(first_, "GET", "/api/v1/people?limit=1", token, {}, &status);
  ASSERT_EQ(status, 200);
  const std::string path = "/api/v1/people/" + std::to_string(list["items"][0]["id"].get<int>());
  const int start = Send(first_, "GET", path, token, {}, &status)["version"];
  constexpr int kEach = 15;
  std::atomic<int> acknowledged = 0;
  std::atomic<int> errors = 0;
  auto edit = [&](const CordonServer& node, const std::string& name) {
    for (int i = 0; i < kEach; ++i) {
      for (int attempt = 0; attempt < 50; ++attempt) {
        int s = 0;
        json now = Send(node, "GET", path, token, {}, &s);
        json body = {{"address", name + "路" + std::to_string(i) + "号"},
                     {"version", now["version"]}};
        Send(node, "PATCH", path, token, body, &s);
        if (s == 200) {
          ++acknowledged;
          break;
        }
        if (s != 409) {
          ++errors;
          break;
        }
      }
    }
  };
  std::thread a([&] { edit(first_, "甲"); });
  std::thread b([&] { edit(*second_, "乙"); });
  a.join();
  b.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(acknowledged, 2 * kEach);
  json end = Send(*second_, "GET", path, token, {}, &status);
  EXPECT_EQ(end["version"], start + acknowledged);
}

// The same list imported on both nodes at the same moment (two officials, one notice): one import
// is made, the other answers that it was imported already, and each person has one open task.
TEST_F(MultiNodeTest, OneListImportedOnBothNodesAtOnceIsImportedOnce) {
  std::string token = first_.Login("admin");
  std::string csv = "身份证号,姓名,人员类别\n";
  for (int i = 0; i < 20; ++i) {
    csv += WithCheckDigit("11010519880101" + std::to_string(300 + i)) + ",双节" +
           std::to_string(i) + ",密接\n";
  }
  json answers[2];
  int statuses[2] = {0, 0};
  auto import = [&](const CordonServer& node, int k) {
    auto res = node.Client().Post("/api/v1/leads/import?source=assist_notice&file_name=a.csv",
                                  Bearer(token), csv, "text/csv");
    statuses[k] = res ? res->status : -1;
    answers[k] = res ? json::parse(res->body, nullptr, false) : json();
  };
  std::thread a([&] { import(first_, 0); });
  std::thread b([&] { import(*second_, 1); });
  a.join();
  b.join();
  ASSERT_EQ(statuses[0], 200) << answers[0].dump();
  ASSERT_EQ(statuses[1], 200) << answers[1].dump();
  EXPECT_NE(answers[0]["already_imported"].get<bool>(), answers[1]["already_imported"].get<bool>())
      << answers[0].dump() << "\n"
      << answers[1].dump();
  EXPECT_EQ(answers[0]["accepted"], 20) << answers[0].dump();
  EXPECT_EQ(answers[1]["accepted"], 20) << answers[1].dump();
  EXPECT_EQ(first_.Sql("SELECT COUNT(*) FROM lead_imports"), "1\n");
  EXPECT_EQ(first_.Sql("SELECT COUNT(*) FROM tasks t JOIN people p ON p.id = t.person_id "
                       "WHERE p.name LIKE '双节%' AND t.status = 'open'"),
            "20\n");
}

// The seam for engines that keep state in memory (docs/architecture.md, "Several nodes"): every
// write appends its audit row in its own transaction, and writers are serialised across nodes,
// so audit ids commit in order. A node that remembers the last id it has seen finds every write
// made since on any node, none skipped, by asking for the ids after it.
TEST_F(MultiNodeTest, ANodeFollowsTheOthersWritesByTheAuditIdsAfterItsCursor) {
  std::string token = first_.Login("admin");
  int status = 0;
  json newest =
      Send(*second_, "GET", "/api/v1/audit?limit=1&before=9223372036854775807", token, {}, &status);
  ASSERT_EQ(status, 200) << newest.dump();
  const std::int64_t cursor = newest["items"][0]["id"];
  json list = Send(first_, "GET", "/api/v1/people?limit=3", token, {}, &status);
  std::vector<std::string> edited;
  for (const auto& p : list["items"]) {
    const std::string path = "/api/v1/people/" + std::to_string(p["id"].get<int>());
    json now = Send(first_, "GET", path, token, {}, &status);
    Send(first_, "PATCH", path, token, {{"address", "跟随路1号"}, {"version", now["version"]}},
         &status);
    ASSERT_EQ(status, 200);
    edited.push_back(std::to_string(p["id"].get<int>()));
  }
  json after = Send(*second_, "GET", "/api/v1/audit?limit=500&after=" + std::to_string(cursor),
                    token, {}, &status);
  ASSERT_EQ(status, 200) << after.dump();
  std::vector<std::string> seen;
  std::int64_t previous = cursor;
  for (const auto& e : after["items"]) {
    EXPECT_GT(e["id"].get<std::int64_t>(), previous);
    previous = e["id"];
    if (e["action"] == "people.update") {
      seen.push_back(e["object_id"]);
    }
  }
  EXPECT_EQ(seen, edited);
}

}  // namespace
}  // namespace cordon::testing
