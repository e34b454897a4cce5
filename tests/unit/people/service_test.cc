// Person files through PeopleService (security.md A1, A2, A7, B1, C1, C4) on a real SQLite
// database: jurisdiction in every read, 404 for out-of-scope ids, audited reads and reveals.
#include "people/service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "../store/test_database.h"
#include "base/id_number.h"

namespace cordon::people {
namespace {

auth::Principal MakePrincipal(std::string username, auth::Role role, std::string code,
                              std::string path) {
  auth::Principal p;
  p.user.id = 1;
  p.user.username = std::move(username);
  p.user.role = role;
  p.user.region_code = std::move(code);
  p.region_path = std::move(path);
  p.ip = "10.0.0.1";
  p.request_id = "req";
  return p;
}

// A valid resident ID: 440106, born 1990-01-01, sequence `seq` (odd male, even female).
std::string ResidentId(int seq) {
  std::string first17 = "44010619900101" + std::string(seq < 10 ? "00" : "0") + std::to_string(seq);
  return first17 + base::GbCheckCharacter(first17);
}

std::string Phone(int seq) {
  return "138001380" + std::string(seq < 10 ? "0" : "") + std::to_string(seq);
}

std::vector<std::int64_t> Ids(const std::vector<Person>& people) {
  std::vector<std::int64_t> ids;
  ids.reserve(people.size());
  for (const auto& p : people) {
    ids.push_back(p.id);
  }
  return ids;
}

class PeopleServiceTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    audit_ = std::make_unique<auth::AuditLog>(*db_, clock_);
    people_ = std::make_unique<PeopleService>(*db_, *audit_, clock_, base::UtcOffset{});
    for (int i = 1; i <= 7; ++i) {
      const bool in_g1 = i <= 5;
      PersonInput in;
      in.id_number = ResidentId(i);
      in.name = std::string(in_g1 ? "张" : "李") + std::to_string(i);
      in.phone = Phone(i);
      in.address = "天河区体育西路 " + std::to_string(i) + " 号";
      in.region = in_g1 ? testdb::kG1 : testdb::kG2;
      auto created = people_->Create(admin_, in);
      ASSERT_TRUE(created.has_value()) << created.error().message();
      (in_g1 ? g1_ids_ : g2_ids_).push_back(created->id);
    }
  }

  // Rows of the audit table with this action and object id.
  std::int64_t AuditRows(const std::string& action, const std::string& object_id) {
    return Count("SELECT COUNT(*) FROM audit WHERE action = ? AND object_id = ?",
                 {action, object_id});
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<PeopleService> people_;
  auth::Principal admin_ =
      MakePrincipal("admin", auth::Role::kAdmin, testdb::kCity, testdb::kCityPath);
  auth::Principal g1_ =
      MakePrincipal("g1worker", auth::Role::kGridWorker, testdb::kG1, testdb::kG1Path);
  std::vector<std::int64_t> g1_ids_;
  std::vector<std::int64_t> g2_ids_;
};

TEST_F(PeopleServiceTest, GetOutsideJurisdictionIsNotFoundAndAudited) {
  const std::int64_t g2_person = g2_ids_[0];
  auto r = people_->Get(g1_, g2_person);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditRows("authz_denied", std::to_string(g2_person)), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'authz_denied' AND actor = "
                  "'g1worker' AND outcome = 'denied' AND object_type = 'person'"),
            1);
}

TEST_F(PeopleServiceTest, MissingIdAnswersExactlyLikeADeniedOne) {
  auto denied = people_->Get(g1_, g2_ids_[0]);
  auto missing = people_->Get(g1_, 999'999);
  ASSERT_FALSE(denied.has_value());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.error().code(), denied.error().code());
  EXPECT_EQ(missing.error().message(), denied.error().message());
  EXPECT_EQ(missing.error().details().size(), denied.error().details().size());
  EXPECT_EQ(AuditRows("authz_denied", "999999"), 0);  // nothing was there to deny
}

TEST_F(PeopleServiceTest, GetInsideJurisdictionIsAudited) {
  auto r = people_->Get(g1_, g1_ids_[0]);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->region_code, testdb::kG1);
  EXPECT_EQ(r->region_name, "第一网格");
  EXPECT_EQ(AuditRows("people.get", std::to_string(g1_ids_[0])), 1);
}

TEST_F(PeopleServiceTest, EachLevelSeesExactlyItsSubtree) {
  auto g2 = MakePrincipal("g2worker", auth::Role::kGridWorker, testdb::kG2, testdb::kG2Path);
  auto community = MakePrincipal("community", auth::Role::kCommander, testdb::kCommunity,
                                 testdb::kCommunityPath);
  std::vector<std::int64_t> all = g1_ids_;
  all.insert(all.end(), g2_ids_.begin(), g2_ids_.end());
  struct Case {
    const auth::Principal* who;
    std::vector<std::int64_t> expected;
  };
  for (const Case& c :
       {Case{&g1_, g1_ids_}, Case{&g2, g2_ids_}, Case{&community, all}, Case{&admin_, all}}) {
    auto found = people_->Search(*c.who, "", "", {{}, 50});
    ASSERT_TRUE(found.has_value()) << found.error().message();
    EXPECT_EQ(Ids(*found), c.expected) << c.who->user.username;
    for (std::int64_t id : all) {
      const bool visible = std::count(c.expected.begin(), c.expected.end(), id) > 0;
      EXPECT_EQ(people_->Get(*c.who, id).has_value(), visible) << c.who->user.username << " " << id;
    }
  }
}

TEST_F(PeopleServiceTest, SearchPagesByKeysetWithoutOverlapOrGaps) {
  std::vector<std::int64_t> seen;
  Page page{{}, 2};
  std::vector<std::size_t> sizes;
  for (int guard = 0; guard < 10; ++guard) {
    auto r = people_->Search(g1_, "", "", page);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    sizes.push_back(r->size());
    if (r->empty()) {
      break;
    }
    for (const auto& p : *r) {
      seen.push_back(p.id);
    }
    page.after = {r->back().region_path, r->back().id};
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1, 0}));
  EXPECT_EQ(seen, g1_ids_);  // every G1 person once, in id order (one grid: one region_path)
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'people.list'"), 4);
}

// Above a grid, pages follow (region_path, id): one grid after the other, even when a file made
// later in the first grid has a larger id than the second grid's.
TEST_F(PeopleServiceTest, PagesAboveAGridGoGridByGridWithoutOverlapOrGaps) {
  PersonInput late;
  late.id_number = ResidentId(8);
  late.name = "张8";
  late.region = testdb::kG1;
  auto made = people_->Create(admin_, late);
  ASSERT_TRUE(made.has_value()) << made.error().message();
  std::vector<std::int64_t> expected = g1_ids_;
  expected.push_back(made->id);
  expected.insert(expected.end(), g2_ids_.begin(), g2_ids_.end());
  std::vector<std::int64_t> seen;
  Page page{{}, 3};
  for (int guard = 0; guard < 10; ++guard) {
    auto r = people_->Search(admin_, "", testdb::kCommunity, page);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    if (r->empty()) {
      break;
    }
    for (const auto& p : *r) {
      seen.push_back(p.id);
    }
    page.after = {r->back().region_path, r->back().id};
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(PeopleServiceTest, SearchKindsStayInsideTheJurisdiction) {
  auto by_id = people_->Search(g1_, ResidentId(1), "", {{}, 50});
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(Ids(*by_id), std::vector<std::int64_t>{g1_ids_[0]});
  auto by_phone = people_->Search(g1_, Phone(2), "", {{}, 50});
  ASSERT_TRUE(by_phone.has_value());
  EXPECT_EQ(Ids(*by_phone), std::vector<std::int64_t>{g1_ids_[1]});
  auto by_name = people_->Search(g1_, "张3", "", {{}, 50});
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(Ids(*by_name), std::vector<std::int64_t>{g1_ids_[2]});
  auto by_address = people_->Search(g1_, "体育西路 4 号", "", {{}, 50});
  ASSERT_TRUE(by_address.has_value());
  EXPECT_EQ(Ids(*by_address), std::vector<std::int64_t>{g1_ids_[3]});

  // A G2 person's exact ID number, phone or name finds nothing for the G1 worker.
  for (const std::string& q : {ResidentId(6), Phone(7), std::string("李6")}) {
    auto r = people_->Search(g1_, q, "", {{}, 50});
    ASSERT_TRUE(r.has_value()) << q;
    EXPECT_TRUE(r->empty()) << q;
  }
}

TEST_F(PeopleServiceTest, SearchInARegionOutsideTheJurisdictionIsNotFound) {
  auto other = people_->Search(g1_, "", testdb::kG2, {{}, 50});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), StatusCode::kNotFound);
  auto unknown = people_->Search(g1_, "", "999999", {{}, 50});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message(), other.error().message());
  EXPECT_EQ(AuditRows("authz_denied", testdb::kG2), 1);

  auto own = people_->Search(g1_, "", testdb::kG1, {{}, 50});
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(Ids(*own), g1_ids_);
  auto narrowed = people_->Search(admin_, "", testdb::kG2, {{}, 50});
  ASSERT_TRUE(narrowed.has_value());
  EXPECT_EQ(Ids(*narrowed), g2_ids_);
}

TEST_F(PeopleServiceTest, RevealNeedsAReason) {
  for (std::string_view reason : {"", "核实"}) {  // none, or shorter than 4 characters
    auto r = people_->Reveal(g1_, g1_ids_[0], {"phone"}, reason);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(r.error().details().size(), 1u);
    EXPECT_EQ(r.error().details()[0].field, "reason");
  }
  auto bad_field = people_->Reveal(g1_, g1_ids_[0], {"birth_date"}, "流调核实电话");
  ASSERT_FALSE(bad_field.has_value());
  EXPECT_EQ(bad_field.error().details()[0].field, "fields");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'people.reveal'"), 0);
}

TEST_F(PeopleServiceTest, RevealReturnsTheValuesAndAuditsFieldsAndReason) {
  auto r = people_->Reveal(g1_, g1_ids_[0], {"phone", "id_number"}, "流调核实电话");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(r->at("phone"), Phone(1));
  EXPECT_EQ(r->at("id_number"), ResidentId(1));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'people.reveal' AND object_id = ? "
                  "AND fields = 'id_number,phone' AND reason = '流调核实电话' AND actor = "
                  "'g1worker'",
                  {std::to_string(g1_ids_[0])}),
            1);

  auto outside = people_->Reveal(g1_, g2_ids_[0], {"phone"}, "流调核实电话");
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditRows("authz_denied", std::to_string(g2_ids_[0])), 1);
}

TEST_F(PeopleServiceTest, RolesWithoutPeopleAccessAreDenied) {
  for (auth::Role role : {auth::Role::kAuditor, auth::Role::kLogistics, auth::Role::kInspector}) {
    auto who = MakePrincipal("x", role, testdb::kCity, testdb::kCityPath);
    EXPECT_EQ(people_->Get(who, g1_ids_[0]).error().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(people_->Search(who, "", "", {{}, 50}).error().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(people_->Reveal(who, g1_ids_[0], {"phone"}, "流调核实电话").error().code(),
              StatusCode::kPermissionDenied);
    PersonInput in;
    in.phone = "13900139000";
    in.version = 1;
    EXPECT_EQ(people_->Update(who, g1_ids_[0], in).error().code(), StatusCode::kPermissionDenied);
  }
}

TEST_F(PeopleServiceTest, UpdateWithAStaleVersionChangesNothing) {
  PersonInput first;
  first.phone = "13900139000";
  first.version = 1;
  auto updated = people_->Update(g1_, g1_ids_[0], first);
  ASSERT_TRUE(updated.has_value()) << updated.error().message();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'people.update' AND fields = "
                  "'phone' AND object_id = ?",
                  {std::to_string(g1_ids_[0])}),
            1);

  PersonInput stale;
  stale.phone = "13700137000";
  stale.name = "王五";
  stale.version = 1;
  auto r = people_->Update(g1_, g1_ids_[0], stale);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kFailedPrecondition);

  auto now = people_->Get(admin_, g1_ids_[0]);
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->phone, "13900139000");
  EXPECT_EQ(now->name, "张1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'people.update'"), 1);
}

TEST_F(PeopleServiceTest, UpdateCannotReachOrMoveOutsideTheJurisdiction) {
  PersonInput in;
  in.phone = "13900139000";
  in.version = 1;
  auto other = people_->Update(g1_, g2_ids_[0], in);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), StatusCode::kNotFound);

  PersonInput move;
  move.region = testdb::kG2;
  move.version = 1;
  auto moved = people_->Update(g1_, g1_ids_[0], move);
  ASSERT_FALSE(moved.has_value());
  EXPECT_EQ(moved.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(moved.error().details()[0].field, "region");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE region_code = ?", {std::string(testdb::kG2)}),
            2);
}

TEST_F(PeopleServiceTest, CreateChecksJurisdictionAndDuplicates) {
  PersonInput in;
  in.id_number = ResidentId(20);
  in.name = "赵六";
  in.region = testdb::kG2;
  auto outside = people_->Create(g1_, in);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(outside.error().details()[0].field, "region");

  in.id_number = ResidentId(1);  // already on file (in G1)
  in.region = testdb::kG1;
  auto duplicate = people_->Create(g1_, in);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 7);
}

// Regression test, fixed (src/people/service.cc Create/Update, src/store/sqlite/sqlite_database.cc
// Error): a household_id that does not exist reaches the INSERT, fails the FOREIGN KEY and comes
// back as kAlreadyExists ("sqlite: FOREIGN KEY constraint failed", HTTP 409).
TEST_F(PeopleServiceTest, CreateWithAnUnknownHouseholdNamesTheField) {
  PersonInput in;
  in.id_number = ResidentId(21);
  in.name = "赵七";
  in.region = testdb::kG1;
  in.household_id = 999;
  auto r = people_->Create(g1_, in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << r.error().message();
  ASSERT_EQ(r.error().details().size(), 1u);
  EXPECT_EQ(r.error().details()[0].field, "household_id");
}

// C1: a read or change whose audit row cannot be written fails, and the change is absent. The
// fault is injected with a trigger that refuses every audit INSERT.
TEST_F(PeopleServiceTest, AuditFailureFailsTheRequest) {
  ASSERT_TRUE(Exec("CREATE TRIGGER audit_fail BEFORE INSERT ON audit "
                   "BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END")
                  .ok());
  EXPECT_FALSE(people_->Get(g1_, g1_ids_[0]).has_value());
  EXPECT_FALSE(people_->Search(g1_, "", "", {{}, 50}).has_value());
  EXPECT_FALSE(people_->Reveal(g1_, g1_ids_[0], {"phone"}, "流调核实电话").has_value());
  PersonInput change;
  change.phone = "13900139000";
  change.version = 1;
  EXPECT_FALSE(people_->Update(g1_, g1_ids_[0], change).has_value());
  PersonInput in;
  in.id_number = ResidentId(22);
  in.name = "赵八";
  in.region = testdb::kG1;
  EXPECT_FALSE(people_->Create(g1_, in).has_value());

  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people WHERE phone_index = ? OR version <> 1",
                  {testdb::Fields()->Index(store::SealedField::kPhone, "13900139000")}),
            0);
}

// Regression test, fixed (src/people/service.cc Search, the authz_denied row for `region`): the
// region code comes from a URL parameter and is written to the audit row as given (only cut to 32
// bytes, which can also split a UTF-8 sequence). Control characters and invalid UTF-8 reach
// audit.object_id (security.md C4), and GET /api/v1/audit then fails: src/auth/routes.cc dumps the
// JSON with the strict UTF-8 handler, which throws, so one request poisons the auditor's view.
TEST_F(PeopleServiceTest, DeniedRegionIsAuditedAsCleanText) {
  auto r = people_->Search(g1_, "", "440106\n[FAKE] ok\xff", {{}, 50});
  ASSERT_FALSE(r.has_value());
  std::string object_id;
  ASSERT_TRUE(db_->Read([&](store::Session& s) {
                   return s.Query("SELECT object_id FROM audit WHERE action = 'authz_denied'", {},
                                  [&](const store::Row& row) {
                                    object_id = row.Text(0);
                                    return Status::Ok();
                                  });
                 })
                  .ok());
  for (char c : object_id) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << "raw byte " << static_cast<int>(byte);
  }
}

TEST_F(PeopleServiceTest, UserWithoutJurisdictionSeesNothing) {
  auto nowhere = MakePrincipal("floater", auth::Role::kEpidemiologist, "", "");
  auto list = people_->Search(nowhere, "", "", {{}, 50});
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->empty());
  auto by_id = people_->Search(nowhere, ResidentId(1), "", {{}, 50});
  ASSERT_TRUE(by_id.has_value());
  EXPECT_TRUE(by_id->empty());
  for (std::int64_t id : g1_ids_) {
    auto r = people_->Get(nowhere, id);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(people_->Search(nowhere, "", testdb::kG1, {{}, 50}).error().code(),
            StatusCode::kNotFound);
}

TEST_F(PeopleServiceTest, AuditRowsHoldIdentifiersOnly) {
  ASSERT_TRUE(people_->Get(g1_, g1_ids_[0]).has_value());
  ASSERT_TRUE(people_->Search(g1_, ResidentId(2), "", {{}, 50}).has_value());
  ASSERT_TRUE(people_->Search(g1_, Phone(3), "", {{}, 50}).has_value());
  ASSERT_TRUE(people_->Search(g1_, "张4", "", {{}, 50}).has_value());
  ASSERT_TRUE(people_->Reveal(g1_, g1_ids_[0], {"phone", "name"}, "流调核实电话").has_value());
  const std::string all_columns =
      "actor || role || scope || action || object_type || object_id || outcome || reason || "
      "fields || request_id || ip";
  for (int i = 1; i <= 7; ++i) {
    for (const std::string& value :
         {ResidentId(i), Phone(i), std::string(i <= 5 ? "张" : "李") + std::to_string(i)}) {
      EXPECT_EQ(
          Count("SELECT COUNT(*) FROM audit WHERE instr(" + all_columns + ", ?) > 0", {value}), 0)
          << value;
    }
  }
}

}  // namespace
}  // namespace cordon::people
