// Cases against a real database on a fake clock: a case starts its measure; listing contacts
// goes through the lead registry once, however often it is repeated; the time the contacts came
// under control is read from their measures; the late filter and the keyset page.
#include "cases/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "../store/test_database.h"
#include "leads/service.h"
#include "measures/service.h"

namespace cordon::cases {
namespace {

constexpr std::int64_t kHour = 3600;

auth::Principal Make(const std::string& username, auth::Role role, const std::string& code,
                     const std::string& path) {
  auth::Principal p;
  p.user.id = 1;
  p.user.username = username;
  p.user.role = role;
  p.user.region_code = code;
  p.region_path = path;
  return p;
}

// Runs on SQLite, and on PostgreSQL when CORDON_TEST_PG names a server (a fresh database there,
// dropped afterwards): the clock's SQL and the listing go through both dialects.
class CaseServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const char* base = std::getenv("CORDON_TEST_PG");
      if (base == nullptr || *base == '\0') {
        GTEST_SKIP() << "CORDON_TEST_PG is not set (scripts/test-postgresql.sh sets it)";
      }
      pg_base_ = base;
      pg_name_ =
          "cordon_cases_" + std::to_string(::getpid()) + "_" + std::to_string(databases_made++);
      ASSERT_EQ(Psql("CREATE DATABASE " + pg_name_), 0);
      auto db = store::Open(pg_base_.substr(0, pg_base_.rfind('/') + 1) + pg_name_);
      ASSERT_TRUE(db.has_value()) << db.error().message();
      (*db)->SetFieldCipher(testdb::Fields());
      db_ = std::move(*db);
    } else {
      ASSERT_TRUE(dir_.Created());
      auto db = store::Open("sqlite:" + dir_.File("cordon.db"));
      ASSERT_TRUE(db.has_value()) << db.error().message();
      (*db)->SetFieldCipher(testdb::Fields());
      db_ = std::move(*db);
    }
    ASSERT_TRUE(store::Migrate(*db_).ok());
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    const struct {
      int id;
      const char* number;
      const char* name;
      const char* grid;
      const char* path;
    } people[] = {
        {1, "440106199001010011", "张三", testdb::kG1, testdb::kG1Path},
        {2, "440106199002020022", "李四", testdb::kG1, testdb::kG1Path},
        {3, "440106199003030033", "王五", testdb::kG2, testdb::kG2Path},
        {4, "440106199004040044", "赵六", testdb::kG2, testdb::kG2Path},
    };
    for (const auto& p : people) {
      ASSERT_TRUE(Exec(std::string("INSERT INTO people (id, id_type, ") +
                           testdb::kIdentifierColumns +
                           ", name, sex, birth_date, region_code, region_path, created_at, "
                           "updated_at) VALUES (?, 'resident_id', " +
                           testdb::kIdentifierValues + ", ?, 'M', '1990-01-01', ?, ?, 0, 0)",
                       testdb::WithIdentifiers(
                           {std::int64_t{p.id}}, p.number, "",
                           {std::string(p.name), std::string(p.grid), std::string(p.path)}))
                      .ok());
    }
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    leads_ = std::make_unique<leads::LeadService>(*db_, *audit_, clock_, offset_);
    measures_ = std::make_unique<measures::MeasureService>(*db_, *audit_, clock_, offset_);
    cases_ = std::make_unique<CaseService>(*db_, *audit_, clock_, offset_, *leads_, *measures_);
  }

  void TearDown() override {
    cases_.reset();
    measures_.reset();
    leads_.reset();
    audit_.reset();
    db_.reset();
    if (!pg_name_.empty()) {
      Psql("DROP DATABASE IF EXISTS " + pg_name_);
    }
  }

  int Psql(const std::string& sql) const {
    const std::string command = "psql -X -q '" + pg_base_ + "' -c '" + sql + "' >/dev/null 2>&1";
    return std::system(command.c_str());
  }

  std::int64_t Count(const std::string& sql) {
    std::int64_t n = -1;
    Status status = db_->Read([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(n, s.QueryInt(sql, {}));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return n;
  }

  Status Exec(const std::string& sql, const store::Params& params = {}) {
    return db_->Write([&](store::Session& s) { return s.Exec(sql, params).status(); });
  }

  Case NewCase(std::int64_t person, std::int64_t positive_ago_hours,
               std::optional<std::int64_t> reported_after_hours = std::nullopt) {
    CaseInput in;
    in.person_id = person;
    in.classification = "confirmed";
    in.positive_at = cases_->Now() - positive_ago_hours * kHour;
    if (reported_after_hours) {
      in.reported_at = in.positive_at + *reported_after_hours * kHour;
    }
    auto c = cases_->Create(admin_, in);
    EXPECT_TRUE(c.has_value()) << c.error().message();
    return c.has_value() ? *c : Case{};
  }

  static inline int databases_made = 0;
  std::string pg_base_, pg_name_;
  testdb::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  base::FakeClock clock_{testdb::StartTime()};  // 08:00 in Beijing
  base::UtcOffset offset_{};
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<leads::LeadService> leads_;
  std::unique_ptr<measures::MeasureService> measures_;
  std::unique_ptr<CaseService> cases_;
  auth::Principal admin_ = Make("admin", auth::Role::kAdmin, testdb::kCity, testdb::kCityPath);
};

TEST_P(CaseServiceTest, ACaseStartsItsPlanAndAPersonHasOneOpenCase) {
  Case c = NewCase(1, 2, 1);
  EXPECT_EQ(c.classification, "confirmed");
  EXPECT_EQ(c.region_code, testdb::kG1);
  EXPECT_EQ(c.clock.reported, Leg::kOk);
  EXPECT_EQ(c.clock.listed, Leg::kPending);
  EXPECT_EQ(c.lookback_from, c.positive_at - kHour * 24 * 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE person_id = 1 AND category = 'confirmed' "
                  "AND measure = 'hospital' AND state = 'active'"),
            1);
  CaseInput again;
  again.person_id = 1;
  again.classification = "suspected";
  again.positive_at = cases_->Now();
  auto second = cases_->Create(admin_, again);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), StatusCode::kAlreadyExists);
  // Closed, the person may be a case again.
  CasePatch close;
  close.outcome = "recovered";
  close.version = c.version;
  ASSERT_TRUE(cases_->Update(admin_, c.id, close).has_value());
  EXPECT_TRUE(cases_->Create(admin_, again).has_value());
}

TEST_P(CaseServiceTest, AStrongerClassificationEscalatesTheMeasure) {
  CaseInput in;
  in.person_id = 2;
  in.classification = "suspected";
  in.positive_at = cases_->Now() - kHour;
  auto c = cases_->Create(admin_, in);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  CasePatch p;
  p.classification = "confirmed";
  p.version = c->version;
  auto updated = cases_->Update(admin_, c->id, p);
  ASSERT_TRUE(updated.has_value()) << updated.error().message();
  EXPECT_EQ(updated->version, c->version + 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE person_id = 2 AND state = 'escalated' "
                  "AND category = 'suspected'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE person_id = 2 AND state = 'active' "
                  "AND category = 'confirmed'"),
            1);
  // The old version is stale now.
  auto stale = cases_->Update(admin_, c->id, p);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code(), StatusCode::kFailedPrecondition);
}

TEST_P(CaseServiceTest, ListingContactsMakesLeadsOnceAndKeepsTheFirstListingTime) {
  Case c = NewCase(1, 3);
  auto first = cases_->RecordContacts(admin_, c.id, {{2, 1, "household"}, {3, 2, "co_presence"}});
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_EQ(first->leads_created, 2);
  EXPECT_EQ(first->merged, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM leads WHERE source = 'investigation'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE person_id = 2 AND category = "
                  "'close_contact' AND status = 'open'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE person_id = 3 AND category = "
                  "'secondary_contact'"),
            1);
  const std::int64_t listed_at = cases_->Now();
  auto got = cases_->Get(admin_, c.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->contacts_listed_at, listed_at);
  EXPECT_EQ(got->close_contacts, 1);
  EXPECT_EQ(got->secondary_contacts, 1);

  clock_.Advance(std::chrono::hours(1));
  auto again = cases_->RecordContacts(admin_, c.id, {{3, 2, "co_presence"}, {2, 1, "household"}});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->leads_created, 0);
  EXPECT_EQ(again->merged, 0);
  EXPECT_EQ(again->already_listed, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), 2);
  EXPECT_EQ(cases_->Get(admin_, c.id)->contacts_listed_at, listed_at);

  // Found again as a close contact: a closer degree joins the open task and raises it.
  auto closer = cases_->RecordContacts(admin_, c.id, {{3, 1, "co_presence"}, {3, 2, "x"}});
  ASSERT_TRUE(closer.has_value());
  EXPECT_EQ(closer->merged, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE person_id = 3 AND category = "
                  "'close_contact' AND status = 'open'"),
            1);
  EXPECT_EQ(cases_->Get(admin_, c.id)->close_contacts, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'cases.contacts'"), 3);
}

TEST_P(CaseServiceTest, ListingContactsNamesBadRowsAndKeepsToTheJurisdiction) {
  Case c = NewCase(1, 3);
  auto bad = cases_->RecordContacts(admin_, c.id, {{2, 1, ""}, {3, 3, ""}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().details().front().field, "contacts[1].degree");
  auto unknown = cases_->RecordContacts(admin_, c.id, {{2, 1, ""}, {999, 1, ""}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().details().front().field, "contacts[1].person_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM leads"), 0);  // nothing of the refused call stays
  auto g2 = Make("epi2", auth::Role::kEpidemiologist, testdb::kG2, testdb::kG2Path);
  auto elsewhere = cases_->RecordContacts(g2, c.id, {{3, 1, ""}});
  ASSERT_FALSE(elsewhere.has_value());
  EXPECT_EQ(elsewhere.error().code(), StatusCode::kNotFound);
  auto worker = Make("g1", auth::Role::kGridWorker, testdb::kG1, testdb::kG1Path);
  auto denied = cases_->RecordContacts(worker, c.id, {{2, 1, ""}});
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code(), StatusCode::kPermissionDenied);
}

TEST_P(CaseServiceTest, ContactsAreUnderControlWhenTheLastCloseContactsMeasureStarts) {
  Case c = NewCase(1, 2, 1);
  ASSERT_TRUE(
      cases_->RecordContacts(admin_, c.id, {{2, 1, ""}, {3, 1, ""}, {4, 2, ""}}).has_value());
  clock_.Advance(std::chrono::hours(3));
  ASSERT_TRUE(measures_->Create(admin_, 2, "close_contact", "", "").has_value());
  EXPECT_EQ(cases_->Get(admin_, c.id)->contacts_controlled_at, 0);
  clock_.Advance(std::chrono::hours(4));
  const std::int64_t last = cases_->Now();
  ASSERT_TRUE(measures_->Create(admin_, 3, "close_contact", "", "").has_value());
  auto got = cases_->Get(admin_, c.id);
  ASSERT_TRUE(got.has_value());
  // The secondary contact (4) has no measure, and does not count.
  EXPECT_EQ(got->contacts_controlled_at, last);
  EXPECT_EQ(got->clock.controlled, Leg::kOk);
  // A release later does not undo the time they came under control.
  ASSERT_TRUE(Exec("UPDATE measures SET state = 'released' WHERE person_id = 3").ok());
  EXPECT_EQ(cases_->Get(admin_, c.id)->contacts_controlled_at, last);
}

TEST_P(CaseServiceTest, AListingWithNoCloseContactsIsUnderControlAtOnce) {
  Case c = NewCase(1, 1);
  ASSERT_TRUE(cases_->RecordContacts(admin_, c.id, {}).has_value());
  auto got = cases_->Get(admin_, c.id);
  EXPECT_EQ(got->contacts_listed_at, cases_->Now());
  EXPECT_EQ(got->contacts_controlled_at, cases_->Now());
}

TEST_P(CaseServiceTest, TheLateFilterAndTheKeysetPage) {
  Case on_time = NewCase(1, 1, 1);
  Case late_report = NewCase(2, 5, 3);
  Case unreported = NewCase(3, 3);  // 3 h without a report: late
  CaseQuery q;
  q.late_only = true;
  auto late = cases_->List(admin_, q);
  ASSERT_TRUE(late.has_value()) << late.error().message();
  ASSERT_EQ(late->size(), 2u);
  EXPECT_EQ((*late)[0].id, unreported.id);  // newest positive first
  EXPECT_EQ((*late)[1].id, late_report.id);

  CaseQuery page;
  page.limit = 2;
  auto first = cases_->List(admin_, page);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, on_time.id);
  page.after_positive_at = first->back().positive_at;
  page.after_id = first->back().id;
  auto second = cases_->List(admin_, page);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, late_report.id);

  auto worker = Make("g1", auth::Role::kGridWorker, testdb::kG1, testdb::kG1Path);
  auto mine = cases_->List(worker, CaseQuery{});
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->size(), 2u);  // people 1 and 2 live in G1
  auto board = cases_->ClockOfCases(admin_, "", 14);
  ASSERT_TRUE(board.has_value());
  EXPECT_EQ(board->late, 2);
  EXPECT_EQ(board->targets.controlled_hours, 24);
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& backend) {
  return backend.param;
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseServiceTest, ::testing::Values("sqlite", "postgresql"),
                         BackendName);

}  // namespace
}  // namespace cordon::cases
