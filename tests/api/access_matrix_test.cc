// The access matrix, record by record (security.md A1, A2, A7): for each caller along one grid's
// chain (grid worker, then an epidemiologist at the community, street and district) and for
// callers elsewhere (a region off that chain, city-wide), every person-level list is read to its
// last page and must hold exactly the records the city-wide administrator sees there whose region
// lies in the caller's subtree: not one more, not one fewer. The administrator's own list is
// held to the database's count, so the reference itself is checked.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

struct Listing {
  const char* path;   // a GET list with keyset paging (after, next)
  const char* key;    // the array of records in its answer
  const char* table;  // where the records are, for the administrator's count
};

constexpr Listing kListings[] = {
    {"/api/v1/people", "items", "people"},
    {"/api/v1/measures", "items", "measures"},
    {"/api/v1/cases", "cases", "cases"},
    {"/api/v1/tasks", "items", "tasks"},
};

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    std::istringstream rows(server_.Sql("SELECT code, path FROM regions"));
    std::string line;
    while (std::getline(rows, line)) {
      const auto bar = line.find('|');
      if (bar != std::string::npos) {
        paths_[line.substr(0, bar)] = line.substr(bar + 1);
      }
    }
    ASSERT_GE(paths_.size(), 6u);
  }

  static std::string RegionOf(const json& item) {
    const json& r = item.at("region");
    return r.is_string() ? r.get<std::string>() : r.at("code").get<std::string>();
  }

  // Every record of a listing as `token` sees it: id -> region code, all pages.
  std::map<std::int64_t, std::string> ReadAll(const Listing& l, const std::string& token) {
    std::map<std::int64_t, std::string> out;
    std::string after;
    for (int page = 0; page < 1000; ++page) {
      std::string path = std::string(l.path) + "?limit=200";
      if (!after.empty()) {
        path += "&after=" + after;
      }
      auto res = server_.Client().Get(path, Bearer(token));
      EXPECT_TRUE(res && res->status == 200) << l.path << ": " << (res ? res->body : "no answer");
      if (!res || res->status != 200) {
        return out;
      }
      json body = json::parse(res->body);
      for (const auto& item : body.at(l.key)) {
        const auto [at, fresh] = out.emplace(item.at("id").get<std::int64_t>(), RegionOf(item));
        EXPECT_TRUE(fresh) << l.path << ": record " << at->first << " on two pages";
      }
      if (body.at("next").is_null()) {
        return out;
      }
      after = httplib::detail::encode_query_param(body.at("next").get<std::string>());
    }
    ADD_FAILURE() << l.path << ": more than 1000 pages";
    return out;
  }

  // The grid of the first measure (the demo city puts some people under measures), else of the
  // first person.
  std::string ChosenGrid() {
    for (const char* sql : {"SELECT region_code FROM measures ORDER BY id LIMIT 1",
                            "SELECT region_code FROM people WHERE region_code IS NOT NULL "
                            "ORDER BY id LIMIT 1"}) {
      std::string grid = server_.Sql(sql);
      while (!grid.empty() && grid.back() == '\n') {
        grid.pop_back();
      }
      if (paths_.contains(grid)) {
        return grid;
      }
    }
    return "";
  }

  // Records in both grids, three people each: a measure and a case for each person, and a list
  // of leads naming them (a screening task each), so that every listing has something to leak.
  void PlaceRecords(const std::vector<std::string>& grids) {
    auto client = server_.Client();
    const auto people = ReadAll(kListings[0], admin_);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::string csv = "姓名,身份证号,人员类别\n";
    for (const std::string& grid : grids) {
      int placed = 0;
      for (const auto& [id, region] : people) {
        if (region != grid || placed == 3) {
          continue;
        }
        ++placed;
        const std::string person = std::to_string(id);
        auto m =
            client.Post("/api/v1/people/" + person + "/measures", Bearer(admin_),
                        json{{"category", "secondary_contact"}, {"start_date", DaysAgo(2)}}.dump(),
                        "application/json");
        ASSERT_TRUE(m && m->status == 201) << (m ? m->body : "no answer");
        auto c = client.Post(
            "/api/v1/cases", Bearer(admin_),
            json{{"person_id", id}, {"classification", "confirmed"}, {"positive_at", now - 3600}}
                .dump(),
            "application/json");
        ASSERT_TRUE(c && c->status == 201) << (c ? c->body : "no answer");
        csv +=
            "测试" + person + "," + Revealed(server_, admin_, id, "id_number") + ",高风险区来返\n";
      }
      ASSERT_EQ(placed, 3) << "three people in " << grid;
    }
    auto imported = client.Post("/api/v1/leads/import?source=assist_notice&file_name=matrix.csv",
                                Bearer(admin_), csv, "text/csv");
    ASSERT_TRUE(imported && imported->status == 200) << (imported ? imported->body : "no answer");
  }

  CordonServer server_;
  std::string admin_;
  std::map<std::string, std::string> paths_;  // region code -> "/root/…/code/"
};

TEST_F(AccessMatrixTest, EachCallerSeesExactlyTheRecordsOfTheirSubtree) {
  const std::string grid = ChosenGrid();
  ASSERT_TRUE(paths_.contains(grid)) << grid;
  // The grid's chain, from the grid up to the district (the path's segments after the city).
  std::vector<std::string> chain;
  {
    std::istringstream segments(paths_[grid]);
    std::string code;
    while (std::getline(segments, code, '/')) {
      if (!code.empty()) {
        chain.insert(chain.begin(), code);
      }
    }
  }
  ASSERT_GE(chain.size(), 5u) << paths_[grid];
  const std::string root = chain.back();
  // A caller elsewhere: the deepest region off the grid's chain.
  std::string elsewhere;
  for (const auto& [code, path] : paths_) {
    if (std::find(chain.begin(), chain.end(), code) == chain.end() &&
        (elsewhere.empty() || path.size() > paths_[elsewhere].size())) {
      elsewhere = code;
    }
  }
  ASSERT_FALSE(elsewhere.empty());

  PlaceRecords({grid, elsewhere});
  if (HasFatalFailure()) {
    return;
  }

  struct Caller {
    std::string username, role, region, token;
  };
  std::vector<Caller> callers;
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    callers.push_back(
        {"m_l" + std::to_string(i), i == 0 ? "grid_worker" : "epidemiologist", chain[i], ""});
  }
  callers.push_back({"m_other", "epidemiologist", elsewhere, ""});
  callers.push_back({"m_commander", "commander", root, ""});
  for (Caller& c : callers) {
    server_.AddUser(c.username, c.role, c.region);
    c.token = server_.Login(c.username);
    ASSERT_FALSE(c.token.empty()) << c.username;
  }

  for (const Listing& l : kListings) {
    const auto everything = ReadAll(l, admin_);
    // The reference holds: the administrator's list is every record of the table that has a
    // region (merged files and records without a place belong to nobody's list).
    const std::string placed = server_.Sql(std::string("SELECT COUNT(*) FROM ") + l.table +
                                           " WHERE region_path IS NOT NULL");
    if (std::string(l.table) == "people") {
      EXPECT_EQ(std::to_string(everything.size()) + "\n", placed) << l.path;
    }
    EXPECT_FALSE(everything.empty()) << l.path << ": nothing to leak, the test proves nothing";
    std::string seen_counts;
    for (const Caller& c : callers) {
      const std::string& subtree = paths_[c.region];
      std::set<std::int64_t> expected;
      for (const auto& [id, region] : everything) {
        ASSERT_TRUE(paths_.contains(region)) << l.path << " record " << id << ": " << region;
        if (paths_[region].starts_with(subtree)) {
          expected.insert(id);
        }
      }
      std::set<std::int64_t> seen;
      for (const auto& [id, region] : ReadAll(l, c.token)) {
        seen.insert(id);
      }
      seen_counts += " " + c.role + "@" + c.region + "=" + std::to_string(seen.size());
      std::vector<std::int64_t> extra, missing;
      std::set_difference(seen.begin(), seen.end(), expected.begin(), expected.end(),
                          std::back_inserter(extra));
      std::set_difference(expected.begin(), expected.end(), seen.begin(), seen.end(),
                          std::back_inserter(missing));
      EXPECT_TRUE(extra.empty()) << l.path << " for " << c.role << " at " << c.region << ": "
                                 << extra.size() << " records outside, e.g. " << extra.front();
      EXPECT_TRUE(missing.empty()) << l.path << " for " << c.role << " at " << c.region << ": "
                                   << missing.size() << " records of the subtree missing";
    }
    std::cout << "[ matrix ] " << l.path << ": " << everything.size() << " records;" << seen_counts
              << std::endl;
  }
}

}  // namespace
}  // namespace cordon::testing
