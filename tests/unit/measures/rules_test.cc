// Measure rules: test-day schedules, the first and last days of a plan, what blocks a release,
// and which transitions are allowed.
#include "measures/rules.h"

#include <gtest/gtest.h>

namespace cordon::measures {
namespace {

using std::chrono::year_month_day;
using namespace std::chrono_literals;

constexpr year_month_day kApril1{2022y / 4 / 1};

Measure SevenDaysFrom(std::string start, std::string tests = "1,4,7") {
  Measure m;
  m.id = 1;
  m.measure = "home_quarantine";
  m.state = "active";
  m.start_date = std::move(start);
  m.days = 7;
  m.test_days_spec = std::move(tests);
  return m;
}

void Negative(Measure& m, std::initializer_list<int> days) {
  for (int d : days) {
    m.tests.push_back({d, "", "negative", 1, "t"});
  }
}

// Found by fuzzing: a step near INT_MAX overflowed the day counter.
TEST(MeasureRulesTest, AHugeStepGivesTheFirstDayOnly) {
  EXPECT_EQ(*ParseTestDays("every 2147483647", 14), (std::vector<int>{1}));
}

TEST(MeasureRulesTest, TestDaysAreExplicitOrEveryNDays) {
  EXPECT_EQ(*ParseTestDays("1,2,3,5,7", 7), (std::vector<int>{1, 2, 3, 5, 7}));
  EXPECT_EQ(*ParseTestDays(" 7, 1 ,1", 7), (std::vector<int>{1, 7}));
  EXPECT_EQ(*ParseTestDays("every 2", 7), (std::vector<int>{1, 3, 5, 7}));
  EXPECT_EQ(*ParseTestDays("every 3", 7), (std::vector<int>{1, 4, 7}));
  EXPECT_TRUE(ParseTestDays("", 0)->empty());
  EXPECT_FALSE(ParseTestDays("0", 7).has_value());
  EXPECT_FALSE(ParseTestDays("8", 7).has_value());  // past the last day
  EXPECT_FALSE(ParseTestDays("1,x", 7).has_value());
  EXPECT_FALSE(ParseTestDays("every 0", 7).has_value());
}

TEST(MeasureRulesTest, DayOneIsTheFirstDayAndDayNTheLast) {
  EXPECT_EQ(DayIndex(kApril1, kApril1), 1);
  EXPECT_EQ(DayIndex(kApril1, year_month_day{2022y / 4 / 7}), 7);
  EXPECT_EQ(DayIndex(kApril1, year_month_day{2022y / 3 / 31}), 0);
  EXPECT_EQ(DateOfDay(kApril1, 7), (year_month_day{2022y / 4 / 7}));
  EXPECT_EQ(DateOfDay(year_month_day{2022y / 2 / 27}, 3), (year_month_day{2022y / 3 / 1}));
}

TEST(MeasureRulesTest, ASevenDayPlanIsNotOverOnDaySevenAndIsOnDayEight) {
  Measure m = SevenDaysFrom("2022-04-01");
  Negative(m, {1, 4, 7});
  auto on_day_7 = MissingForRelease(m, year_month_day{2022y / 4 / 7});
  ASSERT_TRUE(on_day_7.has_value());
  ASSERT_EQ(on_day_7->size(), 1u);
  EXPECT_NE((*on_day_7)[0].find("还差 1 天"), std::string::npos) << (*on_day_7)[0];
  auto on_day_8 = MissingForRelease(m, year_month_day{2022y / 4 / 8});
  ASSERT_TRUE(on_day_8.has_value());
  EXPECT_TRUE(on_day_8->empty());
}

TEST(MeasureRulesTest, EveryMissingOrPositiveTestIsNamed) {
  Measure m = SevenDaysFrom("2022-04-01");
  Negative(m, {1});
  m.tests.push_back({4, "", "positive", 1, "t"});
  auto missing = MissingForRelease(m, year_month_day{2022y / 4 / 10});
  ASSERT_TRUE(missing.has_value());
  ASSERT_EQ(missing->size(), 2u);
  EXPECT_NE((*missing)[0].find("第 4 天核酸阳性"), std::string::npos);
  EXPECT_NE((*missing)[1].find("第 7 天（2022-04-07）核酸结果未录入"), std::string::npos);
}

TEST(MeasureRulesTest, AnExtensionMovesTheEndAndEndsWithATest) {
  Measure m = SevenDaysFrom("2022-04-01");
  m.extended_days = 2;
  EXPECT_EQ(*RequiredTestDays(m), (std::vector<int>{1, 4, 7, 9}));
  Negative(m, {1, 4, 7});
  auto missing = MissingForRelease(m, year_month_day{2022y / 4 / 9});
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->size(), 2u);  // day 9 not over, no test on day 9
  Negative(m, {9});
  EXPECT_TRUE(MissingForRelease(m, year_month_day{2022y / 4 / 10})->empty());
}

TEST(MeasureRulesTest, AnOpenEndedMeasureHasNothingMissing) {
  Measure m;
  m.measure = "hospital";
  m.state = "active";
  m.start_date = "2022-04-01";
  EXPECT_TRUE(MissingForRelease(m, kApril1)->empty());
}

TEST(MeasureRulesTest, TransitionsFollowTheLifecycle) {
  EXPECT_EQ(*NextState("planned", Action::kStart), "active");
  EXPECT_EQ(*NextState("active", Action::kExtend), "extended");
  EXPECT_EQ(*NextState("extended", Action::kExtend), "extended");
  EXPECT_EQ(*NextState("extended", Action::kRelease), "released");
  EXPECT_EQ(*NextState("active", Action::kTransfer), "transferred");
  EXPECT_EQ(*NextState("active", Action::kEscalate), "escalated");
  EXPECT_EQ(*NextState("planned", Action::kCancel), "cancelled");
  EXPECT_FALSE(NextState("planned", Action::kRelease).has_value());
  EXPECT_FALSE(NextState("released", Action::kCancel).has_value());
  EXPECT_FALSE(NextState("released", Action::kExtend).has_value());
  EXPECT_FALSE(NextState("active", Action::kStart).has_value());
  EXPECT_EQ(ParseAction("release"), Action::kRelease);
  EXPECT_EQ(ParseAction("explode"), std::nullopt);
}

}  // namespace
}  // namespace cordon::measures
