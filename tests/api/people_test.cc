// Person files over HTTP: jurisdiction, masking, reveal, paging and bad input.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

// A server with a grid worker for the first person's grid and a peer grid for contrast.
class PeopleApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    auto client = server_.Client();
    json first = Json(client.Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
    // A person in another grid: walk pages until the grid changes.
    std::string after;
    while (other_grid_person_ == 0) {
      json page = Json(client.Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
      for (const auto& p : page["items"]) {
        if (p["region"] != grid_) {
          other_grid_person_ = p["id"];
          break;
        }
      }
      ASSERT_FALSE(page["next"].is_null());
      after = page["next"];
    }
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
    ASSERT_FALSE(worker_.empty());
  }

  json Post(const std::string& path, const json& body, const std::string& token, int* status) {
    auto res = server_.Client().Post(path, Bearer(token), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  std::string Reveal(std::int64_t id, const std::string& field) {
    int status = 0;
    json r = Post("/api/v1/people/" + std::to_string(id) + "/reveal",
                  {{"fields", {field}}, {"reason", "测试核实身份"}}, admin_, &status);
    EXPECT_EQ(status, 200) << r.dump();
    return r.value(field, "");
  }

  CordonServer server_;
  std::string admin_;
  std::string worker_;
  std::string grid_;
  std::int64_t other_grid_person_ = 0;
};

TEST_F(PeopleApiTest, GridWorkerSeesOnlyTheirGridPagedWithoutGapsOrOverlap) {
  auto client = server_.Client();
  std::set<std::int64_t> seen;
  std::string after;
  int pages = 0;
  do {
    auto res = client.Get("/api/v1/people?limit=50&after=" + after, Bearer(worker_));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    json page = json::parse(res->body);
    std::int64_t last = 0;
    for (const auto& p : page["items"]) {
      EXPECT_EQ(p["region"], grid_);
      EXPECT_GT(p["id"].get<std::int64_t>(), last);
      last = p["id"];
      EXPECT_TRUE(seen.insert(last).second) << "person listed twice: " << last;
    }
    after = page["next"].is_null() ? "" : page["next"].get<std::string>();
    ++pages;
  } while (!after.empty() && pages < 100);
  EXPECT_GT(seen.size(), 50u);  // a grid holds 300-800 households
  // The admin's list of the same grid has exactly the same people.
  std::set<std::int64_t> admin_seen;
  after.clear();
  do {
    json page = Json(
        client.Get("/api/v1/people?limit=200&region=" + grid_ + "&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      admin_seen.insert(p["id"].get<std::int64_t>());
    }
    after = page["next"].is_null() ? "" : page["next"].get<std::string>();
  } while (!after.empty());
  EXPECT_EQ(seen, admin_seen);
}

TEST_F(PeopleApiTest, ListsAndSearchesCarryNoWholeIdentifiers) {
  auto client = server_.Client();
  std::regex id_number(R"(\d{17}[\dX])");
  std::regex phone(R"(1[3-9]\d{9})");
  auto list = client.Get("/api/v1/people?limit=200", Bearer(admin_));
  ASSERT_TRUE(list);
  // Region codes are long digit strings too, in each file and in the cursor (the last file's
  // region path): they are not personal, so they are taken out first.
  std::string body =
      std::regex_replace(list->body, std::regex(R"("region":"\d+"|"next":"[0-9/]+,\d+")"), "");
  EXPECT_FALSE(std::regex_search(body, id_number));
  EXPECT_FALSE(std::regex_search(body, phone));
  json page = json::parse(list->body);
  std::string masked = page["items"][0]["id_number"];
  EXPECT_EQ(masked.substr(6, 8), "********");
  std::string name = page["items"][0]["name"];
  EXPECT_NE(name.find('*'), std::string::npos);
}

TEST_F(PeopleApiTest, SearchByWholeIdNumberPhoneAndName) {
  json first =
      Json(server_.Client().Get("/api/v1/people?limit=1&region=" + grid_, Bearer(worker_)));
  std::int64_t id = first["items"][0]["id"];
  std::string id_number = Reveal(id, "id_number");
  std::string phone = Reveal(id, "phone");
  std::string name = Reveal(id, "name");
  int status = 0;
  json by_id = Post("/api/v1/people/search", {{"q", id_number}}, worker_, &status);
  ASSERT_EQ(status, 200) << by_id.dump();
  ASSERT_EQ(by_id["items"].size(), 1u);
  EXPECT_EQ(by_id["items"][0]["id"], id);
  if (!phone.empty()) {
    json by_phone = Post("/api/v1/people/search", {{"q", "+86 " + phone}}, worker_, &status);
    ASSERT_EQ(status, 200);
    ASSERT_GE(by_phone["items"].size(), 1u);
    EXPECT_EQ(by_phone["items"][0]["id"], id);
  }
  json by_name = Post("/api/v1/people/search", {{"q", name}, {"limit", 200}}, worker_, &status);
  ASSERT_EQ(status, 200);
  bool found = false;
  for (const auto& p : by_name["items"]) {
    found = found || p["id"] == id;
  }
  EXPECT_TRUE(found);
  json partial = Post("/api/v1/people/search", {{"q", id_number.substr(0, 10)}}, worker_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(partial["error"]["details"][0]["field"], "q");
  // The other grid's person is not found by the worker, even by whole ID number.
  std::string other_id = Reveal(other_grid_person_, "id_number");
  json hidden = Post("/api/v1/people/search", {{"q", other_id}}, worker_, &status);
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(hidden["items"].empty());
}

TEST_F(PeopleApiTest, OutsideJurisdictionIs404LikeMissingAndAudited) {
  auto client = server_.Client();
  auto outside =
      client.Get("/api/v1/people/" + std::to_string(other_grid_person_), Bearer(worker_));
  auto missing = client.Get("/api/v1/people/99999999", Bearer(worker_));
  auto garbage = client.Get("/api/v1/people/abc", Bearer(worker_));
  ASSERT_TRUE(outside && missing && garbage);
  EXPECT_EQ(outside->status, 404);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(garbage->status, 404);
  EXPECT_EQ(outside->body, missing->body);
  EXPECT_EQ(outside->body, garbage->body);
  std::string rows = server_.AuditSql(
      "SELECT actor, action, object_id, outcome FROM audit WHERE action = "
      "'authz_denied' AND object_type = 'person'");
  EXPECT_EQ(rows, "g1|authz_denied|" + std::to_string(other_grid_person_) + "|denied\n");
  // Reveal and update are refused the same way.
  int status = 0;
  Post("/api/v1/people/" + std::to_string(other_grid_person_) + "/reveal",
       {{"fields", {"phone"}}, {"reason", "越权尝试测试"}}, worker_, &status);
  EXPECT_EQ(status, 404);
  // The region of the other grid is not visible either.
  json other =
      Json(client.Get("/api/v1/people/" + std::to_string(other_grid_person_), Bearer(admin_)));
  auto region =
      client.Get("/api/v1/regions/" + other["region"].get<std::string>(), Bearer(worker_));
  EXPECT_EQ(region->status, 404);
  auto own = client.Get("/api/v1/regions/" + grid_, Bearer(worker_));
  EXPECT_EQ(own->status, 200);
}

TEST_F(PeopleApiTest, RevealNeedsAReasonAndIsAudited) {
  json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(worker_)));
  std::int64_t id = first["items"][0]["id"];
  int status = 0;
  json no_reason = Post("/api/v1/people/" + std::to_string(id) + "/reveal", {{"fields", {"phone"}}},
                        worker_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(no_reason["error"]["details"][0]["field"], "reason");
  json short_reason = Post("/api/v1/people/" + std::to_string(id) + "/reveal",
                           {{"fields", {"phone"}}, {"reason", "看"}}, worker_, &status);
  EXPECT_EQ(status, 400);
  json bad_field =
      Post("/api/v1/people/" + std::to_string(id) + "/reveal",
           {{"fields", {"password_hash"}}, {"reason", "电话随访核实"}}, worker_, &status);
  EXPECT_EQ(status, 400);
  json ok =
      Post("/api/v1/people/" + std::to_string(id) + "/reveal",
           {{"fields", {"phone", "id_number"}}, {"reason", "电话随访核实"}}, worker_, &status);
  ASSERT_EQ(status, 200) << ok.dump();
  EXPECT_TRUE(std::regex_match(ok["id_number"].get<std::string>(), std::regex(R"(\d{17}[\dX])")));
  std::string rows = server_.AuditSql(
      "SELECT actor, object_id, fields, reason FROM audit WHERE action = 'people.reveal'");
  EXPECT_EQ(rows, "g1|" + std::to_string(id) + "|id_number,phone|电话随访核实\n");
}

TEST_F(PeopleApiTest, AuditorCannotReadPeople) {
  std::string auditor = server_.Login("auditor");
  auto res = server_.Client().Get("/api/v1/people", Bearer(auditor));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  auto audit = server_.Client().Get("/api/v1/audit?limit=5", Bearer(auditor));
  EXPECT_EQ(audit->status, 200);
  auto worker_audit = server_.Client().Get("/api/v1/audit", Bearer(worker_));
  EXPECT_EQ(worker_audit->status, 403);
  // Newest first with `before`, oldest first with `after`; the pages do not overlap.
  json newest = Json(
      server_.Client().Get("/api/v1/audit?limit=3&before=9223372036854775807", Bearer(auditor)));
  ASSERT_EQ(newest["items"].size(), 3u);
  EXPECT_GT(newest["items"][0]["id"], newest["items"][1]["id"]);
  json older = Json(server_.Client().Get(
      "/api/v1/audit?limit=3&before=" + newest["next"].get<std::string>(), Bearer(auditor)));
  EXPECT_LT(older["items"][0]["id"], newest["items"][2]["id"]);
  json oldest = Json(server_.Client().Get("/api/v1/audit?limit=3", Bearer(auditor)));
  EXPECT_EQ(oldest["items"][0]["id"], 1);
}

TEST_F(PeopleApiTest, CreateValidatesEveryFieldAndWritesNothingOnError) {
  std::string before = server_.Sql("SELECT COUNT(*) FROM people");
  int status = 0;
  json bad = Post("/api/v1/people",
                  {{"id_number", "110105194912310021"},
                   {"name", "张三"},
                   {"phone", "12012345678"},
                   {"region", grid_},
                   {"role", "admin"}},
                  worker_, &status);
  EXPECT_EQ(status, 400);
  std::set<std::string> fields;
  for (const auto& d : bad["error"]["details"]) {
    fields.insert(d["field"]);
  }
  EXPECT_TRUE(fields.count("role"));  // unknown fields are rejected, not ignored
  bad = Post("/api/v1/people",
             {{"id_number", "110105194912310021"},
              {"name", "张三"},
              {"phone", "12012345678"},
              {"region", grid_}},
             worker_, &status);
  EXPECT_EQ(status, 400);
  fields.clear();
  for (const auto& d : bad["error"]["details"]) {
    fields.insert(d["field"]);
  }
  EXPECT_TRUE(fields.count("id_number"));
  EXPECT_TRUE(fields.count("phone"));
  json wrong_type = Post("/api/v1/people",
                         {{"id_number", 110105194912310021LL}, {"name", "张三"}, {"region", grid_}},
                         worker_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(wrong_type["error"]["details"][0]["field"], "id_number");
  json sex =
      Post("/api/v1/people",
           {{"id_number", "11010519491231002X"}, {"name", "张三"}, {"sex", "M"}, {"region", grid_}},
           worker_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(sex["error"]["details"][0]["field"], "sex");
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM people"), before);

  json made = Post("/api/v1/people",
                   {{"id_number", "11010519491231002x"},
                    {"name", "张三"},
                    {"phone", "+86 138-0013-8000"},
                    {"address", "体育西路1号2栋301室"},
                    {"region", grid_}},
                   worker_, &status);
  ASSERT_EQ(status, 201) << made.dump();
  EXPECT_EQ(made["sex"], "F");
  EXPECT_EQ(made["birth_date"], "1949-12-31");
  EXPECT_EQ(made["id_number"], "110105********002X");
  EXPECT_EQ(made["phone"], "138****8000");
  Post("/api/v1/people", {{"id_number", "11010519491231002X"}, {"name", "李四"}, {"region", grid_}},
       worker_, &status);
  EXPECT_EQ(status, 409);
  // A grid outside the worker's jurisdiction cannot receive a person.
  json other = Json(
      server_.Client().Get("/api/v1/people/" + std::to_string(other_grid_person_), Bearer(admin_)));
  Post("/api/v1/people",
       {{"id_number", "440524188001010014"}, {"name", "王五"}, {"region", other["region"]}},
       worker_, &status);
  EXPECT_EQ(status, 400);
}

// A name is searched as a prefix range; its upper bound must be valid UTF-8 for every last
// character (PostgreSQL refuses anything else: 广 once made this a 500 there).
TEST_F(PeopleApiTest, ANameSearchFindsEveryFileWithThatPrefix) {
  int status = 0;
  const std::string names[] = {"李广", "李广利", "李睿"};
  for (int i = 0; i < 3; ++i) {
    json made = Post("/api/v1/people",
                     {{"id_number", WithCheckDigit("44010619900101" + std::to_string(731 + i))},
                      {"name", names[i]},
                      {"region", grid_}},
                     admin_, &status);
    ASSERT_EQ(status, 201) << made.dump();
  }
  auto count = [&](const std::string& q) {
    int s = 0;
    json found = Post("/api/v1/people/search", {{"q", q}, {"limit", 50}}, admin_, &s);
    EXPECT_EQ(s, 200) << found.dump();
    return s == 200 ? found["items"].size() : 0u;
  };
  EXPECT_EQ(count("李广"), 2u);
  EXPECT_EQ(count("李广利"), 1u);
  EXPECT_EQ(count("李睿"), 1u);
}

TEST_F(PeopleApiTest, UpdateNeedsTheCurrentVersion) {
  json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(worker_)));
  std::int64_t id = first["items"][0]["id"];
  auto client = server_.Client();
  auto patch = [&](const json& body) {
    auto res = client.Patch("/api/v1/people/" + std::to_string(id), Bearer(worker_), body.dump(),
                            "application/json");
    return std::make_pair(res ? res->status : -1,
                          res ? json::parse(res->body, nullptr, false) : json());
  };
  auto [s1, b1] = patch({{"address", "新地址路8号"}, {"version", 1}});
  ASSERT_EQ(s1, 200) << b1.dump();
  EXPECT_EQ(b1["version"], 2);
  auto [s2, b2] = patch({{"address", "又一个地址路9号"}, {"version", 1}});
  EXPECT_EQ(s2, 409);
  auto [s3, b3] = patch({{"address", "又一个地址路9号"}});
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(b3["error"]["details"][0]["field"], "version");
}

TEST_F(PeopleApiTest, MalformedBodiesAre4xxNeverA500) {
  auto client = server_.Client();
  const std::string bodies[] = {"",
                                "{",
                                "[]",
                                "null",
                                "\"x\"",
                                "{\"q\":",
                                "{\"q\":1}",
                                "{\"limit\":\"5\"}",
                                "{\"limit\":100000}",
                                "{\"after\":\"-1\"}",
                                std::string(40, '[') + std::string(40, ']'),
                                "{\"q\":\"\\u0000\"}"};
  for (const auto& body : bodies) {
    auto res = client.Post("/api/v1/people/search", Bearer(worker_), body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_TRUE(json::parse(res->body, nullptr, false).contains("error")) << body;
  }
  std::string huge(9 << 20, 'a');
  auto res = client.Post("/api/v1/people/search", Bearer(worker_), huge, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "resource_exhausted");
  auto bad_limit = client.Get("/api/v1/people?limit=0", Bearer(worker_));
  EXPECT_EQ(bad_limit->status, 400);
  auto bad_after = client.Get("/api/v1/people?after=x", Bearer(worker_));
  EXPECT_EQ(bad_after->status, 400);
}

}  // namespace
}  // namespace cordon::testing
