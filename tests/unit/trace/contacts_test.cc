#include "trace/contacts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "trace/secondary.h"

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
  EXPECT_EQ(result.secondary[0].first.via, 2U);
  EXPECT_EQ(result.secondary[0].first.contact_time, t + 9100);
  EXPECT_EQ(result.secondary[0].meetings, 1U);
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
using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
using Meeting = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t,
                           std::uint32_t>;  // person, venue, index time, contact time, via

struct Expected {
  std::set<Key> close;         // person, venue, index time, contact time
  std::set<Meeting> meetings;  // behind the secondary contacts
};

Expected BruteForce(const std::vector<Checkin>& rows,
                    const std::map<std::uint32_t, VenueRule>& rule_of, std::uint32_t x,
                    std::uint32_t from, std::uint32_t to) {
  auto rule = [&](std::uint32_t v) { return rule_of.contains(v) ? rule_of.at(v) : VenueRule{}; };
  Expected out;
  std::map<std::uint32_t, std::uint32_t> first;  // degree-1 person -> earliest contact time
  for (const Checkin& a : rows) {
    if (a.person != x || a.time < from || a.time > to || rule(a.venue).companion_only) {
      continue;
    }
    for (const Checkin& b : rows) {
      std::int64_t gap = static_cast<std::int64_t>(b.time) - a.time;
      if (b.person != x && b.venue == a.venue && std::abs(gap) <= rule(a.venue).window_seconds) {
        out.close.insert({b.person, a.venue, a.time, b.time});
        auto [it, _] = first.try_emplace(b.person, b.time);
        it->second = std::min(it->second, b.time);
      }
    }
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
          out.meetings.insert({b.person, a.venue, a.time, b.time, c});
        }
      }
    }
  }
  return out;
}

std::uint32_t GapOf(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

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
      const Expected expected = BruteForce(rows, rule_of, x, from, to);
      std::set<Meeting> sunk;
      const MeetingSink sink = [&](std::uint32_t person, const Evidence& e) {
        EXPECT_TRUE(sunk.insert({person, e.venue, e.index_time, e.contact_time, e.via}).second)
            << "a meeting reported twice";
      };
      ContactQuery query = Q(x, from, to, 2);
      query.secondary_meetings = &sink;
      auto result = FindContacts(*store_->snapshot(), rules, query);
      std::set<Key> close;
      for (const Contact& c : result.close) {
        for (const Evidence& e : c.evidence) {
          close.insert({c.person, e.venue, e.index_time, e.contact_time});
        }
      }
      ASSERT_EQ(close, expected.close) << "round " << round << " query " << q;
      ASSERT_EQ(sunk, expected.meetings) << "round " << round << " query " << q;
      // Each secondary contact: how many meetings, the earliest (then nearest, lowest venue,
      // earliest index check-in, lowest close contact) and the shortest gap.
      std::map<std::uint32_t, std::vector<Evidence>> by_person;
      for (const auto& [person, venue, index_time, contact_time, via] : expected.meetings) {
        by_person[person].push_back({venue, index_time, contact_time, via});
      }
      ASSERT_EQ(result.secondary.size(), by_person.size()) << "round " << round << " query " << q;
      for (const SecondaryContact& c : result.secondary) {
        ASSERT_TRUE(by_person.contains(c.person));
        const auto& all = by_person.at(c.person);
        auto key = [](const Evidence& e) {
          return std::tuple(e.contact_time, GapOf(e.index_time, e.contact_time), e.venue,
                            e.index_time, e.via);
        };
        const Evidence& earliest = *std::ranges::min_element(
            all, [&](const auto& a, const auto& b) { return key(a) < key(b); });
        EXPECT_EQ(c.meetings, all.size()) << "person " << c.person;
        EXPECT_EQ(key(c.first), key(earliest)) << "person " << c.person;
        EXPECT_EQ(c.index_person, x);
        std::uint32_t nearest = UINT32_MAX;
        for (const Evidence& e : all) {
          nearest = std::min(nearest, GapOf(e.index_time, e.contact_time));
        }
        EXPECT_EQ(c.nearest_gap, nearest) << "person " << c.person;
      }
      ASSERT_TRUE(std::ranges::is_sorted(result.secondary, {}, &SecondaryContact::person));
      ASSERT_EQ(result.secondary_people.size(), result.secondary.size());

      // On two threads (forced however few the triggers), the same people and descriptions.
      std::vector<CloseStart> starts;
      for (const Contact& c : result.close) {
        starts.push_back({c.person, c.first});
      }
      const SecondarySweep split(*store_->snapshot(), rules, x, starts, to, 1);
      const std::vector<std::uint32_t> people = split.People();
      ASSERT_EQ(people, result.secondary_people) << "round " << round << " query " << q;
      // Described through each person's check-ins (the default for a page) and by a sweep.
      for (std::size_t by_trajectory : {std::size_t{4'096}, std::size_t{0}}) {
        std::set<Meeting> heard;
        const MeetingSink hear = [&](std::uint32_t person, const Evidence& e) {
          heard.insert({person, e.venue, e.index_time, e.contact_time, e.via});
        };
        const std::vector<SecondaryContact> described =
            split.Describe(people, &hear, by_trajectory);
        EXPECT_EQ(heard, expected.meetings) << "by_trajectory " << by_trajectory;
        ASSERT_EQ(described.size(), result.secondary.size());
        for (std::size_t i = 0; i < described.size(); ++i) {
          EXPECT_EQ(described[i].meetings, result.secondary[i].meetings);
          EXPECT_EQ(described[i].nearest_gap, result.secondary[i].nearest_gap);
          EXPECT_EQ(described[i].first.contact_time, result.secondary[i].first.contact_time);
          EXPECT_EQ(described[i].first.index_time, result.secondary[i].first.index_time);
          EXPECT_EQ(described[i].first.via, result.secondary[i].first.via);
        }
        const std::vector<SecondaryContact> on_two = split.Describe(people, nullptr, by_trajectory);
        for (std::size_t i = 0; i < on_two.size(); ++i) {
          EXPECT_EQ(on_two[i].meetings, result.secondary[i].meetings);
          EXPECT_EQ(on_two[i].first.via, result.secondary[i].first.via);
        }
      }

      // A page: all still counted, three described from just above a person in the middle.
      if (result.secondary.size() > 4) {
        ContactQuery page = Q(x, from, to, 2);
        const std::size_t start_at = result.secondary.size() / 2;
        page.secondary_after = result.secondary[start_at - 1].person;
        page.secondary_described = 3;
        auto paged = FindContacts(*store_->snapshot(), rules, page);
        EXPECT_EQ(paged.secondary_people, result.secondary_people);
        ASSERT_EQ(paged.secondary.size(),
                  std::min<std::size_t>(3, result.secondary.size() - start_at));
        for (std::size_t i = 0; i < paged.secondary.size(); ++i) {
          const SecondaryContact& want = result.secondary[start_at + i];
          const SecondaryContact& got = paged.secondary[i];
          EXPECT_EQ(got.person, want.person);
          EXPECT_EQ(got.meetings, want.meetings);
          EXPECT_EQ(got.nearest_gap, want.nearest_gap);
          EXPECT_EQ(got.first.contact_time, want.first.contact_time);
          EXPECT_EQ(got.first.via, want.first.via);
        }
      }
    }
  }
}

// A cluster against a scan of every pair: each person once, with the closest link.
TEST_F(ContactsTest, AClusterMatchesABruteForceScanOnRandomCities) {
  std::mt19937 rng(2020);
  for (int round = 0; round < 8; ++round) {
    std::vector<Checkin> rows;
    rows.reserve(3000);
    const auto start = static_cast<std::uint32_t>(kNoon - std::int64_t{2} * 86'400);
    for (int i = 0; i < 3000; ++i) {
      rows.push_back({1 + static_cast<std::uint32_t>(rng() % 10),
                      start + static_cast<std::uint32_t>(rng() % 172'800),
                      1 + static_cast<std::uint32_t>(rng() % 80)});
    }
    fs::remove_all(dir_);
    now_ = kNoon;
    Load(rows, round % 2 == 1);
    const std::map<std::uint32_t, VenueRule> rule_of = {{3, {600, false}}, {4, {300, true}}};
    VenueRules rules;
    for (const auto& [v, r] : rule_of) {
      rules.Set(v, r);
    }
    auto rule = [&](std::uint32_t v) { return rule_of.contains(v) ? rule_of.at(v) : VenueRule{}; };
    std::vector<ContactQuery> queries;
    std::set<std::uint32_t> cases;
    for (int q = 0; q < 6; ++q) {
      const std::uint32_t from = start + rng() % 86'400;
      queries.push_back(Q(1 + rng() % 80, from, from + rng() % 86'400));
      cases.insert(queries.back().person);
    }
    // person -> (rank, evidence) of the closest link
    using Rank =
        std::tuple<int, std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
    std::map<std::uint32_t, Rank> best;
    for (const ContactQuery& q : queries) {
      for (const Checkin& a : rows) {
        if (a.person != q.person || a.time < q.from || a.time > q.to) {
          continue;
        }
        for (const Checkin& b : rows) {
          const std::uint32_t gap = GapOf(a.time, b.time);
          if (b.venue != a.venue || gap > rule(a.venue).window_seconds ||
              cases.contains(b.person)) {
            continue;
          }
          const Rank r{
              rule(a.venue).companion_only ? 3 : 1, gap, q.person, b.time, a.venue, a.time};
          auto [it, fresh] = best.try_emplace(b.person, r);
          if (!fresh && r < it->second) {
            it->second = r;
          }
        }
      }
    }
    ASSERT_GT(best.size(), 20U) << "a city where the cases meet people";
    for (std::size_t parallel_from : {std::size_t{1}, std::size_t{1'000'000}}) {
      auto result = FindContactsOfCluster(*store_->snapshot(), rules, queries, parallel_from);
      std::map<std::uint32_t, Rank> got;
      for (const auto* list : {&result.close, &result.companions}) {
        ASSERT_TRUE(std::ranges::is_sorted(*list, {}, &ClusterLink::person));
        for (const ClusterLink& c : *list) {
          const Evidence& e = c.evidence;
          EXPECT_EQ(e.via, c.index_person);
          EXPECT_EQ(c.gap, GapOf(e.index_time, e.contact_time));
          EXPECT_TRUE(got.try_emplace(c.person, Rank{c.degree == 0 ? 3 : 1, c.gap, c.index_person,
                                                     e.contact_time, e.venue, e.index_time})
                          .second)
              << "person " << c.person << " listed twice";
        }
      }
      ASSERT_EQ(got, best) << "round " << round << " parallel_from " << parallel_from;
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
