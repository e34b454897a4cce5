// Counts by category and measure per region at any level of the tree (issue #3, "Views"):
// exact, grouped by the child that holds them, drilled down to a grid, scoped.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class SummaryApiTest : public ::testing::Test {
 protected:
  void SetUp() override { admin_ = server_.Login("admin"); }

  json Get(const std::string& path, int* status, const std::string& token = "") {
    auto res = server_.Client().Get(path, Bearer(token.empty() ? admin_ : token));
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  json Post(const std::string& path, const json& body) {
    auto res = server_.Client().Post(path, Bearer(admin_), body.dump(), "application/json");
    EXPECT_TRUE(res && res->status < 300) << (res ? res->body : "no answer");
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  // The child entry of a summary whose code is a prefix of `grid`.
  static const json* ChildHolding(const json& summary, const std::string& grid) {
    for (const auto& c : summary["children"]) {
      if (grid.starts_with(c["code"].get<std::string>())) {
        return &c;
      }
    }
    return nullptr;
  }

  CordonServer server_;
  std::string admin_;
};

TEST_F(SummaryApiTest, MeasuresAndTasksAreCountedPerChildDownToTheGrid) {
  // Three people in two grids: two secondary contacts and a close contact under measures.
  json page = Json(server_.Client().Get("/api/v1/people?limit=200", Bearer(admin_)));
  json a = page["items"][0], b = page["items"][1], c;
  for (const auto& p : page["items"]) {
    if (p["region"] != a["region"]) {
      c = p;
    }
  }
  if (c.is_null()) {  // a small city's first page may hold one grid: walk until it changes
    std::string after = page["next"];
    while (c.is_null()) {
      json more =
          Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
      for (const auto& p : more["items"]) {
        if (p["region"] != a["region"]) {
          c = p;
        }
      }
      ASSERT_FALSE(more["next"].is_null());
      after = more["next"];
    }
  }
  ASSERT_EQ(a["region"], b["region"]);
  for (const auto& [p, category] :
       {std::pair{a, "secondary_contact"}, std::pair{b, "secondary_contact"},
        std::pair{c, "close_contact"}}) {
    Post("/api/v1/people/" + std::to_string(p["id"].get<std::int64_t>()) + "/measures",
         {{"category", category}});
  }

  int status = 0;
  json city = Get("/api/v1/measures/summary", &status);
  ASSERT_EQ(status, 200) << city.dump();
  EXPECT_EQ(city["region"]["level"], 1);
  EXPECT_EQ(city["totals"]["total"], 3);
  EXPECT_EQ(city["totals"]["by_measure"]["home_quarantine"], 2);
  EXPECT_EQ(city["totals"]["by_category"]["close_contact"], 1);
  EXPECT_TRUE(city["unassigned"].is_null());
  std::int64_t sum = 0;
  for (const auto& child : city["children"]) {
    EXPECT_EQ(child["level"], 2);
    sum += child["total"].get<std::int64_t>();
  }
  EXPECT_EQ(sum, 3);  // every measure in exactly one district
  const json* district = ChildHolding(city, a["region"]);
  ASSERT_NE(district, nullptr);
  EXPECT_GE((*district)["by_category"]["secondary_contact"].get<int>(), 2);

  // Down to the grid: no children; the grid's own totals.
  json grid = Get("/api/v1/measures/summary?region=" + a["region"].get<std::string>(), &status);
  ASSERT_EQ(status, 200) << grid.dump();
  EXPECT_EQ(grid["region"]["level"], 5);
  EXPECT_TRUE(grid["children"].empty());
  EXPECT_EQ(grid["totals"]["by_category"]["secondary_contact"], 2);

  // Tasks: an imported list of the same three and an unknown ID with no grid.
  json ra = Json(server_.Client().Post(
      "/api/v1/people/" + std::to_string(a["id"].get<std::int64_t>()) + "/reveal", Bearer(admin_),
      json{{"fields", {"id_number", "name"}}, {"reason", "统计测试"}}.dump(), "application/json"));
  auto res = server_.Client().Post(
      "/api/v1/leads/import?source=assist_notice&file_name=s.csv", Bearer(admin_),
      "姓名,身份证号,人员类别\n" + ra["name"].get<std::string>() + "," +
          ra["id_number"].get<std::string>() + ",密接\n新来者,11010519491231002X,高风险区来返\n",
      "text/csv");
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "");
  json tasks = Get("/api/v1/tasks/summary", &status);
  ASSERT_EQ(status, 200) << tasks.dump();
  EXPECT_EQ(tasks["totals"]["open"], 2);
  EXPECT_EQ(tasks["totals"]["by_category"]["close_contact"], 1);
  // The unknown address waits at the importer's own level (待分配).
  ASSERT_FALSE(tasks["unassigned"].is_null()) << tasks.dump();
  EXPECT_EQ(tasks["unassigned"]["unrouted"], 1);
  EXPECT_EQ(tasks["unassigned"]["by_category"]["high_risk_area"], 1);
}

TEST_F(SummaryApiTest, AGridWorkerCountsOnlyTheirGridAndOutsideIsNotFound) {
  json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
  const std::string grid = first["items"][0]["region"];
  server_.AddUser("g1", "grid_worker", grid);
  const std::string worker = server_.Login("g1");
  int status = 0;
  json mine = Get("/api/v1/measures/summary", &status, worker);
  ASSERT_EQ(status, 200) << mine.dump();
  EXPECT_EQ(mine["region"]["code"], grid);
  json city = Get("/api/v1/measures/summary", &status);
  Get("/api/v1/measures/summary?region=" + city["region"]["code"].get<std::string>(), &status,
      worker);
  EXPECT_EQ(status, 404);
  Get("/api/v1/tasks/summary?region=12ab", &status, worker);
  EXPECT_EQ(status, 400);
  Get("/api/v1/measures/summary", &status, server_.Login("auditor"));
  EXPECT_EQ(status, 403);
}

}  // namespace
}  // namespace cordon::testing
