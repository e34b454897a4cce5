#include "trace/contacts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace cordon::trace {
namespace {

namespace fs = std::filesystem;
using checkins::Checkin;

constexpr std::int64_t kNoon = 1'795'492'800;  // 2026-11-24 12:00 +08:00

ContactQuery Q(std::uint32_t person, std::uint32_t from, std::uint32_t to, int depth = 1) {
  ContactQuery q;
  q.person = person;
  q.from = from;
  q.to = to;
  q.depth = depth;
  return q;
}

class ContactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon-contacts-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Load(const std::vector<Checkin>& rows, bool seal) {
    checkins::StoreOptions options;
    options.dir = dir_.string();
    options.background = false;
    options.tail_rows = 64;
    options.now = [this] { return now_; };
    auto opened = checkins::CheckinStore::Open(options);
    ASSERT_TRUE(opened.has_value());
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Append(rows).ok());
    if (seal) {
      now_ = kNoon + 86'400;
      ASSERT_TRUE(store_->CloseDays().ok());
    }
  }

  fs::path dir_;
  std::int64_t now_ = kNoon;
  std::unique_ptr<checkins::CheckinStore> store_;
};

TEST_F(ContactsTest, TheWindowIsInclusiveAndTheIndexPersonIsNotTheirOwnContact) {
  const auto t = static_cast<std::uint32_t>(kNoon - 7200);
  Load({{7, t, 1}, {7, t + 1800, 2}, {7, t - 1800, 3}, {7, t + 1801, 4}, {8, t, 5}, {7, t + 5, 1}},
       false);
  VenueRules rules;
  auto result = FindContacts(*store_->snapshot(), rules, Q(1, t, t));
  ASSERT_EQ(result.close.size(), 2U);
  EXPECT_EQ(result.close[0].person, 2U);
  EXPECT_EQ(result.close[1].person, 3U);
  EXPECT_EQ(result.close[0].evidence[0].venue, 7U);
  EXPECT_EQ(result.close[0].evidence[0].index_time, t);
  EXPECT_EQ(result.close[0].evidence[0].contact_time, t + 1800);
  // The index check-in must lie in [from, to]: at t + 5 it does not, so person 4 is not met.
  EXPECT_TRUE(result.secondary.empty());
}

TEST_F(ContactsTest, CompanionOnlyVenuesMakeCompanionsNotCloseContacts) {
  const auto t = static_cast<std::uint32_t>(kNoon - 7200);
  Load({{1, t, 10}, {1, t + 60, 11}, {2, t + 600, 10}, {2, t + 620, 12}, {1, t + 100, 12}}, false);
  VenueRules rules;
  rules.Set(1, {.window_seconds = 300, .companion_only = true});
  auto result = FindContacts(*store_->snapshot(), rules, Q(10, 0, UINT32_MAX));
  ASSERT_EQ(result.close.size(), 1U);
  EXPECT_EQ(result.close[0].person, 12U);   // met at venue 2, a restaurant
  ASSERT_EQ(result.companions.size(), 1U);  // 12 is a close contact, so only 11 is a companion
  EXPECT_EQ(result.companions[0].person, 11U);
  EXPECT_EQ(result.companions[0].degree, 0);
}

TEST_F(ContactsTest, SecondaryContactsCountOnlyFromWhenTheyMetTheCase) {
  const auto t = static_cast<std::uint32_t>(kNoon - 20'000);
  // 2 met the case (1) at t; earlier, 2 had met 3; later 2 met 4.
  Load({{5, t, 1},
        {5, t + 10, 2},
        {6, t - 9000, 2},
        {6, t - 9000, 3},
        {7, t + 9000, 2},
        {7, t + 9100, 4}},
       false);
  VenueRules rules;
  auto result = FindContacts(*store_->snapshot(), rules, Q(1, t, t + 20'000, 2));
  ASSERT_EQ(result.close.size(), 1U);
  EXPECT_EQ(result.close[0].person, 2U);
  ASSERT_EQ(result.secondary.size(), 1U) << "3 was met before 2 met the case";
  EXPECT_EQ(result.secondary[0].person, 4U);
  EXPECT_EQ(result.secondary[0].evidence[0].via, 2U);
  // With depth 1 there is no second ring.
  EXPECT_TRUE(FindContacts(*store_->snapshot(), rules, Q(1, t, t + 20'000)).secondary.empty());
}

TEST_F(ContactsTest, NamedContactsAreDegreeOneWithTheirOwnEvidence) {
  const auto t = static_cast<std::uint32_t>(kNoon - 7200);
  Load({{5, t, 1}}, false);
  VenueRules rules;
  ContactQuery q = Q(1, t - 100, t);
  q.named.push_back({.person = 9, .kind = ContactKind::kHousehold, .time = t - 100});
  auto result = FindContacts(*store_->snapshot(), rules, q);
  ASSERT_EQ(result.close.size(), 1U);
  EXPECT_EQ(result.close[0].kind, ContactKind::kHousehold);
  EXPECT_EQ(result.close[0].evidence[0].venue, 0U);
}

// The engine against a scan of every pair, on random small cities, sealed and open.
using Key = std::tuple<std::uint32_t, int, std::uint32_t, std::uint32_t, std::uint32_t>;

std::set<Key> BruteForce(const std::vector<Checkin>& rows,
                         const std::map<std::uint32_t, VenueRule>& rule_of, std::uint32_t x,
                         std::uint32_t from, std::uint32_t to, int depth) {
  auto rule = [&](std::uint32_t v) { return rule_of.contains(v) ? rule_of.at(v) : VenueRule{}; };
  std::set<Key> out;
  std::map<std::uint32_t, std::uint32_t> first;  // degree-1 person -> earliest contact time
  for (const Checkin& a : rows) {
    if (a.person != x || a.time < from || a.time > to || rule(a.venue).companion_only) {
      continue;
    }
    for (const Checkin& b : rows) {
      std::int64_t gap = static_cast<std::int64_t>(b.time) - a.time;
      if (b.person != x && b.venue == a.venue && std::abs(gap) <= rule(a.venue).window_seconds) {
        out.insert({b.person, 1, a.venue, a.time, b.time});
        auto [it, _] = first.try_emplace(b.person, b.time);
        it->second = std::min(it->second, b.time);
      }
    }
  }
  if (depth < 2) {
    return out;
  }
  for (const auto& [c, start] : first) {
    for (const Checkin& a : rows) {
      if (a.person != c || a.time < start || a.time > to || rule(a.venue).companion_only) {
        continue;
      }
      for (const Checkin& b : rows) {
        std::int64_t gap = static_cast<std::int64_t>(b.time) - a.time;
        if (b.person != x && b.person != c && !first.contains(b.person) && b.venue == a.venue &&
            std::abs(gap) <= rule(a.venue).window_seconds) {
          out.insert({b.person, 2, a.venue, a.time, b.time});
        }
      }
    }
  }
  return out;
}

TEST_F(ContactsTest, MatchesABruteForceScanOnRandomCities) {
  std::mt19937 rng(2022);
  for (int round = 0; round < 12; ++round) {
    const bool seal = round % 2 == 1;
    std::vector<Checkin> rows;
    const auto start = static_cast<std::uint32_t>(kNoon - std::int64_t{3} * 86'400);
    rows.reserve(1500);
    for (int i = 0; i < 1500; ++i) {
      rows.push_back({1 + static_cast<std::uint32_t>(rng() % 15),
                      start + static_cast<std::uint32_t>(rng() % (3 * 86'400 + 3600)),
                      1 + static_cast<std::uint32_t>(rng() % 120)});
    }
    fs::remove_all(dir_);
    now_ = kNoon;
    Load(rows, seal);
    std::map<std::uint32_t, VenueRule> rule_of = {
        {3, {600, false}}, {4, {300, true}}, {5, {3600, false}}};
    VenueRules rules;
    for (const auto& [v, r] : rule_of) {
      rules.Set(v, r);
    }
    for (int q = 0; q < 10; ++q) {
      const std::uint32_t x = 1 + rng() % 120;
      const std::uint32_t from = start + rng() % 86'400;
      const std::uint32_t to = from + rng() % 86'400;
      auto result = FindContacts(*store_->snapshot(), rules, Q(x, from, to, 2));
      std::set<Key> got;
      for (const auto* list : {&result.close, &result.secondary}) {
        for (const Contact& c : *list) {
          for (const Evidence& e : c.evidence) {
            got.insert({c.person, c.degree, e.venue, e.index_time, e.contact_time});
          }
        }
      }
      ASSERT_EQ(got, BruteForce(rows, rule_of, x, from, to, 2))
          << "round " << round << " query " << q;
    }
  }
}

TEST_F(ContactsTest, AClusterListsEachPersonOnceWithTheClosestLink) {
  const auto t = static_cast<std::uint32_t>(kNoon - 7200);
  // Cases 1 and 2. 3 met case 1 at a gap of 1,000 s and case 2 at a gap of 10 s.
  Load({{5, t, 1}, {5, t + 1000, 3}, {6, t + 3000, 2}, {6, t + 3010, 3}, {6, t + 3500, 1}}, false);
  VenueRules rules;
  std::vector<ContactQuery> queries = {Q(1, 0, UINT32_MAX), Q(2, 0, UINT32_MAX)};
  auto result = FindContactsOfCluster(*store_->snapshot(), rules, queries);
  ASSERT_EQ(result.close.size(), 1U) << "cases are not their own contacts";
  EXPECT_EQ(result.close[0].person, 3U);
  EXPECT_EQ(result.close[0].index_person, 2U);
}

}  // namespace
}  // namespace cordon::trace
