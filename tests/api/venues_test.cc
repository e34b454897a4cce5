// Venue review (场所核实) over HTTP: a code first seen in a check-in waits in the review inbox;
// the tracing team reads it, an epidemiologist names it and sets its type, and the very next
// contact search uses that type's window. Bad input is named, an unknown code is 404, nothing is
// half written. Backend-agnostic: runs on SQLite, and on PostgreSQL with CORDON_TEST_PG.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "checkin_times.h"
#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

std::string Line(const std::string& id, const std::string& venue, std::int64_t t) {
  return json{{"id_number", id}, {"venue_code", venue}, {"time", t}}.dump() + "\n";
}

const json* FindPerson(const json& list, std::int64_t person) {
  for (const auto& c : list) {
    if (c["person_id"] == person) {
      return &c;
    }
  }
  return nullptr;
}

const json* FindVenue(const json& items, const std::string& code) {
  for (const auto& v : items) {
    if (v["code"] == code) {
      return &v;
    }
  }
  return nullptr;
}

// The fields an error answer names.
std::set<std::string> Fields(const json& answer) {
  std::set<std::string> out;
  if (answer.contains("error") && answer["error"].contains("details")) {
    for (const auto& d : answer["error"]["details"]) {
      out.insert(d["field"].get<std::string>());
    }
  }
  return out;
}

class VenuesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json user;
    admin_ = server_.Login("admin", kPassword, &user);
    ASSERT_FALSE(admin_.empty());
    city_ = user["region"].get<std::string>();
    json list = Json(server_.Client().Get("/api/v1/people?limit=4", Bearer(admin_)));
    ASSERT_GE(list["items"].size(), 4U);
    for (const auto& p : list["items"]) {
      ids_.push_back(p["id"].get<std::int64_t>());
      numbers_.push_back(Revealed(server_, admin_, p["id"].get<std::int64_t>(), "id_number"));
    }
    server_.AddUser("epi", "epidemiologist", city_);
    epi_ = server_.Login("epi");
    ASSERT_FALSE(epi_.empty());
  }

  void PostCheckins(const std::string& body) {
    auto res =
        server_.Client().Post("/api/v1/checkins", Bearer(admin_), body, "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }

  json Get(const std::string& path, const std::string& token, int* status) {
    auto res = server_.Client().Get(path, Bearer(token));
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  json Patch(const std::string& code, const std::string& body, const std::string& token,
             int* status) {
    auto res =
        server_.Client().Patch("/api/v1/venues/" + code, Bearer(token), body, "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  json Contacts(const std::string& id_number, std::int64_t from, std::int64_t to) {
    auto res = server_.Client().Post(
        "/api/v1/trace/contacts", Bearer(epi_),
        json{{"id_number", id_number}, {"from", from}, {"to", to}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  std::string VenueRow(const std::string& code) const {
    return Trim(
        server_.Sql("SELECT name || '|' || type || '|' || needs_review FROM venues "
                    "WHERE code = '" +
                    code + "'"));
  }

  CordonServer server_;
  std::string admin_;
  std::string epi_;
  std::string city_;
  std::vector<std::int64_t> ids_;
  std::vector<std::string> numbers_;
};

TEST_F(VenuesApiTest, ANewCodeWaitsForReviewAndItsTypeDecidesTheNextSearchsWindow) {
  const std::int64_t t = QuietHour();
  // 1 is 100 s from the index person at the new code, 2 is 400 s: both close contacts under the
  // default window (±1800 s); at a station (±300 s, companions only) 1 is a companion and 2 none.
  PostCheckins(Line(numbers_[0], "TEST-V1", t) + Line(numbers_[1], "TEST-V1", t + 100) +
               Line(numbers_[2], "TEST-V1", t + 400));

  int status = 0;
  json page = Get("/api/v1/venues?needs_review=true", epi_, &status);
  ASSERT_EQ(status, 200) << page.dump();
  const json* v = FindVenue(page["items"], "TEST-V1");
  ASSERT_NE(v, nullptr) << page.dump();
  EXPECT_EQ((*v)["type"], "unknown");
  EXPECT_EQ((*v)["needs_review"], true);
  EXPECT_EQ((*v)["checkins"], 3);
  EXPECT_GE(page["counts"]["needs_review"].get<int>(), 1);
  EXPECT_TRUE(page["next"].is_null());
  // A part of the code, in any case of its letters.
  page = Get("/api/v1/venues?needs_review=false&q=test-v", epi_, &status);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(page["items"].size(), 1U) << page.dump();
  EXPECT_EQ(page["items"][0]["code"], "TEST-V1");

  // The types offered, with their windows.
  json types = Get("/api/v1/venue-types", epi_, &status);
  ASSERT_EQ(status, 200) << types.dump();
  bool transit = false;
  for (const auto& x : types["items"]) {
    if (x["type"] == "transit") {
      transit = true;
      EXPECT_EQ(x["window_seconds"], 300);
      EXPECT_EQ(x["companion_only"], true);
    }
  }
  EXPECT_TRUE(transit) << types.dump();
  EXPECT_EQ(types["items"].back()["type"], "unknown");

  // Before: both are close contacts.
  json before = Contacts(numbers_[0], t - 60, t + 60);
  EXPECT_NE(FindPerson(before["contacts"], ids_[1]), nullptr) << before.dump();
  EXPECT_NE(FindPerson(before["contacts"], ids_[2]), nullptr) << before.dump();

  // Roles: a grid worker neither reads nor edits; the command centre reads but does not edit.
  server_.AddUser(
      "g1", "grid_worker",
      Trim(server_.Sql("SELECT region_code FROM people WHERE id = " + std::to_string(ids_[0]))));
  const std::string grid = server_.Login("g1");
  Get("/api/v1/venues", grid, &status);
  EXPECT_EQ(status, 403);
  Get("/api/v1/venue-types", grid, &status);
  EXPECT_EQ(status, 403);
  Patch("TEST-V1", R"({"type":"transit"})", grid, &status);
  EXPECT_EQ(status, 403);
  const std::string commander = server_.Login("commander");
  Get("/api/v1/venues", commander, &status);
  EXPECT_EQ(status, 200);
  Patch("TEST-V1", R"({"type":"transit"})", commander, &status);
  EXPECT_EQ(status, 403);
  EXPECT_EQ(VenueRow("TEST-V1"), "待核实场所 TEST-V1|unknown|1");

  // The epidemiologist names it and makes it a station.
  json saved =
      Patch("TEST-V1", R"({"name":"  地铁 1 号线测试站 ","type":"transit"})", epi_, &status);
  ASSERT_EQ(status, 200) << saved.dump();
  EXPECT_EQ(saved["code"], "TEST-V1");
  EXPECT_EQ(saved["name"], "地铁 1 号线测试站");
  EXPECT_EQ(saved["type"], "transit");
  EXPECT_EQ(saved["needs_review"], false);
  EXPECT_EQ(saved["checkins"], 3);
  EXPECT_EQ(VenueRow("TEST-V1"), "地铁 1 号线测试站|transit|0");
  EXPECT_EQ(server_.AuditSql("SELECT actor || '|' || object_type || '|' || fields FROM audit "
                             "WHERE action = 'venues.update' AND object_id = 'TEST-V1'"),
            "epi|venue|name,type,needs_review\n");

  // The very next search: 1 is a companion (degree 0), 2 is outside the station's ±300 s.
  json after = Contacts(numbers_[0], t - 60, t + 60);
  EXPECT_EQ(FindPerson(after["contacts"], ids_[1]), nullptr) << after.dump();
  const json* companion = FindPerson(after["companions"], ids_[1]);
  ASSERT_NE(companion, nullptr) << after.dump();
  EXPECT_EQ((*companion)["degree"], 0);
  EXPECT_EQ((*companion)["evidence"][0]["venue_name"], "地铁 1 号线测试站");
  EXPECT_EQ(FindPerson(after["contacts"], ids_[2]), nullptr);
  EXPECT_EQ(FindPerson(after["companions"], ids_[2]), nullptr);

  // It has left the inbox, and is still among all venues.
  page = Get("/api/v1/venues?needs_review=true&q=TEST-V1", epi_, &status);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(FindVenue(page["items"], "TEST-V1"), nullptr) << page.dump();
  page = Get("/api/v1/venues?needs_review=false&q=TEST-V1", epi_, &status);
  ASSERT_EQ(status, 200);
  ASSERT_NE(FindVenue(page["items"], "TEST-V1"), nullptr) << page.dump();

  // Back to a restaurant's window: 2 is a close contact again.
  Patch("TEST-V1", R"({"type":"restaurant"})", epi_, &status);
  ASSERT_EQ(status, 200);
  after = Contacts(numbers_[0], t - 60, t + 60);
  EXPECT_NE(FindPerson(after["contacts"], ids_[2]), nullptr) << after.dump();
}

TEST_F(VenuesApiTest, BadInputIsNamedAndNothingIsHalfWritten) {
  const std::int64_t t = QuietHour();
  PostCheckins(Line(numbers_[0], "TEST-B1", t));
  const std::string untouched = "待核实场所 TEST-B1|unknown|1";
  int status = 0;
  // 101 characters of three bytes each: over the limit in characters, not in bytes.
  std::string long_name;
  for (int i = 0; i < 101; ++i) {
    long_name += "场";
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"type":"spaceship"})", "type"},
      {R"({"type":""})", "type"},
      {R"({"name":""})", "name"},
      {R"({"name":"   "})", "name"},
      {json{{"name", long_name}}.dump(), "name"},
      {R"({"name":"好名字","type":"spaceship"})", "type"},
      {R"({"name":"","type":"transit"})", "name"},
      {R"({"reviewed":"yes"})", "reviewed"},
      {R"({"name":42})", "name"},
      {R"({"colour":"red"})", "colour"},
  };
  for (const auto& [text, field] : bad) {
    json answer = Patch("TEST-B1", text, epi_, &status);
    EXPECT_EQ(status, 400) << text << " " << answer.dump();
    EXPECT_TRUE(Fields(answer).contains(field)) << text << " " << answer.dump();
    EXPECT_EQ(VenueRow("TEST-B1"), untouched) << text;
  }
  // Exactly 100 characters is fine.
  std::string hundred;
  for (int i = 0; i < 100; ++i) {
    hundred += "站";
  }
  json saved = Patch("TEST-B1", json{{"name", hundred}, {"reviewed", false}}.dump(), epi_, &status);
  ASSERT_EQ(status, 200) << saved.dump();
  EXPECT_EQ(saved["needs_review"], true) << "reviewed: false keeps it in the inbox";
  EXPECT_EQ(VenueRow("TEST-B1"), hundred + "|unknown|1");
  // Marked reviewed without changing anything else.
  saved = Patch("TEST-B1", R"({"reviewed":true})", epi_, &status);
  ASSERT_EQ(status, 200) << saved.dump();
  EXPECT_EQ(VenueRow("TEST-B1"), hundred + "|unknown|0");

  // Nothing to change, not JSON.
  Patch("TEST-B1", "{}", epi_, &status);
  EXPECT_EQ(status, 400);
  Patch("TEST-B1", "not json", epi_, &status);
  EXPECT_EQ(status, 400);
  // Unknown codes, and codes that could never exist.
  json answer = Patch("TEST-NOPE", R"({"type":"transit"})", epi_, &status);
  EXPECT_EQ(status, 404) << answer.dump();
  Patch("bad%20code%21", R"({"type":"transit"})", epi_, &status);
  EXPECT_EQ(status, 404);
  // Query parameters.
  answer = Get("/api/v1/venues?needs_review=maybe", epi_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_TRUE(Fields(answer).contains("needs_review")) << answer.dump();
  answer = Get("/api/v1/venues?limit=0", epi_, &status);
  EXPECT_EQ(status, 400);
  EXPECT_TRUE(Fields(answer).contains("limit")) << answer.dump();
  answer = Get("/api/v1/venues?after=x", epi_, &status);
  EXPECT_EQ(status, 400);
  // LIKE's own characters are plain text in q.
  answer = Get("/api/v1/venues?needs_review=false&q=%25", epi_, &status);
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(answer["items"].empty()) << answer.dump();
}

TEST_F(VenuesApiTest, TheInboxIsPagedByVenueNumber) {
  const std::int64_t t = QuietHour();
  std::string body;
  for (int i = 1; i <= 5; ++i) {
    body += Line(numbers_[0], "TEST-P" + std::to_string(i), t + i);
  }
  PostCheckins(body);
  std::vector<std::string> seen;
  std::string after;
  for (int round = 0; round < 5; ++round) {
    int status = 0;
    json page =
        Get("/api/v1/venues?limit=2" + (after.empty() ? "" : "&after=" + after), epi_, &status);
    ASSERT_EQ(status, 200) << page.dump();
    EXPECT_EQ(page["counts"]["needs_review"], 5);
    for (const auto& v : page["items"]) {
      seen.push_back(v["code"].get<std::string>());
    }
    if (page["next"].is_null()) {
      break;
    }
    after = page["next"].get<std::string>();
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"TEST-P1", "TEST-P2", "TEST-P3", "TEST-P4", "TEST-P5"}));
}

}  // namespace
}  // namespace cordon::testing
