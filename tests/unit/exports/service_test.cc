// The rules every export follows whatever the list (security.md E1-E6), on a source that makes
// rows of its own: approval by a second person, the download window, the row cap, the hourly
// limit, the watermark and the audit.
#include "exports/service.h"

#include <gtest/gtest.h>

#include "../store/test_database.h"
#include "auth/password.h"
#include "auth/rules.h"
#include "base/local_time.h"

namespace cordon::exports {
namespace {

using nlohmann::json;

auth::Principal MakePrincipal(std::int64_t id, const std::string& username, auth::Role role,
                              std::string code, std::string path) {
  auth::Principal p;
  p.user.id = id;
  p.user.username = username;
  p.user.display_name = username + "（显示名）";
  p.user.role = role;
  p.user.region_code = std::move(code);
  p.region_path = std::move(path);
  p.ip = "10.0.0.1";
  p.request_id = "req";
  return p;
}

// Rows of one grid, `rows` of them, each carrying a whole ID number unless masked.
class GridList final : public ExportSource {
 public:
  std::string_view Kind() const override { return "grid_list"; }
  const ExportLayout& Layout() const override { return layout_; }
  Result<ExportScope> Resolve(const auth::Principal& who, const json& filter) override {
    std::string region = filter.value("region", who.user.region_code);
    std::string path = region == testdb::kG2 ? testdb::kG2Path : testdb::kG1Path;
    if (region == testdb::kCity) {
      path = testdb::kCityPath;
    }
    if (!auth::InSubtree(path, who.region_path)) {
      return NotFound("区划不存在或不在管辖范围内");
    }
    return ExportScope{{{"region", region}}, region, path};
  }
  Status Rows(const auth::Principal& /*who*/, const json& /*filter*/, bool unmasked,
              const RowSink& row) override {
    for (int i = 0; i < rows; ++i) {
      CORDON_RETURN_IF_ERROR(
          row({unmasked ? "张三" : "张*", unmasked ? "11010519491231002X" : "110105********002X",
               i == 0 ? "=HYPERLINK(\"http://x\",\"y\")" : "家中"}));
    }
    return Status::Ok();
  }
  int rows = 3;

 private:
  ExportLayout layout_{"名单", "测试名单", {"姓名", "身份证号", "地点"}, {10, 22, 20}};
};

class ExportServiceTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    for (const auto* who : {&g1_, &epi_, &commander_, &commander2_, &g2_commander_}) {
      ASSERT_TRUE(Exec("INSERT INTO users (id, username, display_name, password_hash, role, "
                       "region_code, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?, 0, 0)",
                       {who->user.id, who->user.username, who->user.display_name,
                        std::string(auth::RoleName(who->user.role)), who->user.region_code})
                      .ok());
    }
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    ExportPolicy policy;
    policy.per_hour = 5;
    policy.unmasked_rows = 10;
    policy.ready_seconds = 3600;
    exports_ = std::make_unique<ExportService>(*db_, *audit_, clock_, base::UtcOffset{}, policy);
    exports_->AddSource(list_);
  }

  ExportRequest Unmasked(ExportFormat format = ExportFormat::kCsv) {
    ExportRequest r;
    r.kind = "grid_list";
    r.format = format;
    r.unmasked = true;
    r.reason = "向区指挥部报送密接名单";
    return r;
  }

  std::int64_t AuditRows(const std::string& action) {
    return Count("SELECT COUNT(*) FROM audit WHERE action = ?", {action});
  }

  base::FakeClock clock_{testdb::StartTime()};
  GridList list_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<ExportService> exports_;
  auth::Principal g1_ =
      MakePrincipal(1, "g1worker", auth::Role::kGridWorker, testdb::kG1, testdb::kG1Path);
  auth::Principal epi_ =
      MakePrincipal(2, "epi", auth::Role::kEpidemiologist, testdb::kCity, testdb::kCityPath);
  auth::Principal commander_ =
      MakePrincipal(3, "cmd", auth::Role::kCommander, testdb::kCity, testdb::kCityPath);
  auth::Principal commander2_ =
      MakePrincipal(4, "cmd2", auth::Role::kCommander, testdb::kCity, testdb::kCityPath);
  auth::Principal g2_commander_ =
      MakePrincipal(5, "g2cmd", auth::Role::kCommander, testdb::kG2, testdb::kG2Path);
};

TEST_F(ExportServiceTest, AMaskedListIsReadyAtOnceWatermarkedEscapedAndAudited) {
  ExportRequest r;
  r.kind = "grid_list";
  r.format = ExportFormat::kCsv;
  auto file = exports_->ExportNow(g1_, r);
  ASSERT_TRUE(file.has_value()) << file.error().message();
  const std::string& csv = file->bytes;
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");  // E5: Excel reads it as UTF-8
  EXPECT_NE(csv.find("姓名,身份证号,地点\r\n"), std::string::npos);
  EXPECT_NE(csv.find("110105********002X"), std::string::npos);
  EXPECT_EQ(csv.find("11010519491231002X"), std::string::npos);
  // E4: a cell that would be a formula is quoted as text.
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), std::string::npos) << csv;
  // E3: who and when, and the export's number, on the file itself.
  EXPECT_NE(csv.find("导出人：g1worker（显示名）（g1worker）"), std::string::npos) << csv;
  EXPECT_NE(csv.find("导出编号：E" + std::to_string(file->record.id)), std::string::npos);
  EXPECT_NE(csv.find("2022-04-30T08:00:00+08:00"), std::string::npos);
  EXPECT_EQ(file->record.rows, 3);
  EXPECT_EQ(file->record.sha256, auth::Sha256Hex(csv));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'exports.download' AND fields = ?",
                  {"kind=grid_list,rows=3,masked,sha256=" + auth::Sha256Hex(csv)}),
            1);
  EXPECT_EQ(AuditRows("exports.request"), 1);
}

TEST_F(ExportServiceTest, AnUnmaskedListWaitsForASecondPersonAndOnlyTheRequesterTakesIt) {
  ExportRequest no_reason = Unmasked();
  no_reason.reason = "";
  auto refused = exports_->Start(epi_, no_reason);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().details().at(0).field, "reason");

  auto e = exports_->Start(epi_, Unmasked());
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->status, "pending_approval");
  EXPECT_EQ(exports_->Download(epi_, e->id).error().code(), StatusCode::kFailedPrecondition);
  // Not by the requester's own kind of role, not by themselves, not from outside the region.
  EXPECT_EQ(exports_->Decide(epi_, e->id, true, "").error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(exports_->Decide(g2_commander_, e->id, true, "").error().code(), StatusCode::kNotFound);
  auto own = exports_->Start(commander_, Unmasked());
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(exports_->Decide(commander_, own->id, true, "").error().code(),
            StatusCode::kPermissionDenied);

  auto pending = exports_->List(commander_, true);
  ASSERT_TRUE(pending.has_value());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_TRUE(exports_->CanApprove(commander_, (*pending)[1]) ||
              exports_->CanApprove(commander_, (*pending)[0]));

  auto approved = exports_->Decide(commander_, e->id, true, "同意，限当日使用");
  ASSERT_TRUE(approved.has_value()) << approved.error().message();
  EXPECT_EQ(approved->status, "ready");
  EXPECT_EQ(approved->decided_by.username, "cmd");
  EXPECT_EQ(exports_->Decide(commander2_, e->id, false, "晚了").error().code(),
            StatusCode::kFailedPrecondition);
  // The approver approves; they never receive a copy.
  EXPECT_EQ(exports_->Download(commander_, e->id).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditRows("authz_denied"), 2);  // the outside approver and the approver's download

  auto file = exports_->Download(epi_, e->id);
  ASSERT_TRUE(file.has_value()) << file.error().message();
  EXPECT_NE(file->bytes.find("11010519491231002X"), std::string::npos);
  EXPECT_NE(file->bytes.find("经 cmd（显示名）（cmd）审批"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'exports.download' AND fields LIKE "
                  "'%,unmasked,%'"),
            1);
}

TEST_F(ExportServiceTest, ARejectionNeedsANoteAndEndsTheRequest) {
  auto e = exports_->Start(epi_, Unmasked());
  ASSERT_TRUE(e.has_value());
  auto no_note = exports_->Decide(commander_, e->id, false, "");
  ASSERT_FALSE(no_note.has_value());
  EXPECT_EQ(no_note.error().details().at(0).field, "note");
  auto rejected = exports_->Decide(commander_, e->id, false, "范围过大，请按网格导出");
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(exports_->Download(epi_, e->id).error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(AuditRows("exports.reject"), 1);
}

TEST_F(ExportServiceTest, AFileCanBeTakenOnlyInsideItsWindow) {
  ExportRequest r;
  r.kind = "grid_list";
  auto e = exports_->Start(g1_, r);
  ASSERT_TRUE(e.has_value());
  clock_.Advance(std::chrono::minutes(59));
  EXPECT_TRUE(exports_->Download(g1_, e->id).has_value());
  clock_.Advance(std::chrono::minutes(1));
  auto late = exports_->Download(g1_, e->id);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code(), StatusCode::kExpired);
}

TEST_F(ExportServiceTest, AnUnmaskedListOverTheCapIsRefusedWhole) {
  auto e = exports_->Start(epi_, Unmasked(ExportFormat::kXlsx));
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(exports_->Decide(commander_, e->id, true, "").has_value());
  list_.rows = 11;
  auto over = exports_->Download(epi_, e->id);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(AuditRows("exports.download"), 0);
  list_.rows = 10;
  auto file = exports_->Download(epi_, e->id);
  ASSERT_TRUE(file.has_value()) << file.error().message();
  EXPECT_EQ(file->bytes.substr(0, 2), "PK");  // a zip: the .xlsx
  EXPECT_EQ(file->record.rows, 10);
}

TEST_F(ExportServiceTest, TheHourlyLimitStopsTheNextExportAndLeavesATrace) {
  ExportRequest r;
  r.kind = "grid_list";
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(exports_->Start(g1_, r).has_value()) << i;
  }
  auto sixth = exports_->Start(g1_, r);
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(AuditRows("rate_limited"), 1);
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_TRUE(exports_->Start(g1_, r).has_value());
}

TEST_F(ExportServiceTest, ExportIsARightOfItsOwn) {
  ExportRequest r;
  r.kind = "grid_list";
  for (auth::Role role : {auth::Role::kSiteManager, auth::Role::kLogistics, auth::Role::kAuditor,
                          auth::Role::kInspector, auth::Role::kTesting}) {
    auth::Principal p = g1_;
    p.user.role = role;
    auto refused = exports_->Start(p, r);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code(), StatusCode::kPermissionDenied) << auth::RoleName(role);
  }
  // A grid worker exports their grid, never the next one.
  r.filter = {{"region", testdb::kG2}};
  EXPECT_EQ(exports_->Start(g1_, r).error().code(), StatusCode::kNotFound);
  r.kind = "everyone";
  EXPECT_EQ(exports_->Start(g1_, r).error().details().at(0).field, "kind");
}

}  // namespace
}  // namespace cordon::exports
