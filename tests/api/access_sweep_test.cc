// Every served route, called by every kind of user: the promises that must hold across the whole
// API (security.md A1, A2, B1, B4, G10, J1), checked generically so that a route is covered on
// the day it is added. The routes come from `cordon routes`, the list the OpenAPI test compares
// with the document, so nothing served escapes the sweep.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checkin_times.h"
#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

struct Route {
  std::string method;
  std::string pattern;
};

struct Caller {
  std::string username;
  std::string role;
  std::string region;  // the jurisdiction's code
  std::string token;
};

// Routes that take no request body: a body with an unknown field is ignored there, not applied.
// Every other write must refuse it (G10: no mass assignment).
const std::set<std::string>& TakesNoBody() {
  static const auto* routes = new std::set<std::string>{
      "DELETE /api/v1/session",
      "DELETE /api/v1/sessions",
      "DELETE /api/v1/users/{id}/sessions",
      "DELETE /api/v1/cases/{id}/investigation/{entry}",
      "DELETE /api/v1/exposures/{id}",
      "POST /api/v1/duplicates/scan",
      "POST /api/v1/merges/{id}/undo",
      "POST /api/v1/alerts/{id}/close",
      "POST /api/v1/services/{id}/done",
      "POST /api/v1/measures/{id}/self-report-link",
  };
  return *routes;
}

// Ending one's own sessions would cut the sweep short; session_test.cc covers these.
bool EndsTheCallersSession(const Route& r) {
  return r.pattern == "/api/v1/session" || r.pattern == "/api/v1/sessions";
}

// The one route whose answer is a whole identifier: the audited, per-record reveal.
bool RevealsByDesign(const Route& r) { return r.pattern == "/api/v1/people/{id}/reveal"; }

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// A whole resident ID number or mobile phone standing alone in the text (not part of a longer
// token, so a hash or a masked value never matches). Returns the first found, or "".
std::string WholeIdentifier(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i]) || (i > 0 && IsAlnum(text[i - 1]))) {
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && IsDigit(text[end])) {
      ++end;
    }
    std::size_t digits = end - i;
    if (digits == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) {
      ++end;
    }
    if (end < text.size() && IsAlnum(text[end])) {
      i = end;
      continue;
    }
    std::string token = text.substr(i, end - i);
    bool id_number = token.size() == 18;
    bool phone = token.size() == 11 && token[0] == '1' && token[1] >= '3' && token[1] <= '9';
    if (id_number || phone) {
      return token;
    }
    i = end;
  }
  return {};
}

// An import answers 200 with a report per line; a report that accepted nothing refused the body.
bool RefusedEveryRow(const std::string& body) {
  json report = json::parse(body, nullptr, false);
  return report.is_object() && report.value("accepted", -1) == 0 && report.contains("rejected") &&
         !report["rejected"].empty();
}

// What the whole suite shares: one server and what was learnt of its city.
struct SweepCity {
  CordonServer* server = nullptr;
  std::string admin;  // the admin's token
  std::string root;
  std::string grid;                            // the grid worker's grid
  std::string neighbour;                       // another populated grid
  std::map<std::string, std::string> paths;    // code -> "/root/…/code/"
  std::map<std::string, int> levels;           // code -> level
  std::map<std::string, std::string> parents;  // code -> parent code
  std::set<std::string> populated;
  std::vector<Route> routes;
  std::map<std::string, std::pair<std::string, bool>> items;  // list -> (an id, outside the grid)
};

SweepCity& City() {
  static auto* shared = new SweepCity;
  return *shared;
}

class AccessSweepTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    City().server = new CordonServer();
    City().admin = City().server->Login("admin");
    ASSERT_FALSE(City().admin.empty());
    json me = Json(City().server->Client().Get("/api/v1/session", Bearer(City().admin)));
    City().root = me["user"]["region"];
    WalkRegions(City().root, "/" + City().root + "/");
    ChooseGrids();
    ASSERT_FALSE(City().grid.empty())
        << "the demo city has fewer than two populated grids: " << City().paths.size()
        << " regions, " << City().populated.size() << " populated";
    ReadRoutes();
    PlaceRecords();
  }

  // Records in both grids, so that lists have something to leak and ids outside the worker's
  // grid exist for every kind the admin can list: a person, a measure and a case in each.
  static void PlaceRecords() {
    auto client = City().server->Client();
    std::map<std::string, std::int64_t> person;  // grid -> a person there
    std::string after;
    while (person.size() < 2) {
      json page = Json(client.Get("/api/v1/people?limit=200&after=" + after, Bearer(City().admin)));
      for (const auto& p : page["items"]) {
        std::string region = p["region"];
        if ((region == City().grid || region == City().neighbour) && !person.contains(region)) {
          person[region] = p["id"];
        }
      }
      ASSERT_FALSE(page["next"].is_null())
          << "no person in " << City().grid << " or " << City().neighbour;
      after = page["next"];
    }
    for (const std::string& grid : {City().grid, City().neighbour}) {
      std::string id = std::to_string(person[grid]);
      auto m =
          client.Post("/api/v1/people/" + id + "/measures", Bearer(City().admin),
                      json{{"category", "secondary_contact"}, {"start_date", DaysAgo(2)}}.dump(),
                      "application/json");
      ASSERT_TRUE(m && m->status == 201) << (m ? m->body : "no answer");
      auto c = client.Post("/api/v1/cases", Bearer(City().admin),
                           json{{"person_id", person[grid]},
                                {"classification", "confirmed"},
                                {"positive_at", UnixNow() - 3600}}
                               .dump(),
                           "application/json");
      ASSERT_TRUE(c && c->status == 201) << (c ? c->body : "no answer");
      if (grid == City().neighbour) {
        City().items["/api/v1/people"] = {id, true};
        City().items["/api/v1/measures"] = {
            std::to_string(json::parse(m->body)["id"].get<std::int64_t>()), true};
        City().items["/api/v1/cases"] = {
            std::to_string(json::parse(c->body)["id"].get<std::int64_t>()), true};
      }
    }
  }
  static void TearDownTestSuite() {
    delete City().server;
    City().server = nullptr;
  }

  static void WalkRegions(const std::string& code, const std::string& path) {
    json node = Json(City().server->Client().Get("/api/v1/regions/" + code, Bearer(City().admin)));
    ASSERT_TRUE(node.is_object()) << code;
    City().paths[code] = path;
    City().levels[code] = node["level"];
    for (const auto& child : node["children"]) {
      std::string c = child["code"];
      City().parents[c] = code;
      if (child["population"].get<std::int64_t>() > 0) {
        City().populated.insert(c);
      }
      WalkRegions(c, path + c + "/");
    }
  }

  // Two populated grids: the worker's own and another, next door when the city has one (a small
  // test city has one grid per community).
  static void ChooseGrids() {
    int grid_level = 0;
    for (const auto& [code, level] : City().levels) {
      grid_level = std::max(grid_level, level);
    }
    std::vector<std::string> grids;
    for (const auto& [code, level] : City().levels) {
      if (level == grid_level && City().populated.contains(code)) {
        grids.push_back(code);
      }
    }
    if (grids.size() < 2) {
      return;
    }
    City().grid = grids[0];
    City().neighbour = grids[1];
    for (const std::string& other : grids) {
      if (other != City().grid && City().parents[other] == City().parents[City().grid]) {
        City().neighbour = other;
        break;
      }
    }
  }

  static void ReadRoutes() {
    std::string out;
    ASSERT_EQ(City().server->Run("routes", "", &out), 0) << out;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      auto space = line.find(' ');
      if (space != std::string::npos) {
        City().routes.push_back({line.substr(0, space), line.substr(space + 1)});
      }
    }
    ASSERT_GT(City().routes.size(), 50u);
  }

  // Everyone the sweep calls as: each level of the grid's chain, and each role city-wide.
  std::vector<Caller> Callers() {
    std::vector<Caller> callers;
    std::vector<std::string> chain;
    for (std::string c = City().grid; !c.empty();
         c = City().parents.contains(c) ? City().parents[c] : "") {
      chain.push_back(c);
    }
    int n = 0;
    for (const std::string& code : chain) {
      const char* role = n == 0 ? "grid_worker" : "epidemiologist";
      callers.push_back({"sweep_l" + std::to_string(n++), role, code, ""});
    }
    for (const char* role :
         {"commander", "site_manager", "testing", "logistics", "inspector", "auditor", "admin"}) {
      callers.push_back({std::string("sweep_") + role, role, City().root, ""});
    }
    for (Caller& c : callers) {
      City().server->AddUser(c.username, c.role, c.region);
      c.token = City().server->Login(c.username);
      EXPECT_FALSE(c.token.empty()) << c.username;
    }
    return callers;
  }

  static bool InOrAbove(const std::string& code, const std::string& jurisdiction) {
    const std::string& path = City().paths[code];
    const std::string& mine = City().paths[jurisdiction];
    return path.starts_with(mine) || mine.starts_with(path);
  }

  // Region codes anywhere in an answer lie in the caller's subtree or on the way up to it.
  static void ExpectRegionsInScope(const json& value, const Caller& who, const std::string& where) {
    if (value.is_object()) {
      for (const auto& [key, v] : value.items()) {
        if (key == "region" && v.is_object() && v.contains("code") && v["code"].is_string() &&
            City().paths.contains(v["code"].get<std::string>())) {
          EXPECT_TRUE(InOrAbove(v["code"], who.region))
              << where << " shows region " << v["code"] << " to " << who.username;
        }
        if (v.is_string() && (key == "region" || key == "region_code" || key == "grid" ||
                              key == "grid_code" || key == "parent_code")) {
          std::string code = v;
          if (City().paths.contains(code)) {
            EXPECT_TRUE(InOrAbove(code, who.region)) << where << " shows region " << code << " to "
                                                     << who.username << " of " << who.region;
          }
        } else if (v.is_string() && key == "region_path") {
          std::string p = v;
          const std::string& mine = City().paths[who.region];
          EXPECT_TRUE(p.starts_with(mine) || mine.starts_with(p)) << where << " shows " << p;
        } else {
          ExpectRegionsInScope(v, who, where);
        }
      }
    } else if (value.is_array()) {
      for (const auto& v : value) {
        ExpectRegionsInScope(v, who, where);
      }
    }
  }

  // A value for each {…} of a route: for a collection the admin can list, an item outside the
  // worker's grid (so that the worker must be refused it); else an id that does not exist.
  struct Filled {
    std::string path;
    bool outside_grid = false;  // an id the grid worker must not reach
  };
  Filled Fill(const std::string& pattern) {
    Filled out;
    std::size_t pos = 0;
    std::string collection;
    while (pos < pattern.size()) {
      auto open = pattern.find('{', pos);
      if (open == std::string::npos) {
        out.path += pattern.substr(pos);
        break;
      }
      out.path += pattern.substr(pos, open - pos);
      auto close = pattern.find('}', open);
      std::string name = pattern.substr(open + 1, close - open - 1);
      std::string before = pattern.substr(0, open - 1);
      collection = before.substr(before.rfind('/') + 1);
      std::string value = "999999";
      if (name == "code" && collection == "regions") {
        value = City().neighbour;
        out.outside_grid = true;
      } else if (name == "id" || name == "code") {
        auto [id, outside] = OutsideItem(before);
        if (!id.empty()) {
          value = id;
          out.outside_grid = outside;
        }
      }
      out.path += value;
      pos = close + 1;
    }
    return out;
  }

  static std::string RegionOf(const json& item) {
    if (!item.contains("region")) {
      return {};
    }
    const json& r = item["region"];
    if (r.is_string()) {
      return r;
    }
    return r.is_object() && r.contains("code") && r["code"].is_string() ? r["code"] : json("");
  }

  // The admin's list at `list_path`: an item whose region is outside the worker's grid.
  std::pair<std::string, bool> OutsideItem(const std::string& list_path) {
    if (auto it = City().items.find(list_path); it != City().items.end()) {
      return it->second;
    }
    std::pair<std::string, bool> found{"", false};
    auto res = City().server->Client().Get(list_path + "?limit=200", Bearer(City().admin));
    json page = res && res->status == 200 ? json::parse(res->body, nullptr, false) : json();
    const json* list = nullptr;
    for (const char* name : {"items", "cases", "clusters"}) {
      if (page.is_object() && page.contains(name) && page[name].is_array()) {
        list = &page[name];
      }
    }
    if (list != nullptr) {
      for (const auto& item : *list) {
        json key = item.contains("id") ? item["id"] : item.value("code", json());
        if (key.is_null()) {
          continue;
        }
        std::string id = key.is_string() ? key.get<std::string>() : key.dump();
        std::string region = RegionOf(item);
        if (City().paths.contains(region) &&
            !City().paths[region].starts_with(City().paths[City().grid])) {
          found = {id, true};
          break;
        }
        if (found.first.empty()) {
          found = {id, false};
        }
      }
    }
    City().items[list_path] = found;
    return found;
  }
};

void ExpectSecurityHeaders(const httplib::Response& res, const std::string& where) {
  EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff") << where;
  EXPECT_EQ(res.get_header_value("X-Frame-Options"), "DENY") << where;
  EXPECT_EQ(res.get_header_value("Referrer-Policy"), "no-referrer") << where;
  EXPECT_NE(res.get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos)
      << where;
  EXPECT_EQ(res.get_header_value("Strict-Transport-Security"), "max-age=31536000") << where;
  EXPECT_EQ(res.get_header_value("Cache-Control"), "no-store") << where;
  // No version banner to help an attacker pick an exploit.
  EXPECT_EQ(res.get_header_value("Server"), "cordon") << where;
  EXPECT_FALSE(res.has_header("X-Powered-By")) << where;
}

TEST_F(AccessSweepTest, EveryRouteForEveryCallerKeepsScopeMaskingAndHeaders) {
  std::vector<Caller> callers = Callers();
  callers.push_back({"(nobody)", "", "", ""});
  auto client = City().server->Client();
  int answered = 0;
  int refused_outside = 0;
  for (const Route& route : City().routes) {
    if (EndsTheCallersSession(route) && route.method == "DELETE") {
      continue;
    }
    std::string key = route.method + " " + route.pattern;
    Filled filled = Fill(route.pattern);
    for (const Caller& who : callers) {
      std::string where = key + " as " + who.username + " (" + filled.path + ")";
      httplib::Headers headers;
      if (!who.token.empty()) {
        headers = Bearer(who.token);
      }
      // Writes carry a field no route knows: it must be refused by name, never applied.
      const std::string body = R"({"sweep_unknown_field": 1})";
      auto send = [&]() -> httplib::Result {
        if (route.method == "GET") {
          return client.Get(filled.path, headers);
        }
        if (route.method == "POST") {
          return client.Post(filled.path, headers, body, "application/json");
        }
        if (route.method == "PATCH") {
          return client.Patch(filled.path, headers, body, "application/json");
        }
        if (route.method == "PUT") {
          return client.Put(filled.path, headers, body, "application/json");
        }
        return client.Delete(filled.path, headers);
      };
      ASSERT_TRUE(route.method == "GET" || route.method == "POST" || route.method == "PATCH" ||
                  route.method == "PUT" || route.method == "DELETE")
          << "a method the sweep does not know: " << where;
      httplib::Result res = send();
      ASSERT_TRUE(res) << where;
      ++answered;
      EXPECT_LT(res->status, 500) << where << ": " << res->body.substr(0, 300);
      ExpectSecurityHeaders(*res, where);
      if (!RevealsByDesign(route)) {
        EXPECT_EQ(WholeIdentifier(res->body), "") << where << " answers a whole identifier";
      }
      bool is_write = route.method != "GET" && route.method != "DELETE";
      if (is_write && !TakesNoBody().contains(key) && !EndsTheCallersSession(route)) {
        EXPECT_FALSE(res->status >= 200 && res->status < 300 && !RefusedEveryRow(res->body))
            << where << " accepted an unknown field: " << res->body.substr(0, 300);
      }
      if (who.token.empty() && !route.pattern.starts_with("/api/v1/public/") &&
          route.pattern != "/api/v1/openapi.json" && route.pattern != "/api/v1/version" &&
          key != "POST /api/v1/session" && !route.pattern.starts_with("/api/v1/bootstrap")) {
        EXPECT_EQ(res->status, 401) << where;
      }
      // The first administrator's routes are public (security.md D6) and do nothing once an
      // installation has users, as this one has.
      if (route.pattern == "/api/v1/bootstrap") {
        EXPECT_TRUE(route.method == "GET" ? res->body == R"({"needed":false})" : res->status >= 400)
            << where << ": " << res->body;
      }
      if (who.role == "grid_worker" && filled.outside_grid) {
        EXPECT_TRUE(res->status == 404 || res->status == 403 || res->status == 400)
            << where << " reached a record outside the grid: " << res->status;
        refused_outside += res->status == 404 || res->status == 403 ? 1 : 0;
      }
      if (res->status == 200 && !who.region.empty() &&
          res->get_header_value("Content-Type").starts_with("application/json")) {
        json answer = json::parse(res->body, nullptr, false);
        ExpectRegionsInScope(answer, who, where);
      }
    }
  }
  // The sweep did real work: every route for every caller, and records outside the grid.
  EXPECT_EQ(answered, static_cast<int>(callers.size()) *
                          static_cast<int>(std::count_if(
                              City().routes.begin(), City().routes.end(), [](const Route& r) {
                                return !(EndsTheCallersSession(r) && r.method == "DELETE");
                              })));
  EXPECT_GE(refused_outside, 8);
}

TEST_F(AccessSweepTest, TheIdentifierScanFindsWholeValuesAndSkipsMaskedOnes) {
  EXPECT_EQ(WholeIdentifier(R"({"id_number":"11010519491231002X"})"), "11010519491231002X");
  EXPECT_EQ(WholeIdentifier(R"({"phone":"13800138000"})"), "13800138000");
  EXPECT_EQ(WholeIdentifier("张三13800138000"), "13800138000");
  EXPECT_EQ(WholeIdentifier(R"({"id_number":"110105********002X"})"), "");
  EXPECT_EQ(WholeIdentifier(R"({"phone":"138****8000"})"), "");
  EXPECT_EQ(WholeIdentifier(R"({"hash":"a13800138000f"})"), "");
  EXPECT_EQ(WholeIdentifier(R"({"at":1732000000123})"), "");  // milliseconds, 13 digits
  EXPECT_EQ(WholeIdentifier(R"({"region":"440106001001"})"), "");
}

TEST_F(AccessSweepTest, NoDebugRoutesAreServed) {
  auto client = City().server->Client();
  for (const char* path : {"/debug", "/debug/pprof", "/api/v1/debug", "/server-status"}) {
    auto res = client.Get(path, Bearer(City().admin));
    ASSERT_TRUE(res) << path;
    // The web UI answers unknown non-API paths with its page (history routing), never a debug
    // view: an API path is 404.
    if (std::string(path).starts_with("/api/")) {
      EXPECT_EQ(res->status, 404) << path;
    } else {
      EXPECT_TRUE(res->status == 404 || res->body.find("<div id=\"app\"") != std::string::npos)
          << path;
    }
  }
}

}  // namespace
}  // namespace cordon::testing
