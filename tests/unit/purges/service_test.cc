// The end-of-incident purge (security.md F3): asked by one administrator, approved by a second
// city-wide person, it empties every person-level table at once, keeps the region tree, staff and
// audit trail (which still verifies), and leaves a certificate signed with the installation's
// key whose counts are the rows there were.
#include "purges/service.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "../store/test_database.h"
#include "auth/rules.h"
#include "base/local_time.h"
#include "purges/signing.h"

namespace cordon::purges {
namespace {

using nlohmann::json;

auth::Principal User(std::int64_t id, const std::string& name, auth::Role role,
                     const std::string& code, const std::string& path) {
  auth::Principal p;
  p.user.id = id;
  p.user.username = name;
  p.user.display_name = name + "（名）";
  p.user.role = role;
  p.user.region_code = code;
  p.region_path = path;
  return p;
}

class PurgeTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    for (const auth::Principal* u : {&admin_, &admin2_, &commander_, &district_commander_}) {
      ASSERT_TRUE(Exec("INSERT INTO users (id, username, display_name, password_hash, role, "
                       "region_code, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?, 0, 0)",
                       {u->user.id, u->user.username, u->user.display_name,
                        std::string(auth::RoleName(u->user.role)), u->user.region_code})
                      .ok());
    }
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    purges_ = std::make_unique<PurgeService>(*db_, *audit_, clock_, base::UtcOffset{}, key_path_);
    // Two people of the grid, one a confirmed case, the other their close contact under a
    // measure, a tip-off, a household.
    const std::string g1 = testdb::kG1;
    const std::string path = testdb::kG1Path;
    ASSERT_TRUE(
        Exec("INSERT INTO households (id, region_code, address) VALUES (1, ?, '1栋')", {g1}).ok());
    for (int i = 1; i <= 2; ++i) {
      ASSERT_TRUE(
          Exec(std::string("INSERT INTO people (id, id_type, ") + testdb::kIdentifierColumns +
                   ", name, sex, birth_date, household_id, region_code, region_path, created_at, "
                   "updated_at) VALUES (?, 'passport', " +
                   testdb::kIdentifierValues + ", ?, 'M', '1980-01-01', 1, ?, ?, 0, 0)",
               testdb::WithIdentifiers({std::int64_t{i}}, "E" + std::to_string(i), "",
                                       {"销毁" + std::to_string(i), g1, path}))
              .ok());
    }
    ASSERT_TRUE(Exec("INSERT INTO cases (person_id, classification, positive_at, lookback_from, "
                     "region_code, region_path, created_at, created_by, updated_at) VALUES "
                     "(1, 'confirmed', 0, 0, ?, ?, 0, 'epi', 0)",
                     {g1, path})
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO tasks (person_id, status, category, region_code, region_path, "
                     "created_at, due_at) VALUES (2, 'open', 'close_contact', ?, ?, 0, 0)",
                     {g1, path})
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO measures (person_id, category, profile_version, step, measure, "
                     "state, start_date, days, test_days, followups_per_day, region_code, "
                     "region_path, created_at, updated_at) VALUES (2, 'close_contact', 1, 1, "
                     "'central_quarantine', 'active', '2022-04-29', 7, '1', 2, ?, ?, 0, 0)",
                     {g1, path})
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO tip_offs (address, detail, region_code, region_path, status, "
                     "created_at) VALUES ('2栋', '有人返回', ?, ?, 'open', 0)",
                     {g1, path})
                    .ok());
  }

  std::string Dir() const { return std::filesystem::path(path_).parent_path().string(); }

  base::FakeClock clock_{testdb::StartTime()};
  std::string key_path_ = dir_.File("purge-signing.key");
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<PurgeService> purges_;
  auth::Principal admin_ = User(1, "admin", auth::Role::kAdmin, testdb::kCity, testdb::kCityPath);
  auth::Principal admin2_ = User(2, "admin2", auth::Role::kAdmin, testdb::kCity, testdb::kCityPath);
  auth::Principal commander_ =
      User(3, "cmd", auth::Role::kCommander, testdb::kCity, testdb::kCityPath);
  auth::Principal district_commander_ =
      User(4, "dcmd", auth::Role::kCommander, testdb::kDistrict, "/440100/440106/");
};

TEST_F(PurgeTest, ASecondPersonsApprovalEmptiesThePersonTablesAndSignsTheCounts) {
  auto before = purges_->Counts(commander_);
  ASSERT_TRUE(before.has_value()) << before.error().message();
  EXPECT_EQ(before->at("people"), 2);
  EXPECT_EQ(before->at("cases"), 1);

  auto asked = purges_->Request(admin_, "本轮疫情已结束，按规定销毁", std::string(kConfirmation));
  ASSERT_TRUE(asked.has_value()) << asked.error().message();
  EXPECT_EQ(asked->status, "pending");
  // One's own request needs a second person; a district commander is not city-wide.
  EXPECT_EQ(purges_->Decide(admin_, asked->id, true, "").error().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(purges_->Decide(district_commander_, asked->id, true, "").error().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 2);

  auto done = purges_->Decide(commander_, asked->id, true, "同意");
  ASSERT_TRUE(done.has_value()) << done.error().message();
  EXPECT_EQ(done->status, "done");
  EXPECT_EQ(done->tables, *before);
  for (std::string_view table : PurgeService::Tables()) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM " + std::string(table)), 0) << table;
  }
  // What stays: the region tree, staff, configuration, and the audit trail, whole.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM regions"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 4);
  EXPECT_GT(Count("SELECT COUNT(*) FROM plan_steps"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action IN ('purge.request', 'purge.approve', "
                  "'purge.execute') AND object_id = ?",
                  {std::to_string(asked->id)}),
            3);
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);

  auto certificate = purges_->GetCertificate(admin_, asked->id);
  ASSERT_TRUE(certificate.has_value()) << certificate.error().message();
  EXPECT_TRUE(certificate->verified);
  const json c = json::parse(certificate->text);
  EXPECT_EQ(c["tables"]["people"], 2);
  EXPECT_EQ(c["requested_by"], "admin（admin（名））");
  EXPECT_EQ(c["approved_by"], "cmd（cmd（名））");
  EXPECT_EQ(c["algorithm"], "Ed25519");
  EXPECT_EQ(c["audit"]["head_id"], Count("SELECT MAX(id) FROM audit"));
  // The statistics outlive the data: the district's case, contact, measure and tip-off.
  ASSERT_EQ(c["summary"]["districts"].size(), 1u);
  EXPECT_EQ(c["summary"]["districts"][0]["code"], testdb::kDistrict);
  EXPECT_EQ(c["summary"]["totals"], json({{"confirmed", 1},
                                          {"asymptomatic", 0},
                                          {"suspected", 0},
                                          {"close_contacts", 1},
                                          {"measures", 1},
                                          {"tip_offs", 1}}));

  // The file the route gives verifies; any change to it does not.
  json file = {{"certificate", c},
               {"signature", certificate->signature},
               {"public_key", certificate->public_key}};
  auto key_id = VerifyCertificateFile(file.dump());
  ASSERT_TRUE(key_id.has_value()) << key_id.error().message();
  EXPECT_EQ(*key_id, c["key_id"]);
  EXPECT_EQ(key_id->size(), 16u);
  json altered = file;
  altered["certificate"]["tables"]["people"] = 1;
  EXPECT_EQ(VerifyCertificateFile(altered.dump()).error().code(), StatusCode::kInvalidArgument);
  // Re-signed by another key that keeps the old key id: the id gives it away.
  auto other = SigningKey::LoadOrCreate(dir_.File("other.key"));
  ASSERT_TRUE(other.has_value());
  altered["signature"] = other->Sign(altered["certificate"].dump());
  altered["public_key"] = other->public_key();
  auto forged = VerifyCertificateFile(altered.dump());
  ASSERT_FALSE(forged.has_value());
  EXPECT_NE(forged.error().message().find("signed by key"), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat(key_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(purges_->Decide(admin2_, asked->id, true, "").error().code(),
            StatusCode::kFailedPrecondition);  // done already
}

TEST_F(PurgeTest, TheRequestNeedsAReasonThePhraseAndACityWideAdministrator) {
  EXPECT_EQ(purges_->Request(admin_, "结束", std::string(kConfirmation)).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(purges_->Request(admin_, "本轮疫情已结束", "销毁").error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      purges_->Request(commander_, "本轮疫情已结束", std::string(kConfirmation)).error().code(),
      StatusCode::kPermissionDenied);
  auto first = purges_->Request(admin_, "本轮疫情已结束", std::string(kConfirmation));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(purges_->Request(admin2_, "再申请一次", std::string(kConfirmation)).error().code(),
            StatusCode::kFailedPrecondition);
  // A rejection needs a note, and deletes nothing.
  EXPECT_EQ(purges_->Decide(admin2_, first->id, false, "").error().code(),
            StatusCode::kInvalidArgument);
  auto rejected = purges_->Decide(admin2_, first->id, false, "疫情尚未结束");
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 2);
  EXPECT_EQ(purges_->GetCertificate(admin_, first->id).error().code(), StatusCode::kNotFound);
}

TEST_F(PurgeTest, AKeyOthersCanReadStopsThePurgeBeforeAnythingIsDeleted) {
  auto key = SigningKey::LoadOrCreate(key_path_);
  ASSERT_TRUE(key.has_value()) << key.error().message();
  ASSERT_EQ(::chmod(key_path_.c_str(), 0644), 0);
  auto asked = purges_->Request(admin_, "本轮疫情已结束", std::string(kConfirmation));
  ASSERT_TRUE(asked.has_value());
  auto refused = purges_->Decide(commander_, asked->id, true, "");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message().find("0600"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 2);
  EXPECT_EQ(Count("SELECT status = 'pending' FROM purges WHERE id = ?", {asked->id}), 1);
}

}  // namespace
}  // namespace cordon::purges
