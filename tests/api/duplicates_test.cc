// Doubtful matches over HTTP (issue #3): queued by lead imports, by files entered by hand and by
// a scan; shown side by side; merged with fields chosen per group; undone exactly; refused when
// both files are under a measure; scoped to the jurisdiction; bad input named by field.
#include <gtest/gtest.h>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class DuplicatesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
    server_.AddUser("g1", "grid_worker", grid_);
    worker_ = server_.Login("g1");
  }

  json Call(const std::string& method, const std::string& path, const json& body, int* status,
            const std::string& token = "") {
    auto client = server_.Client();
    const auto headers = Bearer(token.empty() ? admin_ : token);
    auto res = method == "GET" ? client.Get(path, headers)
                               : client.Post(path, headers, body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  static std::string Masked(const std::string& id) {
    return id.substr(0, 6) + "********" + id.substr(14);
  }

  json NewPerson(const std::string& id_number, const std::string& name, const std::string& phone,
                 const std::string& address, const std::string& region = "") {
    int status = 0;
    json made = Call("POST", "/api/v1/people",
                     {{"id_number", id_number},
                      {"name", name},
                      {"phone", phone},
                      {"address", address},
                      {"region", region.empty() ? grid_ : region}},
                     &status);
    EXPECT_EQ(status, 201) << made.dump();
    return made;
  }

  json Import(const std::string& csv, int* status) {
    auto res = server_.Client().Post("/api/v1/leads/import?source=assist_notice&file_name=dup.csv",
                                     Bearer(admin_), csv, "text/csv");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  // One value from the store, as text.
  std::string Q(const std::string& sql) {
    std::string out = server_.AuditSql(sql);
    while (!out.empty() && out.back() == '\n') {
      out.pop_back();
    }
    return out;
  }

  CordonServer server_;
  std::string admin_, worker_, grid_;
};

TEST_F(DuplicatesApiTest, ASecondFileIsQueuedMergedWithChosenFieldsAndUndoneExactly) {
  const std::string id_a = WithCheckDigit("11010519800101001");
  const std::string id_b = WithCheckDigit("11010519800110001");  // a mistyped birth day
  json a = NewPerson(id_a, "欧阳建国", "13911112222", "测试路1号1栋101室");
  json b = NewPerson(id_b, "欧阳建国", "13911112222", "测试路9号9栋909室");
  std::int64_t a_id = a["id"], b_id = b["id"];

  // The second file was kept and queued against the first.
  int status = 0;
  json list = Call("GET", "/api/v1/duplicates", {}, &status);
  ASSERT_EQ(status, 200) << list.dump();
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  json pair = list["items"][0];
  EXPECT_EQ(pair["reason"], "same_name_phone");
  EXPECT_EQ(pair["source"], "people");
  EXPECT_EQ(pair["left"]["id"], a_id);
  EXPECT_EQ(pair["right"]["id"], b_id);
  EXPECT_EQ(pair["left"]["id_number"], "110105********" + id_a.substr(14));  // masked
  EXPECT_EQ(list["counts"]["open"], 1);
  std::int64_t pair_id = pair["id"];
  const std::string pair_path = "/api/v1/duplicates/" + std::to_string(pair_id);

  // Both files hold something: a lead each (the import names both IDs), a measure on the second.
  json report =
      Import("姓名,身份证号,人员类别\n欧阳建国," + id_a + ",次密接\n欧阳建国," + id_b + ",密接\n",
             &status);
  ASSERT_EQ(status, 200) << report.dump();
  ASSERT_EQ(report["accepted"], 2) << report.dump();
  json measure = Call("POST", "/api/v1/people/" + std::to_string(b_id) + "/measures",
                      {{"category", "close_contact"}}, &status);
  ASSERT_EQ(status, 201) << measure.dump();

  json detail = Call("GET", pair_path, {}, &status);
  ASSERT_EQ(status, 200) << detail.dump();
  EXPECT_EQ(detail["left"]["holds"]["leads"], 1);
  EXPECT_TRUE(detail["left"]["holds"]["open_task"]);
  EXPECT_TRUE(detail["left"]["holds"]["current_measure"].is_null());
  EXPECT_EQ(detail["right"]["holds"]["current_measure"]["id"], measure["id"]);
  EXPECT_EQ(detail["differs"], json({"id_number", "birth_date", "address"}));

  // A bad side and a missing reason are named; nothing is merged.
  json bad =
      Call("POST", pair_path + "/merge", {{"keep", "middle"}, {"reason", "同一人"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "keep");
  bad = Call("POST", pair_path + "/merge", {{"keep", "left"}, {"reason", ""}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["details"][0]["field"], "reason");
  // The command centre reads; it does not merge.
  Call("POST", pair_path + "/merge", {{"keep", "left"}, {"reason", "同一人"}}, &status,
       server_.Login("commander"));
  EXPECT_EQ(status, 403);

  // Keep the first file, with the second's ID (the first was mistyped) and the first's address.
  json merged = Call("POST", pair_path + "/merge",
                     {{"keep", "left"},
                      {"identity", "right"},
                      {"address", "left"},
                      {"reason", "核实为同一人，原证件号录入错误"}},
                     &status, worker_);
  ASSERT_EQ(status, 200) << merged.dump();
  EXPECT_EQ(merged["merged_id"], b_id);
  EXPECT_EQ(merged["kept"]["id"], a_id);
  EXPECT_EQ(merged["kept"]["birth_date"], "1980-01-10");
  EXPECT_EQ(
      Q("SELECT id_number_masked || '|' || address FROM people WHERE id = " + std::to_string(a_id)),
      Masked(id_b) + "|测试路1号1栋101室");
  EXPECT_EQ(Revealed(server_, admin_, a_id, "id_number"), id_b);
  // The other file is a pointer now: no one sees it, and it holds nothing.
  Call("GET", "/api/v1/people/" + std::to_string(b_id), {}, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(Q("SELECT merged_into FROM people WHERE id = " + std::to_string(b_id)),
            std::to_string(a_id));
  EXPECT_EQ(Q("SELECT COUNT(*) FROM leads WHERE person_id = " + std::to_string(a_id)), "2");
  EXPECT_EQ(
      Q("SELECT COUNT(*) FROM tasks WHERE status = 'open' AND person_id = " + std::to_string(a_id)),
      "1");
  // One open task, at the stronger category of the two.
  EXPECT_EQ(
      Q("SELECT category FROM tasks WHERE status = 'open' AND person_id = " + std::to_string(a_id)),
      "close_contact");
  EXPECT_EQ(Q("SELECT person_id FROM measures WHERE id = " +
              std::to_string(measure["id"].get<std::int64_t>())),
            std::to_string(a_id));
  // A later list naming the old (mistyped) ID reaches the one person.
  report = Import("姓名,身份证号,人员类别\n欧阳建国," + id_a + ",高风险区来返\n", &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["rows"][0]["person_id"], a_id) << report.dump();
  EXPECT_EQ(report["merged"], 1);

  json merges = Call("GET", "/api/v1/people/" + std::to_string(a_id) + "/merges", {}, &status);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(merges["items"].size(), 1u);
  std::int64_t merge_id = merges["items"][0]["id"];
  EXPECT_EQ(merges["items"][0]["actor"], "g1");
  EXPECT_EQ(Json(server_.Client().Get(pair_path, Bearer(admin_)))["status"], "merged");
  EXPECT_EQ(Q("SELECT COUNT(*) FROM audit WHERE action = 'people.merge' AND object_id = '" +
              std::to_string(a_id) + "'"),
            "1");

  // Undo: both files as they were, each with its own leads, tasks and measure.
  json undone = Call("POST", "/api/v1/merges/" + std::to_string(merge_id) + "/undo",
                     {{"reason", "复核后确认不是同一人"}}, &status);
  ASSERT_EQ(status, 200) << undone.dump();
  EXPECT_EQ(undone["restored"], json({a_id, b_id}));
  EXPECT_EQ(Q("SELECT id_number_masked || '|' || birth_date FROM people WHERE id = " +
              std::to_string(a_id)),
            Masked(id_a) + "|1980-01-01");
  EXPECT_EQ(Revealed(server_, admin_, a_id, "id_number"), id_a);
  EXPECT_EQ(Q("SELECT id_number_masked || '|' || COALESCE(merged_into, 0) || '|' || region_code "
              "FROM people WHERE id = " +
              std::to_string(b_id)),
            Masked(id_b) + "|0|" + grid_);
  EXPECT_EQ(Revealed(server_, admin_, b_id, "id_number"), id_b);
  EXPECT_EQ(Q("SELECT person_id FROM measures WHERE id = " +
              std::to_string(measure["id"].get<std::int64_t>())),
            std::to_string(b_id));
  EXPECT_EQ(Q("SELECT COUNT(*) FROM tasks WHERE status = 'open' AND person_id IN (" +
              std::to_string(a_id) + "," + std::to_string(b_id) + ")"),
            "2");
  EXPECT_EQ(
      Q("SELECT category FROM tasks WHERE status = 'open' AND person_id = " + std::to_string(a_id)),
      "secondary_contact");
  // The lead imported while merged stays with the file it was given to.
  EXPECT_EQ(Q("SELECT COUNT(*) FROM leads WHERE person_id = " + std::to_string(a_id)), "2");
  EXPECT_EQ(Q("SELECT COUNT(*) FROM leads WHERE person_id = " + std::to_string(b_id)), "1");
  Call("GET", "/api/v1/people/" + std::to_string(b_id), {}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(Json(server_.Client().Get(pair_path, Bearer(admin_)))["status"], "kept_apart");
  // Once.
  Call("POST", "/api/v1/merges/" + std::to_string(merge_id) + "/undo", {{"reason", "再次"}},
       &status);
  EXPECT_EQ(status, 409);
}

TEST_F(DuplicatesApiTest, TwoFilesUnderCurrentMeasuresAreNotMergedAndKeepApartSticks) {
  json a = NewPerson(WithCheckDigit("11010519810202002"), "司马光明", "13922223333", "测试路2号");
  json b = NewPerson(WithCheckDigit("11010519810220002"), "司马光明", "13922223333", "测试路2号");
  int status = 0;
  for (const json& p : {a, b}) {
    Call("POST", "/api/v1/people/" + std::to_string(p["id"].get<std::int64_t>()) + "/measures",
         {{"category", "secondary_contact"}}, &status);
    ASSERT_EQ(status, 201);
  }
  json list = Call("GET", "/api/v1/duplicates", {}, &status);
  ASSERT_EQ(list["items"].size(), 1u);
  const std::string pair_path =
      "/api/v1/duplicates/" + std::to_string(list["items"][0]["id"].get<std::int64_t>());
  json refused =
      Call("POST", pair_path + "/merge", {{"keep", "right"}, {"reason", "同一人"}}, &status);
  EXPECT_EQ(status, 409) << refused.dump();
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("管控措施"), std::string::npos);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM people WHERE merged_into IS NOT NULL"), "0");

  json kept = Call("POST", pair_path + "/keep-apart", {{"reason", "双胞胎，共用手机号"}}, &status);
  ASSERT_EQ(status, 200) << kept.dump();
  EXPECT_EQ(kept["status"], "kept_apart");
  Call("POST", pair_path + "/keep-apart", {{"reason", "again"}}, &status);
  EXPECT_EQ(status, 409);
  // A scan does not ask again.
  json scan = Call("POST", "/api/v1/duplicates/scan", json::object(), &status);
  ASSERT_EQ(status, 200) << scan.dump();
  EXPECT_EQ(scan["scanned"], 0);  // known pairs are not found again
  EXPECT_EQ(scan["queued"], 0);
  list = Call("GET", "/api/v1/duplicates?status=kept_apart", {}, &status);
  EXPECT_EQ(list["counts"]["open"], 0);
  EXPECT_EQ(list["counts"]["kept_apart"], 1);
}

TEST_F(DuplicatesApiTest, AScanQueuesPairsOnlyInsideTheJurisdictionAndWorkersSeeOnlyTheirs) {
  // Two pairs written straight into the store (an old system's data): one in the worker's grid,
  // one in another grid.
  std::string other_grid, after;
  while (other_grid.empty()) {  // walk pages until the grid changes
    json page =
        Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      if (p["region"] != grid_) {
        other_grid = p["region"];
      }
    }
    if (page["next"].is_null()) {
      break;
    }
    after = page["next"];
  }
  ASSERT_FALSE(other_grid.empty());
  int i = 0;
  for (const std::string& grid : {grid_, grid_, other_grid, other_grid}) {
    std::string id = WithCheckDigit("1101051970030" + std::to_string(1000 + i).substr(0, 4));
    // Made under names of their own (nothing to queue), then renamed behind the service's back:
    // only a scan can find the pair.
    json made = NewPerson(id, "临时" + std::to_string(i), "13933334444", "", grid);
    Q("UPDATE people SET name = '" + std::string(grid == grid_ ? "诸葛亮" : "诸葛瑾") +
      "' WHERE id = " + std::to_string(made["id"].get<std::int64_t>()));
    ++i;
  }
  int status = 0;
  json scan = Call("POST", "/api/v1/duplicates/scan", json::object(), &status, worker_);
  ASSERT_EQ(status, 200) << scan.dump();
  EXPECT_EQ(scan["queued"], 1);
  json mine = Call("GET", "/api/v1/duplicates", {}, &status, worker_);
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["left"]["region"], grid_);
  scan = Call("POST", "/api/v1/duplicates/scan", json::object(), &status);
  EXPECT_EQ(scan["queued"], 1);  // the other grid's pair; the worker's is known
  EXPECT_EQ(Call("GET", "/api/v1/duplicates", {}, &status)["counts"]["open"], 2);

  // The other grid's pair is not the worker's: 404, audited.
  json all = Call("GET", "/api/v1/duplicates", {}, &status);
  std::int64_t theirs = 0;
  for (const auto& p : all["items"]) {
    if (p["left"]["region"] != grid_) {
      theirs = p["id"];
    }
  }
  ASSERT_NE(theirs, 0);
  Call("GET", "/api/v1/duplicates/" + std::to_string(theirs), {}, &status, worker_);
  EXPECT_EQ(status, 404);
  Call("POST", "/api/v1/duplicates/" + std::to_string(theirs) + "/merge",
       {{"keep", "left"}, {"reason", "x"}}, &status, worker_);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM audit WHERE action = 'authz_denied' AND "
              "object_type = 'duplicate_pair' AND object_id = '" +
              std::to_string(theirs) + "'"),
            "2");
  // Reporting a pair needs both files in reach.
  Call("POST", "/api/v1/duplicates",
       {{"left_id", mine["items"][0]["left"]["id"]},
        {"right_id", all["items"][0]["left"]["id"] == mine["items"][0]["left"]["id"]
                         ? all["items"][1]["left"]["id"]
                         : all["items"][0]["left"]["id"]},
        {"reason", "x"}},
       &status, worker_);
  EXPECT_EQ(status, 404);
}

TEST_F(DuplicatesApiTest, AnImportedIdNotOnFileUnderAKnownNameAndPhoneIsQueued) {
  json a = NewPerson(WithCheckDigit("11010519900505003"), "上官婉儿", "13944445555", "测试路5号");
  const std::string new_id = WithCheckDigit("11010519900515003");
  int status = 0;
  json report = Import(
      "姓名,身份证号,手机号,现住址,人员类别\n上官婉儿," + new_id + ",13944445555,测试路5号,密接\n",
      &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["accepted"], 1);
  EXPECT_EQ(report["doubtful"], 1);
  EXPECT_TRUE(report["rows"][0]["doubtful"]);
  json list = Call("GET", "/api/v1/duplicates", {}, &status);
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  EXPECT_EQ(list["items"][0]["source"], "assist_notice");
  EXPECT_EQ(list["items"][0]["left"]["id"], a["id"]);
  // Reported by hand again: the same pair, not a second one.
  json again = Call(
      "POST", "/api/v1/duplicates",
      {{"left_id", list["items"][0]["right"]["id"]}, {"right_id", a["id"]}, {"reason", "同一人"}},
      &status);
  ASSERT_EQ(status, 201) << again.dump();
  EXPECT_EQ(again["id"], list["items"][0]["id"]);
  Call("POST", "/api/v1/duplicates", {{"left_id", a["id"]}, {"right_id", a["id"]}, {"reason", "x"}},
       &status);
  EXPECT_EQ(status, 400);
}

TEST_F(DuplicatesApiTest, MergesChainAndAnUndoThatWouldSplitNewRecordsIsRefused) {
  const std::string id_a = WithCheckDigit("11010519750505004");
  const std::string id_b = WithCheckDigit("11010519750515004");
  const std::string id_c = WithCheckDigit("11010519750525004");
  json a = NewPerson(id_a, "慕容复", "13955556666", "测试路7号");
  json b = NewPerson(id_b, "慕容复", "13955556666", "测试路7号");
  json c = NewPerson(id_c, "慕容复", "13955556666", "测试路7号");
  int status = 0;
  // B's list entry opens B's task; then A is merged into B, and B into C.
  json report = Import("姓名,身份证号,人员类别\n慕容复," + id_b + ",次密接\n", &status);
  ASSERT_EQ(report["accepted"], 1) << report.dump();
  auto pair_of = [&](std::int64_t x, std::int64_t y) {
    json list = Call("GET", "/api/v1/duplicates?limit=200", {}, &status);
    for (const auto& p : list["items"]) {
      if ((p["left_id"] == x && p["right_id"] == y) || (p["left_id"] == y && p["right_id"] == x)) {
        return p["id"].get<std::int64_t>();
      }
    }
    return std::int64_t{0};
  };
  auto merge = [&](std::int64_t pair, std::int64_t keep) {
    json detail = Call("GET", "/api/v1/duplicates/" + std::to_string(pair), {}, &status);
    return Call("POST", "/api/v1/duplicates/" + std::to_string(pair) + "/merge",
                {{"keep", detail["left_id"] == keep ? "left" : "right"}, {"reason", "同一人"}},
                &status);
  };
  const std::int64_t ab = pair_of(a["id"], b["id"]);
  const std::int64_t bc = pair_of(b["id"], c["id"]);
  ASSERT_NE(ab, 0);
  ASSERT_NE(bc, 0);
  json first = merge(ab, b["id"]);
  ASSERT_EQ(status, 200) << first.dump();
  json second = merge(bc, c["id"]);
  ASSERT_EQ(status, 200) << second.dump();
  // A list naming A's ID reaches C, the one live file, two merges on.
  report = Import("姓名,身份证号,人员类别\n慕容复," + id_a + ",密接\n", &status);
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["rows"][0]["person_id"], c["id"]) << report.dump();
  // That lead joined B's old task, now C's: undoing B→C would split it from its task.
  json refused =
      Call("POST", "/api/v1/merges/" + std::to_string(second["merge_id"].get<int>()) + "/undo",
           {{"reason", "撤销"}}, &status);
  EXPECT_EQ(status, 409) << refused.dump();
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("不能自动撤销"), std::string::npos);
  EXPECT_EQ(
      Q("SELECT COUNT(*) FROM people WHERE merged_into = " + std::to_string(c["id"].get<int>())),
      "2");
}

TEST_F(DuplicatesApiTest, AnUndoThatWouldReviveAFileOutsideTheJurisdictionIsNotFound) {
  std::string other_grid, after;
  while (other_grid.empty()) {
    json page =
        Json(server_.Client().Get("/api/v1/people?limit=200&after=" + after, Bearer(admin_)));
    for (const auto& p : page["items"]) {
      if (p["region"] != grid_) {
        other_grid = p["region"];
      }
    }
    if (page["next"].is_null()) {
      break;
    }
    after = page["next"];
  }
  ASSERT_FALSE(other_grid.empty());
  json mine = NewPerson(WithCheckDigit("11010519660606005"), "端木赐", "13966667777", "测试路8号");
  json theirs = NewPerson(WithCheckDigit("11010519660616005"), "端木赐", "13966667777", "测试路9号",
                          other_grid);
  int status = 0;
  json pair =
      Call("POST", "/api/v1/duplicates",
           {{"left_id", mine["id"]}, {"right_id", theirs["id"]}, {"reason", "同一人"}}, &status);
  ASSERT_EQ(status, 201) << pair.dump();
  json detail =
      Call("GET", "/api/v1/duplicates/" + std::to_string(pair["id"].get<int>()), {}, &status);
  json merged =
      Call("POST", "/api/v1/duplicates/" + std::to_string(pair["id"].get<int>()) + "/merge",
           {{"keep", detail["left_id"] == mine["id"] ? "left" : "right"}, {"reason", "同一人"}},
           &status);
  ASSERT_EQ(status, 200) << merged.dump();
  // The grid worker sees the kept file (in their grid) but may not bring back the other grid's.
  Call("POST", "/api/v1/merges/" + std::to_string(merged["merge_id"].get<int>()) + "/undo",
       {{"reason", "撤销"}}, &status, worker_);
  EXPECT_EQ(status, 404);
  Call("POST", "/api/v1/merges/" + std::to_string(merged["merge_id"].get<int>()) + "/undo",
       {{"reason", "撤销"}}, &status);
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace cordon::testing
