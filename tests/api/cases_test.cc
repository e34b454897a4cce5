// Cases over HTTP (issue #5): report, read, list and edit cases with their measure; the
// investigation record and its printable report; who infected whom with loops refused; clusters
// and their chain graph; the epidemic curve; the clock. Scoped, masked, audited, bad input
// named. One server for the suite: each test uses people of its own.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kHour = 3600;

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class CasesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new CordonServer();
    admin_token = server->Login("admin");
    json page = Json(server->Client().Get("/api/v1/people?limit=200", Bearer(admin_token)));
    people = page["items"];
    // Two grids with people in each: the worker of the first sees only its own.
    grid_a = people[0]["region"];
    // A grid of another district, when the city has one: the highest code on file.
    grid_b = server->Sql("SELECT MAX(region_code) FROM people");
    grid_b = grid_b.substr(0, grid_b.find('\n'));
    json more = Json(
        server->Client().Get("/api/v1/people?limit=200&region=" + grid_b, Bearer(admin_token)));
    for (const auto& p : more["items"]) {
      people.push_back(p);
    }
    ASSERT_NE(grid_a, grid_b);
    server->AddUser("case_worker_a", "grid_worker", grid_a);
    server->AddUser("case_epi", "epidemiologist", grid_a.substr(0, 6));
    worker_token = server->Login("case_worker_a");
    epi_token = server->Login("case_epi");
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }

  // The next person of `grid` not used by an earlier test.
  static std::int64_t Person(const std::string& grid) {
    for (auto& p : people) {
      if (p["region"] == grid && !p.contains("used")) {
        p["used"] = true;
        return p["id"];
      }
    }
    ADD_FAILURE() << "no more people in " << grid;
    return 0;
  }

  static json Send(const std::string& method, const std::string& path, const json& body,
                   int* status, const std::string& token = admin_token) {
    auto client = server->Client();
    httplib::Result res =
        method == "POST"     ? client.Post(path, Bearer(token), body.dump(), "application/json")
        : method == "PATCH"  ? client.Patch(path, Bearer(token), body.dump(), "application/json")
        : method == "PUT"    ? client.Put(path, Bearer(token), body.dump(), "application/json")
        : method == "DELETE" ? client.Delete(path, Bearer(token))
                             : client.Get(path, Bearer(token));
    *status = res ? res->status : -1;
    return res && !res->body.empty() ? json::parse(res->body, nullptr, false) : json();
  }

  static json NewCase(std::int64_t person, std::int64_t hours_ago, int* status,
                      const json& extra = json::object()) {
    json body = {{"person_id", person},
                 {"classification", "confirmed"},
                 {"positive_at", Now() - hours_ago * 3600}};
    body.update(extra);
    return Send("POST", "/api/v1/cases", body, status);
  }

  static std::string Field(const json& error) {
    return error["error"]["details"].empty()
               ? ""
               : error["error"]["details"][0]["field"].get<std::string>();
  }

  static CordonServer* server;
  static std::string admin_token, worker_token, epi_token, grid_a, grid_b;
  static json people;
};

CordonServer* CasesApiTest::server = nullptr;
std::string CasesApiTest::admin_token;
std::string CasesApiTest::worker_token;
std::string CasesApiTest::epi_token;
std::string CasesApiTest::grid_a;
std::string CasesApiTest::grid_b;
json CasesApiTest::people;

TEST_F(CasesApiTest, ACaseIsReportedReadListedAndEditedWithItsMeasure) {
  int status = 0;
  const std::int64_t person = Person(grid_a);
  json c = NewCase(person, 3, &status,
                   {{"onset_date", DaysAgo(1)},
                    {"hospital", "市第一人民医院"},
                    {"sampling_at", Now() - 10 * kHour}});
  ASSERT_EQ(status, 201) << c.dump();
  EXPECT_EQ(c["person_id"], person);
  EXPECT_NE(c["name"].get<std::string>().find('*'), std::string::npos);
  EXPECT_NE(c["id_number"].get<std::string>().find("********"), std::string::npos);
  EXPECT_EQ(c["region"], grid_a);
  EXPECT_EQ(c["onset_date"], DaysAgo(1));
  EXPECT_EQ(c["clock"]["reported"], "late");  // 3 h and not reported
  EXPECT_EQ(c["clock"]["listed"], "pending");
  EXPECT_EQ(c["contacts_listed_at"], nullptr);
  EXPECT_EQ(c["version"], 1);
  const std::string path = "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>());

  // The hospital measure started with it.
  json measures = Send("GET", "/api/v1/measures?state=current&limit=500", {}, &status);
  bool hospital = false;
  for (const auto& m : measures["items"]) {
    hospital = hospital || (m["person"]["id"] == person && m["measure"] == "hospital");
  }
  EXPECT_TRUE(hospital);

  json got = Send("GET", path, {}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(got["investigation"].is_array());
  EXPECT_TRUE(got["exposures"].is_array());
  json list = Send("GET", "/api/v1/cases?limit=200", {}, &status);
  ASSERT_EQ(status, 200);
  bool listed = false;
  for (const auto& item : list["cases"]) {
    listed = listed || item["id"] == c["id"];
  }
  EXPECT_TRUE(listed);

  json patched =
      Send("PATCH", path,
           {{"reported_at", Now() - 2 * kHour}, {"outcome", "under_treatment"}, {"version", 1}},
           &status);
  ASSERT_EQ(status, 200) << patched.dump();
  EXPECT_EQ(patched["version"], 2);
  EXPECT_EQ(patched["clock"]["reported"], "ok");
  // A stale version, then clearing a field with null.
  Send("PATCH", path, {{"hospital", "x"}, {"version", 1}}, &status);
  EXPECT_EQ(status, 409);
  patched = Send("PATCH", path, {{"onset_date", nullptr}, {"version", 2}}, &status);
  ASSERT_EQ(status, 200) << patched.dump();
  EXPECT_EQ(patched["onset_date"], nullptr);
  // One open case per person.
  NewCase(person, 1, &status);
  EXPECT_EQ(status, 409);

  const std::string id = std::to_string(c["id"].get<std::int64_t>());
  EXPECT_EQ(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action IN ('cases.create', "
                             "'cases.update') AND object_id = '" +
                             id + "'"),
            "3\n");
  EXPECT_EQ(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'measures.create' AND "
                             "reason = '病例 #" +
                             id + "'"),
            "1\n");
}

TEST_F(CasesApiTest, BadInputIsNamed) {
  int status = 0;
  const std::int64_t person = Person(grid_a);
  json e = Send("POST", "/api/v1/cases", {{"classification", "confirmed"}, {"positive_at", Now()}},
                &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(e), "person_id");
  e = NewCase(person, 1, &status, {{"classification", "probable"}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(e), "classification");
  e = NewCase(person, 1, &status, {{"onset_date", "2022-13-01"}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(e), "onset_date");
  e = NewCase(person, 1, &status, {{"onset_date", "30/04/2022"}});
  EXPECT_EQ(Field(e), "onset_date");
  e = NewCase(person, -5, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(e), "positive_at");
  e = NewCase(person, 1, &status, {{"positive_at", "yesterday"}});
  EXPECT_EQ(Field(e), "positive_at");
  e = NewCase(person, 1, &status, {{"sampling_at", Now()}});
  EXPECT_EQ(Field(e), "sampling_at");  // after the positive result
  e = NewCase(person, 1, &status, {{"colour", "red"}});
  EXPECT_EQ(Field(e), "colour");
  e = NewCase(person, 1, &status, {{"cluster_id", 999999}});
  EXPECT_EQ(Field(e), "cluster_id");
  json c = NewCase(person, 1, &status);
  ASSERT_EQ(status, 201);
  const std::string path = "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>());
  e = Send("PATCH", path, {{"outcome", "cured"}, {"version", 1}}, &status);
  EXPECT_EQ(Field(e), "outcome");
  e = Send("PATCH", path, {{"outcome", "recovered"}}, &status);
  EXPECT_EQ(Field(e), "version");
  Send("GET", "/api/v1/cases?classification=probable", {}, &status);
  EXPECT_EQ(status, 400);
  Send("GET", "/api/v1/cases?after=zzz", {}, &status);
  EXPECT_EQ(status, 400);
  Send("GET", "/api/v1/cases/abc", {}, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(CasesApiTest, AGridWorkerSeesOnlyTheirGridsCasesAndWritesNone) {
  int status = 0;
  json mine = NewCase(Person(grid_a), 2, &status);
  ASSERT_EQ(status, 201);
  json other = NewCase(Person(grid_b), 2, &status);
  ASSERT_EQ(status, 201);
  json list = Send("GET", "/api/v1/cases?limit=200", {}, &status, worker_token);
  ASSERT_EQ(status, 200);
  bool saw_mine = false;
  for (const auto& c : list["cases"]) {
    EXPECT_EQ(c["region"], grid_a);
    saw_mine = saw_mine || c["id"] == mine["id"];
  }
  EXPECT_TRUE(saw_mine);
  const std::string other_id = std::to_string(other["id"].get<std::int64_t>());
  Send("GET", "/api/v1/cases/" + other_id, {}, &status, worker_token);
  EXPECT_EQ(status, 404);
  Send("GET", "/api/v1/cases/" + other_id + "/investigation", {}, &status, worker_token);
  EXPECT_EQ(status, 404);
  Send("GET", "/api/v1/cases?region=" + grid_b, {}, &status, worker_token);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'authz_denied' AND "
                             "object_type = 'case' AND object_id = '" +
                             other_id + "'"),
            "2\n");
  Send("GET", "/api/v1/cases/" + std::to_string(mine["id"].get<std::int64_t>()), {}, &status,
       worker_token);
  EXPECT_EQ(status, 200);
  NewCase(Person(grid_a), 1, &status);  // as admin: fine; as the worker: refused
  Send("POST", "/api/v1/cases",
       {{"person_id", Person(grid_a)}, {"classification", "confirmed"}, {"positive_at", Now()}},
       &status, worker_token);
  EXPECT_EQ(status, 403);
  // An auditor reads cases; a person outside the epidemiologist's district is a 404.
  server->AddUser("case_auditor", "auditor", grid_a.substr(0, 6));
  Send("GET", "/api/v1/cases", {}, &status, server->Login("case_auditor"));
  EXPECT_EQ(status, 200);
  if (grid_b.substr(0, 6) != grid_a.substr(0, 6)) {
    Send("POST", "/api/v1/cases",
         {{"person_id", Person(grid_b)}, {"classification", "confirmed"}, {"positive_at", Now()}},
         &status, epi_token);
    EXPECT_EQ(status, 404);
  }
}

TEST_F(CasesApiTest, TheInvestigationRecordIsKeptVersionedAndPrinted) {
  int status = 0;
  json c = NewCase(Person(grid_a), 5, &status);
  ASSERT_EQ(status, 201);
  const std::string base =
      "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>()) + "/investigation";
  const std::int64_t met = Person(grid_a);
  json e = Send("POST", base,
                {{"at", Now() - 30 * kHour},
                 {"until", Now() - 29 * kHour},
                 {"kind", "person"},
                 {"person_id", met},
                 {"text", "与朋友共同就餐 <b>"}},
                &status);
  ASSERT_EQ(status, 201) << e.dump();
  EXPECT_EQ(e["version"], 1);
  EXPECT_NE(e["person_name"].get<std::string>().find('*'), std::string::npos);
  EXPECT_EQ(e["author"], "admin");
  json first = Send("POST", base,
                    {{"at", Now() - 50 * kHour}, {"kind", "activity"}, {"text", "居家"}}, &status);
  ASSERT_EQ(status, 201);
  json entries = Send("GET", base, {}, &status);
  ASSERT_EQ(entries["entries"].size(), 2u);
  EXPECT_EQ(entries["entries"][0]["id"], first["id"]);  // in time order

  const std::string entry = base + "/" + std::to_string(e["id"].get<std::int64_t>());
  json put =
      Send("PUT", entry,
           {{"at", Now() - 30 * kHour}, {"kind", "person"}, {"text", "改：同住"}, {"version", 1}},
           &status);
  ASSERT_EQ(status, 200) << put.dump();
  EXPECT_EQ(put["version"], 2);
  Send("PUT", entry,
       {{"at", Now() - 30 * kHour}, {"kind", "person"}, {"text", "x"}, {"version", 1}}, &status);
  EXPECT_EQ(status, 409);
  json bad = Send("POST", base, {{"at", Now()}, {"kind", "venue"}, {"text", "x"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(bad), "kind");
  bad = Send("POST", base, {{"at", Now()}, {"kind", "place"}, {"text", "x"}}, &status);
  EXPECT_EQ(Field(bad), "venue_code");
  bad = Send("POST", base, {{"at", Now()}, {"kind", "place"}, {"venue_code", "V0"}, {"text", "x"}},
             &status);
  EXPECT_EQ(Field(bad), "venue_code");
  bad = Send("POST", base,
             {{"at", Now() - 100}, {"until", Now() - 200}, {"kind", "activity"}, {"text", "x"}},
             &status);
  EXPECT_EQ(Field(bad), "until");
  bad = Send("POST", base, {{"kind", "activity"}, {"text", "x"}}, &status);
  EXPECT_EQ(Field(bad), "at");

  auto res = server->Client().Get(base + "/export?format=html", Bearer(admin_token));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  // The server sends the name percent-encoded (RFC 5987); httplib's client decodes header values.
  const std::string disposition = res->get_header_value("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment; ", 0), 0u) << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''"), std::string::npos) << disposition;
  EXPECT_NE(disposition.find("流调报告.html"), std::string::npos) << disposition;
  EXPECT_NE(res->body.find("流行病学调查报告"), std::string::npos);
  EXPECT_NE(res->body.find("改：同住"), std::string::npos);
  EXPECT_FALSE(std::regex_search(res->body, std::regex("\\d{17}[\\dXx]")));
  EXPECT_FALSE(std::regex_search(res->body, std::regex("1[3-9]\\d{9}")));
  res = server->Client().Get(base + "/export?format=docx", Bearer(admin_token));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Field(json::parse(res->body)), "format");

  Send("DELETE", entry, {}, &status);
  EXPECT_EQ(status, 204);
  Send("DELETE", entry, {}, &status);
  EXPECT_EQ(status, 404);
  entries = Send("GET", base, {}, &status);
  EXPECT_EQ(entries["entries"].size(), 1u);
  const std::string id = std::to_string(c["id"].get<std::int64_t>());
  EXPECT_EQ(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action LIKE 'cases.entry_%' AND "
                             "object_id = '" +
                             id + "'"),
            "4\n");
  EXPECT_EQ(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'cases.export'"), "1\n");
}

TEST_F(CasesApiTest, ExposuresFormAChainWithoutLoopsAndAClusterDrawsIt) {
  int status = 0;
  json cluster = Send("POST", "/api/v1/clusters",
                      {{"name", "测试聚集性疫情"}, {"region", grid_a.substr(0, 6)}}, &status);
  ASSERT_EQ(status, 201) << cluster.dump();
  EXPECT_EQ(cluster["cases"], 0);
  const std::int64_t cluster_id = cluster["id"];
  std::vector<std::int64_t> person;
  for (int i = 0; i < 3; ++i) {
    person.push_back(Person(grid_a));
    NewCase(person.back(), 30 - 10 * i, &status,
            {{"cluster_id", cluster_id}, {"onset_date", DaysAgo(2 - i)}});
    ASSERT_EQ(status, 201);
  }
  const std::int64_t outsider = Person(grid_b);  // the source of the first, not a case here
  const auto link = [&](std::int64_t from, std::int64_t to, const std::string& kind) {
    return Send("POST", "/api/v1/exposures",
                {{"source_person_id", from}, {"target_person_id", to}, {"kind", kind}}, &status);
  };
  json ab = link(person[0], person[1], "household");
  ASSERT_EQ(status, 201) << ab.dump();
  link(person[1], person[2], "named");
  ASSERT_EQ(status, 201);
  link(outsider, person[0], "unknown");
  ASSERT_EQ(status, 201);
  json loop = link(person[2], person[0], "named");
  EXPECT_EQ(status, 422);
  EXPECT_EQ(Field(loop), "cycle");
  EXPECT_EQ(loop["error"]["details"][0]["message"],
            std::to_string(person[2]) + " → " + std::to_string(person[0]) + " → " +
                std::to_string(person[1]) + " → " + std::to_string(person[2]));
  link(person[0], person[1], "named");
  EXPECT_EQ(status, 409);
  json self = link(person[0], person[0], "named");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Field(self), "target_person_id");
  json bad = link(person[0], person[2], "airborne");
  EXPECT_EQ(Field(bad), "kind");

  json graph =
      Send("GET", "/api/v1/clusters/" + std::to_string(cluster_id) + "/graph", {}, &status);
  ASSERT_EQ(status, 200) << graph.dump();
  ASSERT_EQ(graph["nodes"].size(), 4u);
  EXPECT_EQ(graph["links"].size(), 3u);
  std::map<std::int64_t, json> node;
  for (const auto& n : graph["nodes"]) {
    node[n["person_id"]] = n;
  }
  EXPECT_EQ(node[person[0]]["generation"], 0);  // its source is outside the cluster
  EXPECT_EQ(node[person[1]]["generation"], 1);
  EXPECT_EQ(node[person[2]]["generation"], 2);
  EXPECT_EQ(node[outsider]["generation"], nullptr);
  EXPECT_EQ(node[outsider]["case_id"], nullptr);
  EXPECT_EQ(node[person[1]]["measure"]["measure"], "hospital");

  // The worker of the grid sees the district's cluster; the outsider of another grid is hidden.
  json seen = Send("GET", "/api/v1/clusters/" + std::to_string(cluster_id) + "/graph", {}, &status,
                   worker_token);
  ASSERT_EQ(status, 200);
  for (const auto& n : seen["nodes"]) {
    if (n["person_id"] == outsider) {
      EXPECT_EQ(n["name"], "已脱敏");
    } else {
      EXPECT_NE(n["name"], "已脱敏");
    }
  }
  json clusters = Send("GET", "/api/v1/clusters", {}, &status, worker_token);
  ASSERT_EQ(status, 200);
  bool found = false;
  for (const auto& c : clusters["clusters"]) {
    if (c["id"] == cluster_id) {
      found = true;
      EXPECT_EQ(c["cases"], 3);
      EXPECT_EQ(c["first_onset"], DaysAgo(2));
    }
  }
  EXPECT_TRUE(found);
  json renamed = Send("PATCH", "/api/v1/clusters/" + std::to_string(cluster_id),
                      {{"name", "某小区聚集性疫情"}}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(renamed["name"], "某小区聚集性疫情");
  Send("POST", "/api/v1/clusters", {{"name", ""}, {"region", grid_a}}, &status);
  EXPECT_EQ(status, 400);
  Send("POST", "/api/v1/clusters", {{"name", "x"}, {"region", "999999"}}, &status);
  EXPECT_EQ(status, 404);
  json cases = Send("GET", "/api/v1/cases?cluster=" + std::to_string(cluster_id), {}, &status);
  EXPECT_EQ(cases["cases"].size(), 3u);

  Send("DELETE", "/api/v1/exposures/" + std::to_string(ab["id"].get<std::int64_t>()), {}, &status);
  EXPECT_EQ(status, 204);
  link(person[2], person[0], "named");  // no loop any more
  EXPECT_EQ(status, 201);
  // Three links, one deleted, one more; the cluster made and renamed.
  EXPECT_GE(
      std::stoi(server->AuditSql("SELECT COUNT(*) FROM audit WHERE action IN ('exposures.create', "
                                 "'exposures.delete', 'clusters.create', 'clusters.rename')")),
      7);
}

TEST_F(CasesApiTest, TheEpidemicCurveHasEveryDayAndTheClockItsTargets) {
  int status = 0;
  const std::string grid = grid_b;
  json none =
      Send("GET", "/api/v1/epicurve?region=" + grid + "&from=" + DaysAgo(6) + "&to=" + DaysAgo(0),
           {}, &status);
  ASSERT_EQ(status, 200) << none.dump();
  ASSERT_EQ(none["days"].size(), 7u);
  std::int64_t before = 0;
  for (const auto& d : none["days"]) {
    before += d["confirmed"].get<std::int64_t>();
  }
  const std::int64_t no_onset_before = none["no_onset"];
  json onset = NewCase(Person(grid), 4, &status, {{"onset_date", DaysAgo(3)}});
  ASSERT_EQ(status, 201);
  NewCase(Person(grid), 4, &status, {{"classification", "asymptomatic"}});
  ASSERT_EQ(status, 201);
  json curve =
      Send("GET", "/api/v1/epicurve?region=" + grid + "&from=" + DaysAgo(6) + "&to=" + DaysAgo(0),
           {}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(curve["by"], "onset");
  EXPECT_EQ(curve["days"][0]["date"], DaysAgo(6));
  EXPECT_EQ(curve["days"][6]["date"], DaysAgo(0));
  std::int64_t after = 0;
  for (const auto& d : curve["days"]) {
    after += d["confirmed"].get<std::int64_t>();
  }
  EXPECT_EQ(after, before + 1);
  EXPECT_GE(curve["days"][3]["confirmed"].get<std::int64_t>(), 1);
  EXPECT_EQ(curve["no_onset"], no_onset_before + 1);
  json report = Send("GET", "/api/v1/epicurve?by=report&region=" + grid, {}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(report["days"].size(), 28u);
  EXPECT_FALSE(report.contains("no_onset"));
  Send("GET", "/api/v1/epicurve?by=week", {}, &status);
  EXPECT_EQ(status, 400);
  json bad = Send("GET", "/api/v1/epicurve?from=2022-02-30", {}, &status);
  EXPECT_EQ(Field(bad), "from");
  bad = Send("GET", "/api/v1/epicurve?from=" + DaysAgo(0) + "&to=" + DaysAgo(3), {}, &status);
  EXPECT_EQ(Field(bad), "to");

  json clock = Send("GET", "/api/v1/cases/clock?region=" + grid, {}, &status);
  ASSERT_EQ(status, 200) << clock.dump();
  EXPECT_EQ(clock["targets"],
            json({{"reported_hours", 2}, {"listed_hours", 12}, {"controlled_hours", 24}}));
  ASSERT_GE(clock["cases"].size(), 2u);
  bool seen = false;
  for (const auto& c : clock["cases"]) {
    if (c["id"] == onset["id"]) {
      seen = true;
      EXPECT_EQ(c["reported"], "late");  // 4 h, not reported
      EXPECT_EQ(c["listed"], "pending");
      EXPECT_EQ(c["controlled"], "pending");
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_GE(clock["late"].get<std::int64_t>(), 2);
  json late = Send("GET", "/api/v1/cases?late=1&region=" + grid, {}, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(late["cases"].size(), clock["late"].get<std::size_t>());
  Send("GET", "/api/v1/cases?late=yes", {}, &status);
  EXPECT_EQ(status, 400);
  Send("GET", "/api/v1/cases/clock?region=" + grid_b, {}, &status, worker_token);
  EXPECT_EQ(status, grid_b == grid_a ? 200 : 404);
}

}  // namespace
}  // namespace cordon::testing
