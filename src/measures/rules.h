// Pure rules of measures: which measures and states exist, test-day schedules, the days of a
// measure, which transitions are allowed, and what is missing before a release.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "measures/model.h"

namespace cordon::measures {

bool IsMeasure(std::string_view code);
// planned, active and extended are "current": a person has at most one current measure.
bool IsCurrent(std::string_view state);

// The test days of a plan of `days` days (0: open-ended): "1,2,3,5,7" (explicit, day 1 is the
// first day), "every N" (days 1, 1+N, … up to `days`), or "" (none). Sorted, without repeats.
// Errors: kInvalidArgument naming the problem (a day outside 1..days, not a number, N < 1).
Result<std::vector<int>> ParseTestDays(std::string_view spec, int days);

// Day index of `today` in a measure starting on `start`: 1 on the first day; 0 or less before.
int DayIndex(std::chrono::year_month_day start, std::chrono::year_month_day today);
// The date of day `day` (1-based).
std::chrono::year_month_day DateOfDay(std::chrono::year_month_day start, int day);

// The test days a measure must have: the plan's, and after an extension the new last day too
// (an extension is made because something was missed; it ends with a test).
Result<std::vector<int>> RequiredTestDays(const Measure& m);

// What stops a release on `today`, each a sentence in Chinese with English in brackets: the
// period not over (a plan of N days ends at the end of day N, so release is from day N + 1),
// required tests without a result, and positive results. Empty: ready. Open-ended measures
// (hospital) are released on the doctors' word: nothing is missing.
Result<std::vector<std::string>> MissingForRelease(const Measure& m,
                                                   std::chrono::year_month_day today);

enum class Action { kStart, kExtend, kRelease, kCancel, kTransfer, kEscalate };
std::optional<Action> ParseAction(std::string_view text);
std::string_view ActionName(Action action);
// The state an action leads to from `from`, or kFailedPrecondition naming the states it needs.
Result<std::string> NextState(std::string_view from, Action action);

}  // namespace cordon::measures
