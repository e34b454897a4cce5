// Follow-ups against a real database on a fake clock: a slot with nothing recorded two hours
// after its time raises one "missed" alert, however often the sweep runs, and a late record
// answers it.
#include "followups/service.h"

#include <gtest/gtest.h>

#include "../store/test_database.h"
#include "measures/service.h"

namespace cordon::followups {
namespace {

class FollowupServiceTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    ASSERT_TRUE(
        Exec(std::string("INSERT INTO people (id, id_type, ") + testdb::kIdentifierColumns +
                 ", name, sex, birth_date, region_code, region_path, created_at, "
                 "updated_at) VALUES (1, 'resident_id', " +
                 testdb::kIdentifierValues + ", '张三', 'M', '1990-01-01', ?, ?, 0, 0)",
             testdb::WithIdentifiers({}, "440106199001010011", "", {testdb::kG1, testdb::kG1Path}))
            .ok());
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    measures_ = std::make_unique<measures::MeasureService>(*db_, *audit_, clock_, offset_);
    followups_ = std::make_unique<FollowupService>(*db_, *audit_, clock_, offset_);
    admin_.user.id = 1;
    admin_.user.username = "admin";
    admin_.user.role = auth::Role::kAdmin;
    admin_.user.region_code = testdb::kCity;
    admin_.region_path = testdb::kCityPath;
    auto m = measures_->Create(admin_, 1, "secondary_contact", "", "");
    ASSERT_TRUE(m.has_value()) << m.error().message();
    measure_ = m->id;
  }

  std::int64_t OpenMissed() {
    return Count("SELECT COUNT(*) FROM alerts WHERE kind = 'missed' AND state = 'open'");
  }

  base::FakeClock clock_{testdb::StartTime()};  // 08:00 in Beijing
  base::UtcOffset offset_{};                    // +08:00
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<measures::MeasureService> measures_;
  std::unique_ptr<FollowupService> followups_;
  auth::Principal admin_;
  std::int64_t measure_ = 0;
};

TEST_F(FollowupServiceTest, ASlotIsMissedTwoHoursAfterItsTimeOnceAndALateRecordAnswersIt) {
  clock_.Advance(std::chrono::minutes(119));  // 09:59: not yet
  EXPECT_EQ(*followups_->SweepMissed(), 0);
  clock_.Advance(std::chrono::minutes(1));  // 10:00
  EXPECT_EQ(*followups_->SweepMissed(), 1);
  EXPECT_EQ(*followups_->SweepMissed(), 0);  // the same cause is raised once
  EXPECT_EQ(OpenMissed(), 1);

  auto late = followups_->Record(admin_, measure_, 1, "ok", 36.4, "", "");
  ASSERT_TRUE(late.has_value()) << late.error().message();
  EXPECT_FALSE(late->alert.has_value());
  EXPECT_EQ(OpenMissed(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE outcome LIKE '已补录%'"), 1);

  clock_.Advance(std::chrono::hours(8));  // 18:00: the 16:00 slot is missed too
  EXPECT_EQ(*followups_->SweepMissed(), 1);
  EXPECT_EQ(OpenMissed(), 1);
}

TEST_F(FollowupServiceTest, ReleasedMeasuresAreNotFollowedUp) {
  ASSERT_TRUE(Exec("UPDATE measures SET state = 'released'").ok());
  clock_.Advance(std::chrono::hours(3));
  EXPECT_EQ(*followups_->SweepMissed(), 0);
  auto r = followups_->Record(admin_, measure_, 1, "ok", 36.4, "", "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace cordon::followups
