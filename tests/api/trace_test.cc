// Check-ins and contact tracing over HTTP and the command line (issue #5): ingest with a report
// per line, idempotent; close, secondary and companion contacts with evidence at the window's
// edges; trajectories; roles and jurisdiction; nothing acknowledged lost to a kill -9.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "checkin_times.h"
#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class TraceApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    json list = Json(server_.Client().Get("/api/v1/people?limit=8", Bearer(admin_)));
    ASSERT_GE(list["items"].size(), 8U);
    for (const auto& p : list["items"]) {
      ids_.push_back(p["id"].get<std::int64_t>());
      numbers_.push_back(Revealed(server_, admin_, p["id"].get<std::int64_t>(), "id_number"));
    }
    transit_ =
        Trim(server_.Sql("SELECT code FROM venues WHERE type = 'transit' ORDER BY id LIMIT 1"));
    ASSERT_FALSE(transit_.empty());
  }

  static std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
      s.pop_back();
    }
    return s;
  }

  static std::string Line(const std::string& id, const std::string& venue, std::int64_t t) {
    return json{{"id_number", id}, {"venue_code", venue}, {"time", t}}.dump() + "\n";
  }

  json PostCheckins(const std::string& body, int* status,
                    const std::string& type = "application/x-ndjson") {
    auto res = server_.Client().Post("/api/v1/checkins", Bearer(admin_), body, type.c_str());
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  json Contacts(const json& body, int* status, const std::string& token) {
    auto res = server_.Client().Post("/api/v1/trace/contacts", Bearer(token), body.dump(),
                                     "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  static const json* Find(const json& list, std::int64_t person) {
    for (const auto& c : list) {
      if (c["person_id"] == person) {
        return &c;
      }
    }
    return nullptr;
  }

  CordonServer server_;
  std::string admin_;
  std::vector<std::int64_t> ids_;
  std::vector<std::string> numbers_;
  std::string transit_;
};

TEST_F(TraceApiTest, IngestReportsEachBadLineByFieldAndIsIdempotent) {
  const std::int64_t t = QuietHour();
  std::string bad_check = numbers_[0];
  bad_check.back() = bad_check.back() == '1' ? '2' : '1';
  const std::string stranger = WithCheckDigit("11010519800101777");
  std::string body =
      Line(numbers_[0], "TEST-A", t) + Line(numbers_[1], "TEST-A", t + 60) +
      Line(bad_check, "TEST-A", t) +                                       // line 3: check digit
      Line(numbers_[2], "TEST-A", UnixNow() + 86'400) +                    // line 4: the future
      "not json\n" +                                                       // line 5
      Line(numbers_[3], "bad code!", t) +                                  // line 6
      Line(stranger, "TEST-A", t + 120) +                                  // a new, unverified file
      Line(numbers_[4], "TEST-A", UnixNow() - std::int64_t{40} * 86'400);  // line 8: past retention
  int status = 0;
  json report = PostCheckins(body, &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 3);
  EXPECT_EQ(report["new_venues"], 1);
  EXPECT_EQ(report["new_people"], 1);
  ASSERT_EQ(report["rejected"].size(), 5U) << report.dump();
  const std::vector<std::pair<int, std::string>> expected = {
      {3, "id_number"}, {4, "time"}, {5, "JSON"}, {6, "venue_code"}, {8, "time"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(report["rejected"][i]["line"], expected[i].first);
    EXPECT_NE(report["rejected"][i]["reason"].get<std::string>().find(expected[i].second),
              std::string::npos)
        << report["rejected"][i].dump();
  }
  EXPECT_EQ(
      Trim(server_.Sql("SELECT type || ',' || needs_review FROM venues WHERE code = 'TEST-A'")),
      "unknown,1");
  EXPECT_EQ(
      Trim(server_.Sql("SELECT unverified || ',' || COALESCE(region_code, 'none') FROM people "
                       "WHERE id_number_masked = '" +
                       stranger.substr(0, 6) + "********" + stranger.substr(14) + "'")),
      "1,none");
  // The same body again: nothing new.
  report = PostCheckins(body, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(report["accepted"], 0);
  EXPECT_EQ(report["duplicates"], 3);
  // CSV, with the contract's header.
  report = PostCheckins("person_id_number,venue_code,time\n" + numbers_[5] + ",TEST-A," +
                            std::to_string(t + 5) + "\n" + numbers_[5] + ",TEST-A,yesterday\n",
                        &status, "text/csv");
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 1);
  ASSERT_EQ(report["rejected"].size(), 1U);
  EXPECT_EQ(report["rejected"][0]["line"], 3);
  // Only those who may: a grid worker may not bring in check-ins.
  std::string grid =
      Trim(server_.Sql("SELECT region_code FROM people WHERE id = " + std::to_string(ids_[0])));
  server_.AddUser("g1", "grid_worker", grid);
  auto res = server_.Client().Post("/api/v1/checkins", Bearer(server_.Login("g1")), body,
                                   "application/x-ndjson");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
}

TEST_F(TraceApiTest, ContactsFollowTheRuleAtItsEdgesWithEvidence) {
  const std::int64_t t = QuietHour();
  const auto x = numbers_[0];
  // Close: 1 at -600 and 2 exactly at +1800 (inclusive); 3 at +1801 is outside. Secondary: 4
  // met 1 after 1 met the case. Companions: 5 at the station 100 s from the case; 6 at 400 s.
  std::string body = Line(x, "TEST-R", t) + Line(numbers_[1], "TEST-R", t - 600) +
                     Line(numbers_[2], "TEST-R", t + 1800) + Line(numbers_[3], "TEST-R", t + 1801) +
                     Line(numbers_[1], "TEST-S", t - 300) + Line(numbers_[4], "TEST-S", t - 200) +
                     Line(x, transit_, t - 3000) + Line(numbers_[5], transit_, t - 2900) +
                     Line(numbers_[6], transit_, t - 2600);
  int status = 0;
  json report = PostCheckins(body, &status);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(report["accepted"], 9) << report.dump();

  json answer =
      Contacts({{"id_number", x}, {"from", t - 3600}, {"to", t}, {"depth", 2}}, &status, admin_);
  ASSERT_EQ(status, 200) << answer.dump();
  const json* one = Find(answer["contacts"], ids_[1]);
  ASSERT_NE(one, nullptr) << answer.dump();
  EXPECT_EQ((*one)["degree"], 1);
  EXPECT_EQ((*one)["kind"], "co_presence");
  EXPECT_EQ((*one)["evidence"][0]["venue_code"], "TEST-R");
  EXPECT_EQ((*one)["evidence"][0]["index_time"], t);
  EXPECT_EQ((*one)["evidence"][0]["contact_time"], t - 600);
  EXPECT_NE((*one)["id_number"].get<std::string>().find('*'), std::string::npos) << "masked";
  const json* two = Find(answer["contacts"], ids_[2]);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ((*two)["evidence"][0]["gap_seconds"], 1800);
  EXPECT_EQ(Find(answer["contacts"], ids_[3]), nullptr) << "1801 s is outside the window";
  const json* four = Find(answer["contacts"], ids_[4]);
  ASSERT_NE(four, nullptr);
  EXPECT_EQ((*four)["degree"], 2);
  EXPECT_EQ((*four)["via_person_id"], ids_[1]);
  const json* five = Find(answer["companions"], ids_[5]);
  ASSERT_NE(five, nullptr) << answer["companions"].dump();
  EXPECT_EQ((*five)["degree"], 0);
  EXPECT_EQ(Find(answer["contacts"], ids_[5]), nullptr) << "a station makes companions only";
  EXPECT_EQ(Find(answer["companions"], ids_[6]), nullptr) << "400 s is outside the station's 300";
  EXPECT_EQ(answer["counts"]["companions"], answer["companions"].size());

  // Depth 1: no secondary contacts.
  answer = Contacts({{"id_number", x}, {"from", t - 3600}, {"to", t}}, &status, admin_);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(Find(answer["contacts"], ids_[4]), nullptr);
  EXPECT_EQ(answer["counts"]["secondary"], 0);

  // The trajectory, in time order.
  json trajectory = Json(server_.Client().Get("/api/v1/people/" + std::to_string(ids_[0]) +
                                                  "/trajectory?from=" + std::to_string(t - 3600) +
                                                  "&to=" + std::to_string(t),
                                              Bearer(admin_)));
  ASSERT_EQ(trajectory["checkins"].size(), 2U) << trajectory.dump();
  EXPECT_EQ(trajectory["checkins"][0]["venue_code"], transit_);
  EXPECT_EQ(trajectory["checkins"][1]["venue_code"], "TEST-R");
  EXPECT_EQ(trajectory["checkins"][1]["time"], t);

  // The command line, beside the running server, prints ID numbers in full.
  std::string out;
  ASSERT_EQ(server_.Run("trace contacts --id-number " + x + " --from " + std::to_string(t - 3600) +
                            " --to " + std::to_string(t) + " --depth 2",
                        "", &out),
            0)
      << out;
  EXPECT_NE(out.find("degree,id_number,venue_code,index_time,contact_time\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("1," + numbers_[1] + ",TEST-R," + std::to_string(t) + "," +
                     std::to_string(t - 600) + "\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2," + numbers_[4] + ",TEST-S,"), std::string::npos) << out;
  EXPECT_EQ(out.find(numbers_[3]), std::string::npos) << out;

  // Every search is on record.
  EXPECT_NE(server_.AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'trace.contacts'"), "0\n");
}

TEST_F(TraceApiTest, SecondaryContactsAreAllCountedAndNamedAPageAtATime) {
  const std::int64_t t = QuietHour();
  const auto x = numbers_[0];
  // 1 meets the case at TEST-P, then at TEST-Q (twice) meets 2..7: six secondary contacts, 7
  // within the window of both of 1's check-ins there.
  std::string body = Line(x, "TEST-P", t) + Line(numbers_[1], "TEST-P", t + 10) +
                     Line(numbers_[1], "TEST-Q", t + 600) + Line(numbers_[1], "TEST-Q", t + 3000);
  for (int i = 2; i <= 6; ++i) {
    body += Line(numbers_[i], "TEST-Q", t + 600 - std::int64_t{60} * i);
  }
  body += Line(numbers_[7], "TEST-Q", t + 1800);
  int status = 0;
  json report = PostCheckins(body, &status);
  ASSERT_EQ(status, 200) << report.dump();

  std::vector<std::int64_t> named;
  std::optional<std::int64_t> after;
  for (int page = 0; page < 4; ++page) {
    json query = {
        {"id_number", x}, {"from", t - 60}, {"to", t + 3600}, {"depth", 2}, {"secondary_limit", 4}};
    if (after) {
      query["secondary_after"] = *after;
    }
    json answer = Contacts(query, &status, admin_);
    ASSERT_EQ(status, 200) << answer.dump();
    EXPECT_EQ(answer["counts"]["secondary"], 6) << "every one counted on every page";
    EXPECT_EQ(answer["counts"]["close"], 1);
    for (const auto& c : answer["contacts"]) {
      if (c["degree"] == 2) {
        named.push_back(c["person_id"].get<std::int64_t>());
        EXPECT_EQ(c["via_person_id"], ids_[1]);
        ASSERT_EQ(c["evidence"].size(), 1U) << "the earliest meeting only";
        EXPECT_EQ(c["evidence_total"], c["person_id"] == ids_[7] ? 2 : 1) << c.dump();
      }
    }
    if (answer["secondary_next"].is_null()) {
      break;
    }
    after = answer["secondary_next"].get<std::int64_t>();
  }
  std::vector<std::int64_t> want(ids_.begin() + 2, ids_.begin() + 8);
  std::ranges::sort(want);
  EXPECT_EQ(named, want) << "two pages, in person order, each once";

  // A page size outside 0..10000 is named.
  json answer = Contacts({{"id_number", x},
                          {"from", t - 60},
                          {"to", t + 3600},
                          {"depth", 2},
                          {"secondary_limit", 10001}},
                         &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.dump().find("secondary_limit"), std::string::npos) << answer.dump();
}

TEST_F(TraceApiTest, OnlyTheTracingTeamSearchesAndOnlyInsideItsJurisdiction) {
  const std::int64_t t = QuietHour();
  int status = 0;
  PostCheckins(Line(numbers_[0], "TEST-J", t), &status);
  ASSERT_EQ(status, 200);
  const json query = {{"id_number", numbers_[0]}, {"from", t - 60}, {"to", t + 60}};
  std::string grid =
      Trim(server_.Sql("SELECT region_code FROM people WHERE id = " + std::to_string(ids_[0])));
  server_.AddUser("g2", "grid_worker", grid);
  Contacts(query, &status, server_.Login("g2"));
  EXPECT_EQ(status, 403);
  std::string other = Trim(
      server_.Sql("SELECT code FROM regions WHERE level = 2 AND code NOT IN (SELECT r.code FROM "
                  "regions r JOIN people p ON p.region_path LIKE r.path || '%' WHERE p.id = " +
                  std::to_string(ids_[0]) + ") ORDER BY code LIMIT 1"));
  ASSERT_FALSE(other.empty());
  server_.AddUser("epi2", "epidemiologist", other);
  const std::string epi = server_.Login("epi2");
  json answer = Contacts(query, &status, epi);
  EXPECT_EQ(status, 404) << answer.dump();
  auto res = server_.Client().Get("/api/v1/people/" + std::to_string(ids_[0]) + "/trajectory",
                                  Bearer(epi));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  // Bad input is named.
  answer = Contacts({{"id_number", numbers_[0]}, {"from", "yesterday"}, {"to", t}, {"depth", 3}},
                    &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.dump().find("from"), std::string::npos) << answer.dump();
  EXPECT_NE(answer.dump().find("depth"), std::string::npos) << answer.dump();
  answer = Contacts({{"from", t}, {"to", t}}, &status, admin_);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.dump().find("id_number"), std::string::npos);
}

TEST_F(TraceApiTest, ACasesContactsArePreviewedThenListedAsLeadsOnce) {
  const std::int64_t t = QuietHour();
  int status = 0;
  PostCheckins(Line(numbers_[0], "TEST-C", t) + Line(numbers_[1], "TEST-C", t + 60) +
                   Line(numbers_[1], "TEST-D", t + 600) + Line(numbers_[2], "TEST-D", t + 700),
               &status);
  ASSERT_EQ(status, 200);
  auto res = server_.Client().Post(
      "/api/v1/cases", Bearer(admin_),
      json{{"person_id", ids_[0]}, {"classification", "confirmed"}, {"positive_at", t + 3600}}
          .dump(),
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string path = "/api/v1/cases/" +
                           std::to_string(json::parse(res->body)["id"].get<std::int64_t>()) +
                           "/contacts";
  auto post = [&](const json& body) {
    auto r = server_.Client().Post(path, Bearer(admin_), body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r ? json::parse(r->body, nullptr, false) : json();
  };
  json preview = post({{"depth", 2}, {"preview", true}});
  EXPECT_GE(preview["counts"]["close"].get<int>(), 1);
  // The demo city's own check-ins in the four days of look-back add contacts of their own;
  // the planted ones must be among them.
  EXPECT_GE(preview["counts"]["secondary"].get<int>(), 0);
  const json* planted = Find(preview["contacts"], ids_[1]);
  if (preview["counts"]["close"].get<std::size_t>() <= 200) {
    ASSERT_NE(planted, nullptr) << preview.dump();
    EXPECT_EQ((*planted)["degree"], 1);
  }
  EXPECT_EQ(server_.Sql("SELECT COUNT(*) FROM case_contacts"), "0\n") << "a preview lists nothing";
  // Listing close contacts only keeps the test quick; secondary ones are listed the same way.
  preview = post({{"depth", 1}, {"preview", true}});
  json listed = post({{"depth", 1}, {"preview", false}});
  const int total = preview["counts"]["close"].get<int>();
  EXPECT_EQ(listed["leads_created"].get<int>() + listed["merged"].get<int>(), total)
      << listed.dump();
  EXPECT_EQ(
      server_.Sql("SELECT degree FROM case_contacts WHERE person_id = " + std::to_string(ids_[1])),
      "1\n");
  json again = post({{"depth", 1}, {"preview", false}});
  EXPECT_EQ(again["leads_created"], 0) << again.dump();
  EXPECT_EQ(again["already_listed"], total);
}

TEST_F(TraceApiTest, TwoNodesOnOneDatabaseAnswerTheSame) {
  if (server_.backend() != "postgresql") {
    GTEST_SKIP() << "several nodes share a PostgreSQL database (CORDON_TEST_PG)";
  }
  CordonServer second(CordonServer::SecondNode{}, server_);
  const std::string admin2 = second.Login("admin");
  const std::int64_t t = QuietHour();
  int status = 0;
  // Half the meeting on each node, one venue new on the second.
  PostCheckins(Line(numbers_[0], "TEST-N1", t) + Line(numbers_[1], "TEST-N1", t + 30), &status);
  ASSERT_EQ(status, 200);
  auto res = second.Client().Post("/api/v1/checkins", Bearer(admin2),
                                  Line(numbers_[2], "TEST-N1", t - 30) +
                                      Line(numbers_[0], "TEST-N2", t + 60) +
                                      Line(numbers_[3], "TEST-N2", t + 90),
                                  "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json query = {{"id_number", numbers_[0]}, {"from", t - 60}, {"to", t + 60}, {"depth", 2}};
  // The first node follows the second's rows within its polling interval.
  json one;
  for (int i = 0; i < 50; ++i) {
    one = Contacts(query, &status, admin_);
    if (status == 200 && Find(one["contacts"], ids_[3]) != nullptr) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto two = second.Client().Post("/api/v1/trace/contacts", Bearer(admin2), query.dump(),
                                  "application/json");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->status, 200) << two->body;
  EXPECT_EQ(one["contacts"], json::parse(two->body)["contacts"]);
  for (std::size_t i : {1U, 2U, 3U}) {
    EXPECT_NE(Find(one["contacts"], ids_[i]), nullptr) << i << " " << one.dump();
  }

  // A venue's type edited on the second node decides the first node's window too: TEST-N1 as a
  // station makes companions of 1 and 2 on both.
  res = second.Client().Patch("/api/v1/venues/TEST-N1", Bearer(admin2),
                              json{{"type", "transit"}}.dump(), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  for (int i = 0; i < 50; ++i) {
    one = Contacts(query, &status, admin_);
    if (status == 200 && Find(one["companions"], ids_[1]) != nullptr) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(Find(one["companions"], ids_[1]), nullptr) << one.dump();
  EXPECT_EQ(Find(one["contacts"], ids_[1]), nullptr) << one.dump();
}

TEST_F(TraceApiTest, AKillDuringIngestLosesNoAcknowledgedCheckIn) {
  const std::int64_t t = QuietHour();
  std::atomic<int> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto client = server_.Client();
    for (int batch = 0; !stop && batch < 2000; ++batch) {
      std::string body;
      for (int i = 0; i < 50; ++i) {
        body += Line(numbers_[7], "TEST-K", t + std::int64_t{batch} * 50 + i);
      }
      auto res = client.Post("/api/v1/checkins", Bearer(admin_), body, "application/x-ndjson");
      if (!res || res->status != 200) {
        break;
      }
      acknowledged += json::parse(res->body)["accepted"].get<int>();
    }
  });
  while (acknowledged < 2000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server_.CrashAndRestart();
  stop = true;
  writer.join();
  admin_ = server_.Login("admin");
  json trajectory = Json(server_.Client().Get("/api/v1/people/" + std::to_string(ids_[7]) +
                                                  "/trajectory?from=" + std::to_string(t) +
                                                  "&to=" + std::to_string(t + 200'000),
                                              Bearer(admin_)));
  int held = 0;
  for (const auto& c : trajectory["checkins"]) {
    held += c["venue_code"] == "TEST-K" ? 1 : 0;
  }
  EXPECT_GE(held, acknowledged.load());
  EXPECT_LE(held, acknowledged.load() + 50) << "at most the batch in flight when killed";
}

}  // namespace
}  // namespace cordon::testing
