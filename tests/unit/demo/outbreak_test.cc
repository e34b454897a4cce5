// The demo's seeded outbreak: a chain of three generations in one cluster over the last ten
// days, some legs of the clock late, the same every time from the same city, and told to the
// check-in generator through OutbreakCases.
#include "demo/outbreak.h"

#include <gtest/gtest.h>

#include <set>

#include "../store/test_database.h"
#include "cases/rules.h"
#include "cases/store.h"
#include "demo/store.h"
#include "sim/city.h"

namespace cordon::demo {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

class OutbreakTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    auto city = sim::GenerateCity({.population = 3000, .seed = 11});
    ASSERT_TRUE(city.has_value());
    city_ = std::move(*city);
    ASSERT_TRUE(LoadCity(*db_, city_, kNow, [](const std::string&) {}).ok());
  }
  sim::City city_;
};

TEST_F(OutbreakTest, AClusterOfThreeGenerationsWithSomeLegsLate) {
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cases"), 0);  // a small city starts without
  const Status loaded = LoadOutbreak(*db_, city_, kNow, [](const std::string&) {});
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  auto cases = OutbreakCases(*db_);
  ASSERT_TRUE(cases.has_value()) << cases.error().message();
  ASSERT_GE(cases->size(), 8u);
  ASSERT_LE(cases->size(), 15u);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT cluster_id) FROM cases"), 1);
  std::set<int> generations;
  for (const OutbreakCase& c : *cases) {
    generations.insert(c.generation);
    EXPECT_GE(c.positive_at, kNow - std::int64_t{10} * 86400);
    EXPECT_LT(c.positive_at, kNow);
    EXPECT_EQ(c.generation == 0, c.source_person_id == 0) << c.case_id;
    EXPECT_FALSE(c.visits.empty()) << c.case_id;
    EXPECT_LT(c.lookback_from, c.positive_at);
    if (c.source_person_id != 0 && !c.source_venue_code.empty()) {
      // The case was at the venue where it met its source.
      bool there = false;
      for (const auto& v : c.visits) {
        there = there || v.venue_code == c.source_venue_code;
      }
      EXPECT_TRUE(there) << c.case_id;
    }
  }
  EXPECT_EQ(generations, (std::set<int>{0, 1, 2}));
  EXPECT_EQ(cases->front().generation, 0);
  // Every case has a hospital measure, investigation entries, and the listed ones contacts.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM measures WHERE measure = 'hospital'"),
            static_cast<std::int64_t>(cases->size()));
  EXPECT_GE(Count("SELECT COUNT(*) FROM case_investigation"),
            2 * static_cast<std::int64_t>(cases->size()));
  EXPECT_GT(Count("SELECT COUNT(*) FROM case_contacts"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM cases WHERE contacts_listed_at IS NULL"), 0);

  int late = 0;
  int ok = 0;
  Status read = db_->Read([&](store::Session& s) -> Status {
    cases::CaseQuery q;
    q.limit = 100;
    CORDON_ASSIGN_OR_RETURN(auto list, cases::ListCases(s, {"/", "0"}, q, {}, kNow));
    for (auto& c : list) {
      const cases::Clock clock = cases::ClockOf(c, {}, kNow);
      late += cases::IsLate(clock) ? 1 : 0;
      ok += clock.reported == cases::Leg::kOk && clock.listed == cases::Leg::kOk ? 1 : 0;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_GT(late, 0);
  EXPECT_GT(ok, 0);
  // Once only.
  EXPECT_EQ(LoadOutbreak(*db_, city_, kNow, [](const std::string&) {}).code(),
            StatusCode::kAlreadyExists);
}

TEST_F(OutbreakTest, TheSameCityGivesTheSameOutbreak) {
  ASSERT_TRUE(LoadOutbreak(*db_, city_, kNow, [](const std::string&) {}).ok());
  auto first = OutbreakCases(*db_);
  testdb::TempDir dir;
  auto other = store::Open("sqlite:" + dir.File("other.db"));
  ASSERT_TRUE(other.has_value());
  (*other)->SetFieldCipher(testdb::Fields());
  ASSERT_TRUE(store::Migrate(**other).ok());
  ASSERT_TRUE(LoadCity(**other, city_, kNow, [](const std::string&) {}).ok());
  ASSERT_TRUE(LoadOutbreak(**other, city_, kNow, [](const std::string&) {}).ok());
  auto second = OutbreakCases(**other);
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_EQ(first->size(), second->size());
  for (std::size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].id_number, (*second)[i].id_number);
    EXPECT_EQ((*first)[i].positive_at, (*second)[i].positive_at);
    EXPECT_EQ((*first)[i].generation, (*second)[i].generation);
    EXPECT_EQ((*first)[i].visits.size(), (*second)[i].visits.size());
  }
}

}  // namespace
}  // namespace cordon::demo
