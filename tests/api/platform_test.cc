// The server as a whole: health, metrics, the OpenAPI document, headers, logs, shutdown, audit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

TEST(PlatformApiTest, HealthReadinessAndMetrics) {
  CordonServer server;
  auto client = server.Client();
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  EXPECT_EQ(client.Get("/readyz")->status, 200);
  client.Get("/api/v1/people");  // a 401, counted
  // A request is counted once its answer has been written, so the count may trail the answer.
  std::string metrics;
  for (int i = 0; i < 50; ++i) {
    auto res = client.Get("/metrics");
    ASSERT_TRUE(res);
    metrics = res->body;
    if (metrics.find("route=\"/api/v1/people\"") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(
      metrics.find(
          "cordon_http_requests_total{method=\"GET\",route=\"/api/v1/people\",status=\"401\"} 1"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("cordon_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.find("\ncordon_db_busy_total 0\n"), std::string::npos) << metrics;  // H8
}

TEST(PlatformApiTest, EveryResponseHasARequestIdAndSecurityHeaders) {
  CordonServer server;
  auto client = server.Client();
  std::set<std::string> ids;
  for (const char* path :
       {"/healthz", "/api/v1/people", "/api/v1/nowhere", "/api/v1/openapi.json"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    std::string id = res->get_header_value("X-Request-Id");
    EXPECT_EQ(id.size(), 16u) << path;
    ids.insert(id);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_FALSE(res->get_header_value("Content-Security-Policy").empty()) << path;
  }
  EXPECT_EQ(ids.size(), 4u);
  auto unknown = client.Get("/api/v1/nowhere");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"]["code"], "not_found");
}

TEST(PlatformApiTest, OpenApiDocumentListsExactlyTheServedRoutes) {
  CordonServer server;
  auto res = server.Client().Get("/api/v1/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json doc = json::parse(res->body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> documented;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string upper = method;
      for (auto& c : upper) {
        c = static_cast<char>(std::toupper(c));
      }
      upper += " ";
      upper += path;
      documented.insert(upper);
      EXPECT_TRUE(op.contains("summary")) << method << " " << path;
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
    }
  }
  std::string out;
  ASSERT_EQ(server.Run("routes", "", &out), 0);
  std::set<std::string> served;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      served.insert(line);
    }
  }
  EXPECT_EQ(documented, served);
}

TEST(PlatformApiTest, LogsHoldOneLinePerRequestAndNoIdentifiers) {
  CordonServer server;
  std::string admin = server.Login("admin");
  auto client = server.Client();
  json page = Json(client.Get("/api/v1/people?limit=3", Bearer(admin)));
  std::vector<std::string> secrets;
  for (const auto& p : page["items"]) {
    json r = Json(client.Post(
        "/api/v1/people/" + std::to_string(p["id"].get<std::int64_t>()) + "/reveal", Bearer(admin),
        json{{"fields", {"id_number", "phone", "name"}}, {"reason", "日志检查测试"}}.dump(),
        "application/json"));
    secrets.push_back(r["id_number"]);
    if (!r["phone"].get<std::string>().empty()) {
      secrets.push_back(r["phone"]);
    }
    // Searching by them puts them only in POST bodies.
    client.Post("/api/v1/people/search", Bearer(admin), json{{"q", r["id_number"]}}.dump(),
                "application/json");
  }
  // A name with a forged log line inside stays one record in the log and in the audit trail.
  json grid = page["items"][0]["region"];
  client.Post("/api/v1/people", Bearer(admin),
              json{{"id_number", "11010519491231002X"},
                   {"name", "张三\n[FAKE] admin login ok"},
                   {"region", grid}}
                  .dump(),
              "application/json");
  client.Get("/api/v1/people/1%0a[FAKE]%20line", Bearer(admin));
  EXPECT_EQ(server.Stop(), 0);
  std::string log = server.log();
  for (const auto& s : secrets) {
    EXPECT_EQ(log.find(s), std::string::npos) << "log leaks " << s;
  }
  EXPECT_EQ(log.find("\n[FAKE]"), std::string::npos);
  std::string audit = server.Sql(
      "SELECT COUNT(*) FROM audit WHERE reason LIKE '%FAKE%' OR object_id LIKE "
      "'%FAKE%' OR fields LIKE '%FAKE%'");
  EXPECT_EQ(audit, "0\n");
  std::regex access(R"(access id=[0-9a-f]{16} )");
  auto begin = std::sregex_iterator(log.begin(), log.end(), access);
  EXPECT_GE(std::distance(begin, std::sregex_iterator()), 8);
}

TEST(PlatformApiTest, ServesTheWebUiWithGzipAndAnAppFallback) {
  char tmpl[] = "/tmp/cordon-web-XXXXXX";
  std::string web = ::mkdtemp(tmpl);
  std::filesystem::create_directories(web + "/assets");
  std::ofstream(web + "/index.html") << "<!doctype html><title>疫情防控指挥平台</title>";
  std::string script;
  for (int i = 0; i < 2000; ++i) {
    script += "console.log('cordon " + std::to_string(i % 7) + "');\n";
  }
  std::ofstream(web + "/assets/app-abc123.js") << script;
  CordonServer server(3000, web);
  auto client = server.Client();
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("疫情防控指挥平台"), std::string::npos);
  auto page = client.Get("/people/12");  // a page of the app: the app answers it
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, index->body);
  auto raw = client.Get("/assets/app-abc123.js");
  EXPECT_EQ(raw->body, script);
  EXPECT_NE(raw->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  httplib::Client gz("127.0.0.1", server.port());
  gz.set_decompress(false);
  auto zipped = gz.Get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(zipped->body.size(), script.size() / 4);
  EXPECT_EQ(client.Get("/assets/missing-1.js")->status, 404);
  EXPECT_EQ(client.Get("/api/v1/missing")->status, 404);
  std::filesystem::remove_all(web);
}

TEST(PlatformApiTest, SigtermStopsGracefully) {
  CordonServer server;
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_NE(server.log().find("stopped"), std::string::npos);
}

TEST(PlatformApiTest, AuditChainVerifiesAndATamperedRowIsFound) {
  CordonServer server;
  std::string admin = server.Login("admin");
  auto client = server.Client();
  client.Get("/api/v1/people?limit=5", Bearer(admin));
  client.Get("/api/v1/people/1", Bearer(admin));
  server.Stop();
  std::string out;
  EXPECT_EQ(server.Run("audit verify", "", &out), 0) << out;
  EXPECT_NE(out.find("intact"), std::string::npos);
  // The app cannot change the trail: the triggers refuse it.
  EXPECT_NE(server.Sql("UPDATE audit SET reason = 'x' WHERE id = 3").find("append-only"),
            std::string::npos);
  EXPECT_NE(server.Sql("DELETE FROM audit WHERE id = 3").find("append-only"), std::string::npos);
  if (server.backend() == "postgresql") {  // SQLite has no TRUNCATE
    EXPECT_NE(server.Sql("TRUNCATE audit").find("append-only"), std::string::npos);
  }
  // Someone with the file and a sqlite3 shell (or the database owner's psql) can, but verify
  // finds the row.
  server.Sql(server.backend() == "sqlite" ? "DROP TRIGGER audit_no_update"
                                          : "DROP TRIGGER audit_no_update ON audit");
  server.Sql("UPDATE audit SET outcome = 'denied' WHERE id = 3");
  EXPECT_EQ(server.Run("audit verify", "", &out), 1) << out;
  EXPECT_NE(out.find("entry 3"), std::string::npos) << out;
}

TEST(PlatformApiTest, CommandsExitTwoOnBadArguments) {
  CordonServer server;
  std::string out;
  EXPECT_EQ(server.Run("serve --port notaport", "", &out), 2);
  EXPECT_EQ(server.Run("frobnicate", "", &out), 2);
  EXPECT_EQ(server.Run("migrate", "", &out), 0) << out;
}

}  // namespace
}  // namespace cordon::testing
