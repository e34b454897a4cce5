// Time in Cordon: an injectable Clock, and dates and times in one configured UTC offset.
//
// China has one time zone without daylight saving, so a deployment is configured with a fixed
// offset (default +08:00) rather than a zone database. All functions here are pure and
// thread-safe, except that SystemClock reads the wall clock.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cordon::base {

// The source of "now". Production code takes a `const Clock&`; tests pass a FakeClock so that no
// test depends on the wall clock or sleeps.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

// Now() is std::chrono::system_clock::now(). Thread-safe.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
};

// A clock that moves only when told to. Thread-safe: Now, Set and Advance may race.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point t);
  std::chrono::system_clock::time_point Now() const override;
  void Set(std::chrono::system_clock::time_point t);
  // Moves the clock by `d` (may be negative). Accepts any std::chrono duration.
  void Advance(std::chrono::system_clock::duration d);

 private:
  std::atomic<std::chrono::system_clock::rep> ticks_;
};

// A fixed offset from UTC. The default is China Standard Time.
struct UtcOffset {
  std::chrono::minutes minutes{480};
};

// Parses "+08:00", "-05:30", "+0800", "+08" or "Z". The magnitude is at most 14:00.
// Errors: kInvalidArgument naming the expected format.
Result<UtcOffset> ParseUtcOffset(std::string_view text);

// "2022-04-30T08:15:00+08:00": the instant shown in `offset`, truncated to whole seconds (toward
// the past). A zero offset is written "+00:00".
std::string FormatIso(std::chrono::system_clock::time_point t, UtcOffset offset);

// "2022-04-30". Years are written with at least four digits. REQUIRES: date.ok().
std::string FormatDate(std::chrono::year_month_day date);

// The calendar date of `t` in `offset`.
std::chrono::year_month_day LocalDate(std::chrono::system_clock::time_point t, UtcOffset offset);

// Strict "YYYY-MM-DD" (exactly ten characters, ASCII digits) naming a real Gregorian date.
// Errors: kInvalidArgument "日期格式应为 YYYY-MM-DD" for the shape, "日期不存在…" for e.g.
// 2023-02-29.
Result<std::chrono::year_month_day> ParseDate(std::string_view text);

// Parses an instant, either Unix seconds ("1651277700", optionally negative) or ISO 8601 /
// RFC 3339 "YYYY-MM-DDTHH:MM[:SS[.fffffffff]]" followed by "Z", "±HH:MM", "±HHMM" or "±HH"
// (a space may stand for 'T'). A time without an offset is read in `offset`.
// Errors: kInvalidArgument naming the problem (format, a field out of range, or an instant
// outside what system_clock can hold, about the years 1678..2261).
Result<std::chrono::system_clock::time_point> ParseTime(std::string_view text, UtcOffset offset);

// Age in completed years on `on`. Someone born on 29 February becomes a year older on 1 March in
// common years. Negative when `on` is before `birth`. REQUIRES: both dates ok().
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on);

}  // namespace cordon::base
