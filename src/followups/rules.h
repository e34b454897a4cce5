// Pure rules of follow-ups: the times of day, what an answer means, which alert it raises,
// how an alert is handled, and how far up the chain an unanswered alert has climbed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::followups {

// Fever threshold (domain.md section 3).
inline constexpr double kFeverCelsius = 37.3;
// A slot with nothing recorded this long after its time is missed.
inline constexpr int kMissedAfterMinutes = 120;

// "08:00,16:00" → minutes after midnight, ascending. Errors: kInvalidArgument.
Result<std::vector<int>> ParseTimes(std::string_view text);
std::string FormatTime(int minutes);
// The slot a report made at `minutes` after midnight answers: the latest of the first `slots`
// times that has come, or the first before any has (an early morning report).
int CurrentSlot(const std::vector<int>& times, int slots, int minutes);

// The outcome as recorded: "ok" with a temperature at or above 37.3 °C is "fever".
// Errors (field named): an unknown outcome; a temperature missing for ok/symptoms, or outside
// 34.0-43.0 °C.
Result<std::string> RecordedOutcome(std::string_view outcome, std::optional<double> temperature);
// The alert an outcome raises, if any: fever, symptoms, unreachable, refused, violation.
std::optional<std::string> AlertKindFor(std::string_view outcome);
// What is done about an alert, in order (seed 004 items 16-24): e.g. fever → test, transfer.
std::vector<std::string> EscalationFor(std::string_view kind);
// Who an open alert has reached: the grid at first, the community after 2 h, the street after
// 6 h (violations and fevers go to the community at once).
std::string LevelOf(std::string_view kind, std::int64_t raised_at, std::int64_t now);
// The text of an alert.
std::string AlertDetail(std::string_view kind, std::optional<double> temperature,
                        std::string_view symptoms, int slot_minutes);

}  // namespace cordon::followups
