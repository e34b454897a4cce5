// The demo city's seeded outbreak against the engine: every planted meeting inside the window is
// found (recall), and every contact found is a true co-presence under the rule (precision), by a
// scan of all the rows the generator made.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "demo/checkins.h"
#include "trace/contacts.h"

namespace cordon::trace {
namespace {

namespace fs = std::filesystem;
using checkins::Checkin;

TEST(SeededOutbreakTest, TheEngineFindsEveryTrueContactAndNothingElse) {
  constexpr std::int64_t kNow = 1'795'492'800;
  std::vector<demo::DemoPerson> people;
  for (std::uint32_t i = 1; i <= 3000; ++i) {
    people.push_back({i, i % 12});
  }
  std::vector<demo::DemoVenue> venues;
  for (std::uint32_t v = 1; v <= 60; ++v) {
    // Every tenth venue is a station: companions only, ±5 minutes.
    venues.push_back({v, v % 12, v % 10 == 0 ? 300U : 1800U, v % 10 == 0});
  }
  std::vector<demo::DemoCase> cases;
  for (std::uint32_t c = 0; c < 12; ++c) {
    cases.push_back({100 + c * 37, kNow - static_cast<std::int64_t>(c) * 86'400 - 3600});
  }
  demo::CheckinPlanOptions options;
  options.now = kNow;
  options.days = 8;
  options.seed = 3;
  auto plan = demo::PlanCheckins(people, venues, cases, options);
  ASSERT_GT(plan.rows.size(), 60'000U);
  ASSERT_GE(plan.planted.size(), 60U);

  const fs::path dir =
      fs::temp_directory_path() / ("cordon-outbreak-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  checkins::StoreOptions store_options;
  store_options.dir = dir.string();
  store_options.background = false;
  store_options.now = [] { return kNow; };
  auto store = checkins::CheckinStore::Open(store_options);
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE((*store)->Append(plan.rows).ok());
  ASSERT_TRUE((*store)->CloseDays().ok());

  VenueRules rules;
  std::map<std::uint32_t, VenueRule> rule_of;
  for (const auto& v : venues) {
    rules.Set(v.id, {v.window_seconds, v.companion_only});
    rule_of[v.id] = {v.window_seconds, v.companion_only};
  }
  std::map<std::uint32_t, std::vector<Checkin>> at_venue;
  for (const Checkin& c : plan.rows) {
    at_venue[c.venue].push_back(c);
  }
  for (const auto& k : cases) {
    ContactQuery q;
    q.person = k.person;
    q.from = static_cast<std::uint32_t>(k.positive_at - std::int64_t{4} * 86'400);
    q.to = static_cast<std::uint32_t>(k.positive_at);
    auto result = FindContacts(*(*store)->snapshot(), rules, q);
    std::set<std::uint32_t> found;
    for (const Contact& c : result.close) {
      found.insert(c.person);
    }
    std::set<std::uint32_t> truth;
    for (const Checkin& own : plan.rows) {
      if (own.person != k.person || own.time < q.from || own.time > q.to ||
          rule_of[own.venue].companion_only) {
        continue;
      }
      for (const Checkin& other : at_venue[own.venue]) {
        const std::int64_t gap = static_cast<std::int64_t>(other.time) - own.time;
        if (other.person != k.person && std::abs(gap) <= rule_of[own.venue].window_seconds) {
          truth.insert(other.person);
        }
      }
    }
    EXPECT_EQ(found, truth) << "case " << k.person;
    for (const auto& m : plan.planted) {
      if (m.index_person != k.person || m.index_time < q.from || m.index_time > q.to) {
        continue;
      }
      if (m.inside) {
        EXPECT_TRUE(found.contains(m.contact_person)) << "planted contact " << m.contact_person;
      } else if (found.contains(m.contact_person)) {
        EXPECT_TRUE(truth.contains(m.contact_person)) << "a near miss counted";
      }
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cordon::trace
