#include "base/local_time.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cordon::base {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::system_clock;
using std::chrono::year_month_day;

constexpr UtcOffset kBeijing{std::chrono::minutes(480)};
constexpr UtcOffset kUtc{std::chrono::minutes(0)};

system_clock::time_point At(year_month_day d, std::chrono::seconds s = 0s) {
  return system_clock::time_point(sys_days(d)) + s;
}

TEST(ParseUtcOffsetTest, AcceptsTheCommonForms) {
  EXPECT_EQ(ParseUtcOffset("+08:00")->minutes, 480min);
  EXPECT_EQ(ParseUtcOffset("-05:30")->minutes, -330min);
  EXPECT_EQ(ParseUtcOffset("Z")->minutes, 0min);
  EXPECT_EQ(ParseUtcOffset("+0800")->minutes, 480min);
  EXPECT_EQ(ParseUtcOffset("+08")->minutes, 480min);
  EXPECT_EQ(ParseUtcOffset("+14:00")->minutes, 840min);
  EXPECT_EQ(ParseUtcOffset("-00:00")->minutes, 0min);
}

TEST(ParseUtcOffsetTest, RejectsMalformedOrOutOfRange) {
  for (std::string_view bad :
       {"", "08:00", "+8", "+08:0", "+08:000", "+15:00", "+08:60", "UTC", "+0a:00", "+08-00"}) {
    const Result<UtcOffset> r = ParseUtcOffset(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  }
}

TEST(FormatTest, FormatsIsoInTheGivenOffset) {
  const auto t = At(2022y / 4 / 30, 15min);  // 00:15 UTC
  EXPECT_EQ(FormatIso(t, kBeijing), "2022-04-30T08:15:00+08:00");
  EXPECT_EQ(FormatIso(t, kUtc), "2022-04-30T00:15:00+00:00");
  EXPECT_EQ(FormatIso(t, UtcOffset{-330min}), "2022-04-29T18:45:00-05:30");
  EXPECT_EQ(FormatIso(At(1970y / 1 / 1) - 500ms, kUtc), "1969-12-31T23:59:59+00:00");
  EXPECT_EQ(FormatIso(t + 999ms, kBeijing), "2022-04-30T08:15:00+08:00");
}

TEST(FormatTest, FormatsDates) {
  EXPECT_EQ(FormatDate(2022y / 4 / 30), "2022-04-30");
  EXPECT_EQ(FormatDate(1880y / 1 / 1), "1880-01-01");
  EXPECT_EQ(FormatDate(year_month_day{std::chrono::year(800), std::chrono::May, 5d}), "0800-05-05");
}

TEST(LocalDateTest, UsesTheOffsetsMidnight) {
  EXPECT_EQ(LocalDate(At(2022y / 4 / 29, 16h), kBeijing), 2022y / 4 / 30);
  EXPECT_EQ(LocalDate(At(2022y / 4 / 29, 16h) - 1s, kBeijing), 2022y / 4 / 29);
  EXPECT_EQ(LocalDate(At(2022y / 4 / 29, 16h), kUtc), 2022y / 4 / 29);
  EXPECT_EQ(LocalDate(At(2022y / 4 / 30, 2h), UtcOffset{-330min}), 2022y / 4 / 29);
}

TEST(ParseDateTest, AcceptsRealDates) {
  EXPECT_EQ(*ParseDate("2022-04-30"), 2022y / 4 / 30);
  EXPECT_EQ(*ParseDate("2024-02-29"), 2024y / 2 / 29);
  EXPECT_EQ(*ParseDate("2000-02-29"), 2000y / 2 / 29);
}

TEST(ParseDateTest, NamesTheProblem) {
  for (std::string_view bad : {"2022-4-30", "2022/04/30", "20220430", "２０２２-04-30", "",
                               "2022-04-30T00:00", " 2022-04-30", "2022-04-3a"}) {
    const auto r = ParseDate(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message(), "日期格式应为 YYYY-MM-DD") << bad;
  }
  for (std::string_view bad :
       {"2023-02-29", "1900-02-29", "2022-13-01", "2022-04-31", "2022-00-10", "2022-01-00"}) {
    const auto r = ParseDate(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message(), "日期不存在（不是有效的日历日期）") << bad;
  }
}

TEST(ParseTimeTest, UnixSecondsAndIsoAgree) {
  const auto expected = At(2022y / 4 / 30, 15min);
  EXPECT_EQ(*ParseTime("1651277700", kUtc), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T08:15:00+08:00", kUtc), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T00:15:00Z", kBeijing), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T00:15:00z", kBeijing), expected);
  EXPECT_EQ(*ParseTime("2022-04-29T18:45:00-05:30", kBeijing), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T08:15:00+0800", kUtc), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T08:15+08:00", kUtc), expected);
  EXPECT_EQ(*ParseTime("-1", kUtc), At(1970y / 1 / 1) - 1s);
  EXPECT_EQ(*ParseTime("0", kUtc), At(1970y / 1 / 1));
}

TEST(ParseTimeTest, ATimeWithoutOffsetIsReadInTheConfiguredOffset) {
  const auto expected = At(2022y / 4 / 30, 15min);
  EXPECT_EQ(*ParseTime("2022-04-30T08:15:00", kBeijing), expected);
  EXPECT_EQ(*ParseTime("2022-04-30 08:15:00", kBeijing), expected);
  EXPECT_EQ(*ParseTime("2022-04-30T00:15", kUtc), expected);
}

TEST(ParseTimeTest, KeepsFractionsOfASecond) {
  EXPECT_EQ(*ParseTime("2022-04-30T00:15:00.5Z", kBeijing), At(2022y / 4 / 30, 15min) + 500ms);
  EXPECT_EQ(*ParseTime("2022-04-30T00:15:00.123456789Z", kBeijing),
            At(2022y / 4 / 30, 15min) + 123456789ns);
  EXPECT_FALSE(ParseTime("2022-04-30T00:15:00.1234567891Z", kBeijing).has_value());
  EXPECT_FALSE(ParseTime("2022-04-30T00:15:00.Z", kBeijing).has_value());
}

TEST(ParseTimeTest, RejectsMalformedTimes) {
  for (std::string_view bad :
       {"", "abc", "2022-04-30", "2022-04-30T24:00:00", "2022-04-30T08:60:00",
        "2022-04-30T08:15:60", "2022-04-30T08:15:00+8", "2022-04-30X08:15:00",
        "2022-02-30T08:15:00", "2022-04-30T08:15:0", "2022-04-30T8:15:00", "1651277700.5",
        "+1651277700", "--1", "2022-04-30T08:15:00+08:00 "}) {
    const auto r = ParseTime(bad, kBeijing);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ParseTimeTest, RejectsInstantsSystemClockCannotHold) {
  for (std::string_view bad : {"99999999999999999999", "9999999999", "-9999999999",
                               "2300-01-01T00:00:00Z", "1600-01-01T00:00:00Z"}) {
    const auto r = ParseTime(bad, kBeijing);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message(), "时间超出可表示的范围（约 1678–2261 年）") << bad;
  }
  EXPECT_TRUE(ParseTime("2261-12-31T23:59:59Z", kUtc).has_value());
}

TEST(ParseTimeTest, RoundTripsFormatIso) {
  const std::vector<UtcOffset> offsets = {kBeijing, kUtc, UtcOffset{-330min}, UtcOffset{840min}};
  for (const auto t : {At(2022y / 4 / 30, 15min), At(1949y / 10 / 1, 10h), At(2038y / 1 / 19, 3h),
                       At(2000y / 2 / 29, 23h + 59min + 59s), At(1970y / 1 / 1) - 1s}) {
    for (const UtcOffset offset : offsets) {
      const std::string text = FormatIso(t, offset);
      const auto back = ParseTime(text, kUtc);
      ASSERT_TRUE(back.has_value()) << text;
      EXPECT_EQ(*back, t) << text;
    }
  }
}

TEST(AgeOnTest, CountsCompletedYears) {
  EXPECT_EQ(AgeOn(1949y / 12 / 31, 2024y / 6 / 1), 74);
  EXPECT_EQ(AgeOn(1990y / 6 / 1, 2024y / 6 / 1), 34);
  EXPECT_EQ(AgeOn(1990y / 6 / 2, 2024y / 6 / 1), 33);
  EXPECT_EQ(AgeOn(2024y / 6 / 1, 2024y / 6 / 1), 0);
  EXPECT_EQ(AgeOn(2024y / 6 / 2, 2024y / 6 / 1), -1);
}

TEST(AgeOnTest, LeapDayBirthdaysComeOnTheFirstOfMarch) {
  EXPECT_EQ(AgeOn(2000y / 2 / 29, 2001y / 2 / 28), 0);
  EXPECT_EQ(AgeOn(2000y / 2 / 29, 2001y / 3 / 1), 1);
  EXPECT_EQ(AgeOn(2000y / 2 / 29, 2004y / 2 / 29), 4);
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(At(2022y / 4 / 30));
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.Now(), At(2022y / 4 / 30));
  clock.Advance(90s);
  EXPECT_EQ(clock.Now(), At(2022y / 4 / 30, 90s));
  clock.Advance(std::chrono::hours(-1));
  EXPECT_EQ(clock.Now(), At(2022y / 4 / 30, 90s) - 1h);
  clock.Set(At(2000y / 1 / 1));
  EXPECT_EQ(clock.Now(), At(2000y / 1 / 1));
}

TEST(FakeClockTest, ConcurrentAdvancesAreNotLost) {
  FakeClock clock(At(2022y / 4 / 30));
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 1000; ++i) {
        clock.Advance(1s);
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(clock.Now(), At(2022y / 4 / 30, 4000s));
}

}  // namespace
}  // namespace cordon::base
