// The retention job (security.md F1, F2) on a fake clock: what is past its period goes, whole and
// physically, with an id-only audit row; what is not, or is still held, stays.
#include "retention/service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "../store/test_database.h"
#include "auth/rules.h"
#include "base/local_time.h"

namespace cordon::retention {
namespace {

constexpr std::int64_t kDay = 86400;

auth::Principal Admin() {
  auth::Principal p;
  p.user.id = 1;
  p.user.username = "admin";
  p.user.role = auth::Role::kAdmin;
  p.user.region_code = testdb::kCity;
  p.region_path = testdb::kCityPath;
  return p;
}

class RetentionTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    ASSERT_TRUE(Exec("INSERT INTO users (id, username, display_name, password_hash, role, "
                     "region_code, created_at, updated_at) VALUES (1, 'admin', '管理员', 'x', "
                     "'admin', ?, 0, 0)",
                     {std::string(testdb::kCity)})
                    .ok());
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    retention_ = std::make_unique<RetentionService>(*db_, *audit_, clock_);
  }

  std::int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch())
        .count();
  }
  std::int64_t DaysAgo(int days) const { return Now() - days * kDay; }

  // A person file last changed `days_ago`; on the household register when `household` is set.
  std::int64_t Person(const std::string& name, const std::string& phone, int days_ago,
                      bool household = false) {
    std::int64_t household_id = 0;
    if (household) {
      EXPECT_TRUE(Exec("INSERT INTO households (region_code, address) VALUES (?, '华师社区1栋')",
                       {std::string(testdb::kG1)})
                      .ok());
      household_id = Count("SELECT MAX(id) FROM households");
    }
    const std::int64_t n = Count("SELECT COUNT(*) FROM people");
    EXPECT_TRUE(Exec(std::string("INSERT INTO people (id_type, ") + testdb::kIdentifierColumns +
                         ", name, sex, birth_date, household_id, region_code, region_path, "
                         "created_at, updated_at) VALUES ('passport', " +
                         testdb::kIdentifierValues + ", ?, 'F', '1980-01-01', ?, ?, ?, ?, ?)",
                     testdb::WithIdentifiers(
                         {}, "E" + std::to_string(1000000 + n), phone,
                         {name, household_id == 0 ? store::Value{} : store::Value{household_id},
                          std::string(testdb::kG1), std::string(testdb::kG1Path), DaysAgo(days_ago),
                          DaysAgo(days_ago)}))
                    .ok());
    return Count("SELECT MAX(id) FROM people");
  }

  // A home quarantine of `person` in `state`, last changed `days_ago`, with a test result, an
  // event, a follow-up, an alert, a self-report link and a home service.
  std::int64_t Stay(std::int64_t person, const std::string& state, int days_ago,
                    std::int64_t previous = 0) {
    const std::string g1 = testdb::kG1;
    const std::string path = testdb::kG1Path;
    EXPECT_TRUE(
        Exec("INSERT INTO measures (person_id, category, profile_version, step, measure, "
             "state, start_date, end_date, days, test_days, followups_per_day, "
             "region_code, region_path, previous_id, created_at, updated_at) VALUES "
             "(?, 'secondary_contact', 1, 1, 'home_quarantine', ?, '2022-03-01', "
             "'2022-03-07', 7, '1,4,7', 2, ?, ?, ?, ?, ?)",
             {person, state, g1, path, previous == 0 ? store::Value{} : store::Value{previous},
              DaysAgo(days_ago + 7), DaysAgo(days_ago)})
            .ok());
    const std::int64_t id = Count("SELECT MAX(id) FROM measures");
    const std::string tag = std::to_string(id);
    EXPECT_TRUE(Exec("INSERT INTO measure_test_days (measure_id, day, date, region_path, result, "
                     "recorded_at, recorded_by) VALUES (?, 1, '2022-03-01', ?, 'negative', 0, 'w')",
                     {id, path})
                    .ok());
    EXPECT_TRUE(Exec("INSERT INTO measure_events (measure_id, at, actor, action) "
                     "VALUES (?, 0, 'w', 'create')",
                     {id})
                    .ok());
    EXPECT_TRUE(Exec("INSERT INTO followups (measure_id, date, slot, region_path, outcome, source, "
                     "recorded_at, recorded_by) VALUES (?, '2022-03-02', 1, ?, 'fever', 'worker', "
                     "0, 'w')",
                     {id, path})
                    .ok());
    EXPECT_TRUE(Exec("INSERT INTO alerts (measure_id, person_id, region_code, region_path, kind, "
                     "cause, detail, raised_at, state) VALUES (?, ?, ?, ?, 'fever', ?, '38.5', 0, "
                     "'closed')",
                     {id, person, g1, path, "m" + tag})
                    .ok());
    EXPECT_TRUE(Exec("INSERT INTO followup_links (measure_id, token_hash, created_at, created_by) "
                     "VALUES (?, ?, 0, 'w')",
                     {id, "h" + tag})
                    .ok());
    EXPECT_TRUE(Exec("INSERT INTO home_services (kind, measure_id, region_path, status, detail, "
                     "created_at, created_by) VALUES ('shopping', ?, ?, 'done', '米面', 0, 'w')",
                     {id, path})
                    .ok());
    return id;
  }

  std::int64_t AutoDeletes(const std::string& object_type, std::int64_t id) {
    return Count(
        "SELECT COUNT(*) FROM audit WHERE action = 'auto_delete' AND object_type = ? AND "
        "object_id = ?",
        {object_type, std::to_string(id)});
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<RetentionService> retention_;
};

TEST_F(RetentionTest, AStayReleased31DaysAgoGoesUnderA30DayPolicyAndLeavesAnIdOnlyAuditRow) {
  const std::int64_t gone_person = Person("钱过期", "13800000001", 40);
  const std::int64_t gone = Stay(gone_person, "released", 31);
  const std::int64_t kept_person = Person("孙未到", "13800000002", 40);
  const std::int64_t kept = Stay(kept_person, "released", 29);
  const std::int64_t active_person = Person("李在管", "13800000003", 40);
  const std::int64_t active = Stay(active_person, "active", 60);

  auto policies = retention_->Policies(Admin());
  ASSERT_TRUE(policies.has_value()) << policies.error().message();
  for (const RetentionPolicy& p : *policies) {
    if (p.entity == "quarantine_stay") {
      EXPECT_EQ(p.days, 30);
      EXPECT_EQ(p.due, 1);
    }
  }

  auto run = retention_->Run(Admin());
  ASSERT_TRUE(run.has_value()) << run.error().message();
  EXPECT_EQ(run->outcome, "ok") << run->error;
  EXPECT_EQ(run->records["quarantine_stay"], 1);
  EXPECT_EQ(run->records["person"], 1);  // the released one's file, held by nothing now
  for (const char* table : {"measure_test_days", "measure_events", "followups", "alerts",
                            "followup_links", "home_services", "measures", "people"}) {
    EXPECT_EQ(run->rows[table], 1) << table;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE id = ?", {gone}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {gone_person}), 0);
  for (const char* table : {"measure_test_days", "measure_events", "followups", "alerts",
                            "followup_links", "home_services"}) {
    EXPECT_EQ(Count(std::string("SELECT COUNT(*) FROM ") + table + " WHERE measure_id = ?", {gone}),
              0)
        << table;
    EXPECT_EQ(Count(std::string("SELECT COUNT(*) FROM ") + table + " WHERE measure_id = ?", {kept}),
              1)
        << table;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE id IN (?, ?)", {kept, active}), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id IN (?, ?)", {kept_person, active_person}),
            2);

  // The audit trail keeps the ids and the policy, nothing of the person; and it still verifies.
  EXPECT_EQ(AutoDeletes("measure", gone), 1);
  EXPECT_EQ(AutoDeletes("person", gone_person), 1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit WHERE action = 'auto_delete' AND "
            "(fields NOT IN ('quarantine_stay', 'person') OR reason <> '' OR actor <> 'admin')"),
      0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'retention.run' AND object_id = ?",
                  {std::to_string(run->id)}),
            1);
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);

  // A second run finds nothing more, and says so.
  auto again = retention_->RunJob();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->records["quarantine_stay"], 0);
  EXPECT_EQ(again->actor, "retention-job");
  auto runs = retention_->Runs(Admin(), 10);
  ASSERT_TRUE(runs.has_value());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, again->id);
  EXPECT_EQ((*runs)[1].records.at("quarantine_stay"), 1);
}

TEST_F(RetentionTest, AResidentOnTheRegisterKeepsTheirFileWhenTheirStayGoes) {
  const std::int64_t resident = Person("周居民", "13800000004", 90, /*household=*/true);
  const std::int64_t stay = Stay(resident, "released", 45);
  auto run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE id = ?", {stay}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {resident}), 1);
  EXPECT_EQ(run->records["person"], 0);
}

TEST_F(RetentionTest, AChainGoesFromItsLastLinkBackAndNotWhileALaterLinkIsKept) {
  const std::int64_t person = Person("吴链条", "13800000005", 90);
  const std::int64_t first = Stay(person, "released", 60);
  const std::int64_t second = Stay(person, "active", 50, first);
  auto run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->records["quarantine_stay"], 0);  // the first is followed by a live measure
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {person}), 1);

  ASSERT_TRUE(Exec("UPDATE measures SET state = 'released', updated_at = ? WHERE id = ?",
                   {DaysAgo(31), second})
                  .ok());
  run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->outcome, "ok") << run->error;
  EXPECT_EQ(run->records["quarantine_stay"], 2);
  EXPECT_EQ(run->records["person"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures"), 0);
}

TEST_F(RetentionTest, ACheckedContactGoesWithItsLeadsAndImportAndAnOpenOneStays) {
  const std::string g1 = testdb::kG1;
  const std::string path = testdb::kG1Path;
  const std::int64_t checked_person = Person("郑已查", "13800000006", 50);
  const std::int64_t open_person = Person("王待查", "13800000007", 50);
  ASSERT_TRUE(Exec("INSERT INTO lead_imports (file_hash, file_name, source, actor, region_path, "
                   "created_at, accepted, merged, rejected, report) VALUES ('h1', '协查.csv', "
                   "'notice', 'epi', ?, ?, 1, 0, 0, '[{\"name\":\"郑已查\"}]')",
                   {path, DaysAgo(50)})
                  .ok());
  for (auto [person, status] : {std::pair{checked_person, "checked"}, {open_person, "open"}}) {
    ASSERT_TRUE(
        Exec("INSERT INTO tasks (person_id, status, category, region_code, region_path, "
             "created_at, due_at, checked_at) VALUES (?, ?, 'close_contact', ?, ?, ?, ?, ?)",
             {person, std::string(status), g1, path, DaysAgo(50), DaysAgo(49),
              std::string(status) == "checked" ? store::Value{DaysAgo(31)} : store::Value{}})
            .ok());
    const std::int64_t task = Count("SELECT MAX(id) FROM tasks");
    ASSERT_TRUE(
        Exec("INSERT INTO leads (row_key, source, import_id, line, person_id, task_id, "
             "category, created_at) VALUES (?, 'notice', ?, 2, ?, ?, 'close_contact', ?)",
             {"k" + std::to_string(task),
              std::string(status) == "checked" ? store::Value{std::int64_t{1}} : store::Value{},
              person, task, DaysAgo(50)})
            .ok());
  }
  auto run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->outcome, "ok") << run->error;
  EXPECT_EQ(run->records["close_contact"], 1);
  EXPECT_EQ(run->rows["leads"], 1);
  EXPECT_EQ(run->rows["lead_imports"], 1);  // its report copies the rows
  EXPECT_EQ(run->records["person"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {checked_person}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE person_id = ?", {open_person}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {open_person}), 1);
}

TEST_F(RetentionTest, AClosedCaseGoesWithItsInvestigationContactsAndExposuresAnOpenOneStays) {
  const std::string g1 = testdb::kG1;
  const std::string path = testdb::kG1Path;
  const std::int64_t recovered = Person("冯康复", "13800000008", 300);
  const std::int64_t ill = Person("陈在治", "13800000009", 300);
  const std::int64_t contact = Person("褚密接", "13800000010", 300);
  for (auto [person, outcome] : {std::pair{recovered, "recovered"}, {ill, "under_treatment"}}) {
    ASSERT_TRUE(
        Exec("INSERT INTO cases (person_id, classification, positive_at, outcome, "
             "lookback_from, region_code, region_path, created_at, created_by, "
             "updated_at) VALUES (?, 'confirmed', ?, ?, 0, ?, ?, ?, 'epi', ?)",
             {person, DaysAgo(200), std::string(outcome), g1, path, DaysAgo(200), DaysAgo(181)})
            .ok());
    const std::int64_t c = Count("SELECT MAX(id) FROM cases");
    ASSERT_TRUE(Exec("INSERT INTO case_investigation (case_id, at, kind, person_id, body, author, "
                     "created_at, updated_at) VALUES (?, 0, 'person', ?, '同住', 'epi', 0, 0)",
                     {c, contact})
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO case_contacts (case_id, person_id, degree, listed_at) "
                     "VALUES (?, ?, 1, 0)",
                     {c, contact})
                    .ok());
  }
  // The contact infected the recovered one; the ill one infected nobody on file.
  ASSERT_TRUE(Exec("INSERT INTO exposures (source_person_id, target_person_id, kind, created_at, "
                   "created_by) VALUES (?, ?, 'household', 0, 'epi')",
                   {contact, recovered})
                  .ok());
  auto run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->outcome, "ok") << run->error;
  EXPECT_EQ(run->records["case"], 1);
  EXPECT_EQ(run->rows["exposures"], 1);
  EXPECT_EQ(run->rows["case_contacts"], 1);
  EXPECT_EQ(run->rows["case_investigation"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cases WHERE person_id = ?", {ill}), 1);
  // The recovered one's file goes; the contact is still listed for the open case and stays.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id = ?", {recovered}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE id IN (?, ?)", {ill, contact}), 2);
}

TEST_F(RetentionTest, OnlyAnAdministratorSetsAPeriodWithinItsBoundsAndTheChangeIsAudited) {
  auth::Principal commander = Admin();
  commander.user.role = auth::Role::kCommander;
  EXPECT_EQ(retention_->SetPolicy(commander, "case", 90).error().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_->Run(commander).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_->SetPolicy(Admin(), "case", 0).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(retention_->SetPolicy(Admin(), "case", 3651).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(retention_->SetPolicy(Admin(), "audit", 30).error().code(), StatusCode::kNotFound);

  const std::int64_t person = Person("卫十天", "13800000011", 20);
  Stay(person, "released", 10);
  auto set = retention_->SetPolicy(Admin(), "quarantine_stay", 7);
  ASSERT_TRUE(set.has_value()) << set.error().message();
  EXPECT_EQ(set->days, 7);
  EXPECT_EQ(set->updated_by, "admin");
  EXPECT_EQ(set->due, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'retention.policy' AND "
                  "object_id = 'quarantine_stay' AND fields = 'days'"),
            1);
}

// F2: what was deleted is in neither the database file nor its WAL afterwards (secure_delete
// zeroes the freed cells; the scrub empties the WAL of the frames that held them).
TEST_F(RetentionTest, DeletedNamesAndPhonesAreGoneFromTheDatabaseAndItsWal) {
  const std::string name = "蒋独一无二";
  const std::string phone = "13912345678";
  const std::int64_t person = Person(name, phone, 40);
  Stay(person, "released", 31);
  const auto in_files = [&](const std::string& needle) {
    return testdb::Occurrences(path_, needle) + testdb::Occurrences(path_ + "-wal", needle);
  };
  ASSERT_GT(in_files(name), 0);   // the test can see it while it is there
  EXPECT_EQ(in_files(phone), 0);  // sealed from the start (security.md B3)
  auto run = retention_->RunJob();
  ASSERT_TRUE(run.has_value());
  ASSERT_EQ(run->outcome, "ok") << run->error;
  EXPECT_EQ(run->records["person"], 1);
  EXPECT_EQ(in_files(name), 0);
  EXPECT_EQ(in_files(phone), 0);
}

}  // namespace
}  // namespace cordon::retention
