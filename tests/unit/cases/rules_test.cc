// Pure rules of cases: the look-back start, the clock's legs at their boundaries, loops in
// who-infected-whom, generations of a cluster's chain, date ranges.
#include "cases/rules.h"

#include <gtest/gtest.h>

namespace cordon::cases {
namespace {

using std::chrono::April;
using std::chrono::day;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
// 2022-04-30 00:00 +08:00 = 2022-04-29 16:00 UTC.
constexpr std::int64_t kApril30Local = 1651276800 - 8 * kHour;

TEST(CasesRulesTest, CodesAndTheirChineseWords) {
  EXPECT_TRUE(IsClassification("confirmed"));
  EXPECT_TRUE(IsClassification("asymptomatic"));
  EXPECT_FALSE(IsClassification("Confirmed"));
  EXPECT_FALSE(IsClassification(""));
  EXPECT_TRUE(IsOutcome("excluded"));
  EXPECT_FALSE(IsOutcome("cured"));
  EXPECT_TRUE(IsEntryKind("travel"));
  EXPECT_FALSE(IsEntryKind("venue"));
  EXPECT_TRUE(IsExposureKind("co_presence"));
  EXPECT_FALSE(IsExposureKind("airborne"));
  EXPECT_EQ(Chinese("confirmed"), "确诊病例");
  EXPECT_EQ(Chinese("household"), "家庭接触");
  EXPECT_EQ(Chinese("something"), "something");
}

TEST(CasesRulesTest, LookbackIsFourDaysBeforeOnsetElseSamplingElsePositive) {
  const year_month_day onset{year{2022}, April, day{30}};
  const std::int64_t sampling = kApril30Local + 2 * kDay + 10 * kHour;
  const std::int64_t positive = sampling + 12 * kHour;
  // The onset date counts from local midnight, whatever the times.
  EXPECT_EQ(LookbackFrom(onset, sampling, positive, {}), kApril30Local - 4 * kDay);
  EXPECT_EQ(LookbackFrom(std::nullopt, sampling, positive, {}), sampling - 4 * kDay);
  EXPECT_EQ(LookbackFrom(std::nullopt, 0, positive, {}), positive - 4 * kDay);
  // In another offset the same date starts at another instant.
  EXPECT_EQ(LookbackFrom(onset, 0, positive, base::UtcOffset{std::chrono::minutes(0)}),
            kApril30Local + 8 * kHour - 4 * kDay);
}

TEST(CasesRulesTest, ALegIsOkUpToItsDeadlineAndLateAfter) {
  const std::int64_t positive = 1'700'000'000;
  const std::int64_t deadline = positive + 2 * kHour;
  EXPECT_EQ(LegState(positive, deadline, 2, deadline + 100), Leg::kOk);
  EXPECT_EQ(LegState(positive, deadline + 1, 2, deadline + 100), Leg::kLate);
  EXPECT_EQ(LegState(positive, positive, 2, positive), Leg::kOk);
  // Not done: pending until the deadline, included; late one second after.
  EXPECT_EQ(LegState(positive, 0, 2, deadline), Leg::kPending);
  EXPECT_EQ(LegState(positive, 0, 2, deadline + 1), Leg::kLate);
  // Done late stays late however the clock moves.
  EXPECT_EQ(LegState(positive, deadline + 1, 2, positive), Leg::kLate);
}

TEST(CasesRulesTest, TheClockMeasuresEachLegFromThePositiveResult) {
  Case c;
  c.positive_at = 1'700'000'000;
  c.reported_at = c.positive_at + kHour;
  c.contacts_listed_at = c.positive_at + 13 * kHour;
  const ClockTargets targets;  // 2, 12, 24 h
  Clock clock = ClockOf(c, targets, c.positive_at + 20 * kHour);
  EXPECT_EQ(clock.reported, Leg::kOk);
  EXPECT_EQ(clock.listed, Leg::kLate);
  EXPECT_EQ(clock.controlled, Leg::kPending);
  EXPECT_TRUE(IsLate(clock));
  clock = ClockOf(c, targets, c.positive_at + 24 * kHour + 1);
  EXPECT_EQ(clock.controlled, Leg::kLate);
  c.contacts_listed_at = c.positive_at + 12 * kHour;
  c.contacts_controlled_at = c.positive_at + 24 * kHour;
  clock = ClockOf(c, targets, c.positive_at + 30 * kHour);
  EXPECT_FALSE(IsLate(clock));
  EXPECT_EQ(LegName(clock.controlled), "ok");
  EXPECT_EQ(LegName(Leg::kLate), "late");
  EXPECT_EQ(LegName(Leg::kPending), "pending");
}

TEST(CasesRulesTest, ALinkBackAlongTheChainIsALoopShownFromItsSource) {
  const std::vector<Link> chain = {{1, 2}, {2, 3}, {3, 4}, {2, 5}};
  EXPECT_TRUE(LoopThrough(chain, 1, 6).empty());
  EXPECT_TRUE(LoopThrough(chain, 5, 4).empty());  // a second source is not a loop
  EXPECT_EQ(LoopThrough(chain, 4, 1), (std::vector<std::int64_t>{4, 1, 2, 3, 4}));
  EXPECT_EQ(LoopThrough(chain, 2, 1), (std::vector<std::int64_t>{2, 1, 2}));
  EXPECT_EQ(LoopThrough(chain, 7, 7), (std::vector<std::int64_t>{7, 7}));
  EXPECT_TRUE(LoopThrough({}, 1, 2).empty());
}

TEST(CasesRulesTest, ALoopIsFoundThroughTheShortestWayBack) {
  const std::vector<Link> links = {{10, 11}, {11, 12}, {12, 13}, {13, 14}, {10, 14}};
  EXPECT_EQ(LoopThrough(links, 14, 10), (std::vector<std::int64_t>{14, 10, 14}));
}

TEST(CasesRulesTest, GenerationsCountFromTheCasesWithNoSourceInTheCluster) {
  const std::vector<std::int64_t> members = {1, 2, 3, 4, 5, 6};
  const std::vector<Link> links = {
      {1, 2},  {1, 3}, {2, 4}, {3, 5}, {4, 5},  // 5 has two sources: the shorter chain counts
      {99, 6},                                  // a source outside the cluster
      {6, 98},                                  // and a target outside it
  };
  const auto g = Generations(members, links);
  EXPECT_EQ(g.at(1), 0);
  EXPECT_EQ(g.at(2), 1);
  EXPECT_EQ(g.at(3), 1);
  EXPECT_EQ(g.at(4), 2);
  EXPECT_EQ(g.at(5), 2);
  EXPECT_EQ(g.at(6), 0);
  EXPECT_FALSE(g.contains(99));
  EXPECT_FALSE(g.contains(98));
}

TEST(CasesRulesTest, MembersReachableOnlyThroughALoopHaveNoGeneration) {
  const auto g = Generations({1, 2, 3, 4}, {{1, 2}, {3, 4}, {4, 3}, {2, 2}});
  EXPECT_EQ(g.at(1), 0);
  EXPECT_EQ(g.at(2), 1);  // a self-link is ignored
  EXPECT_FALSE(g.contains(3));
  EXPECT_FALSE(g.contains(4));
}

TEST(CasesRulesTest, DateRangesHoldEveryDayAndRefuseBackwardsOrLongRanges) {
  const year_month_day from{year{2022}, April, day{28}};
  const year_month_day to{year{2022}, std::chrono::May, day{2}};
  auto days = DateRange(from, to, 366);
  ASSERT_TRUE(days.has_value());
  ASSERT_EQ(days->size(), 5u);
  EXPECT_EQ(base::FormatDate(days->at(2)), "2022-04-30");
  EXPECT_EQ(base::FormatDate(days->back()), "2022-05-02");
  auto backwards = DateRange(to, from, 366);
  ASSERT_FALSE(backwards.has_value());
  EXPECT_EQ(backwards.error().details().front().field, "to");
  EXPECT_TRUE(DateRange(from, to, 5).has_value());
  EXPECT_FALSE(DateRange(from, to, 4).has_value());
}

}  // namespace
}  // namespace cordon::cases
