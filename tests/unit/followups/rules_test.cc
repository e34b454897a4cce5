// Follow-up rules: times of day, fever, which answers raise which alerts, and escalation.
#include "followups/rules.h"

#include <gtest/gtest.h>

namespace cordon::followups {
namespace {

TEST(FollowupRulesTest, TimesOfDayAreParsedAndSorted) {
  EXPECT_EQ(*ParseTimes("16:00,08:00"), (std::vector<int>{480, 960}));
  EXPECT_EQ(FormatTime(485), "08:05");
  EXPECT_FALSE(ParseTimes("8:00").has_value());
  EXPECT_FALSE(ParseTimes("24:00").has_value());
  EXPECT_FALSE(ParseTimes("08:60").has_value());
}

TEST(FollowupRulesTest, FeverStartsAtThirtySevenPointThree) {
  EXPECT_EQ(*RecordedOutcome("ok", 37.2), "ok");
  EXPECT_EQ(*RecordedOutcome("ok", 37.3), "fever");
  EXPECT_EQ(*RecordedOutcome("symptoms", 38.0), "fever");
  EXPECT_EQ(*RecordedOutcome("symptoms", 36.5), "symptoms");
  EXPECT_EQ(*RecordedOutcome("unreachable", std::nullopt), "unreachable");
}

TEST(FollowupRulesTest, BadAnswersNameTheField) {
  auto field = [](std::string_view outcome, std::optional<double> t) {
    auto r = RecordedOutcome(outcome, t);
    return r.has_value() ? std::string("ok") : r.error().details()[0].field;
  };
  EXPECT_EQ(field("ok", std::nullopt), "temperature");
  EXPECT_EQ(field("ok", 33.9), "temperature");
  EXPECT_EQ(field("ok", 43.1), "temperature");
  EXPECT_EQ(field("ok", std::numeric_limits<double>::quiet_NaN()), "temperature");
  EXPECT_EQ(field("fine", 36.5), "outcome");
  EXPECT_EQ(field("fever", 38.0), "outcome");  // fever is decided, not declared
}

TEST(FollowupRulesTest, EachProblemRaisesItsAlertWithItsEscalation) {
  EXPECT_EQ(AlertKindFor("ok"), std::nullopt);
  EXPECT_EQ(AlertKindFor("fever"), "fever");
  EXPECT_EQ(AlertKindFor("left_home"), "violation");
  EXPECT_EQ(EscalationFor("fever"),
            (std::vector<std::string>{"medical_visit", "test", "transfer"}));
  EXPECT_EQ(EscalationFor("violation"), (std::vector<std::string>{"police", "transfer"}));
  EXPECT_EQ(EscalationFor("refused"), (std::vector<std::string>{"medical_visit", "police"}));
  EXPECT_EQ(AlertDetail("fever", 38.24, "咳嗽", 480), "08:00 随访：体温 38.2℃，咳嗽");
}

TEST(FollowupRulesTest, UnansweredAlertsClimbTheChain) {
  EXPECT_EQ(LevelOf("missed", 0, 3600), "grid");
  EXPECT_EQ(LevelOf("missed", 0, 7200), "community");
  EXPECT_EQ(LevelOf("missed", 0, 21600), "street");
  EXPECT_EQ(LevelOf("fever", 0, 60), "community");
  EXPECT_EQ(LevelOf("fever", 0, 7200), "street");
}

}  // namespace
}  // namespace cordon::followups

namespace cordon::followups {
namespace {

TEST(CurrentSlotTest, AReportAnswersTheLatestSlotWhoseTimeHasCome) {
  const std::vector<int> times = {8 * 60, 16 * 60};
  EXPECT_EQ(CurrentSlot(times, 2, 6 * 60), 1);  // early morning: the first slot
  EXPECT_EQ(CurrentSlot(times, 2, 8 * 60), 1);  // at 08:00
  EXPECT_EQ(CurrentSlot(times, 2, 15 * 60 + 59), 1);
  EXPECT_EQ(CurrentSlot(times, 2, 16 * 60), 2);  // at 16:00
  EXPECT_EQ(CurrentSlot(times, 2, 23 * 60 + 59), 2);
  EXPECT_EQ(CurrentSlot(times, 1, 20 * 60), 1);  // a plan of one follow-up a day
}

}  // namespace
}  // namespace cordon::followups
