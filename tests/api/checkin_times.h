// Times for API tests of check-ins, shared by the tracing and venue tests.
#pragma once

#include <chrono>
#include <cstdint>

namespace cordon::testing {

inline std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Yesterday at 03:00 in +08:00: always past, inside retention, and outside the hours the demo
// city's check-ins are generated in, so a test's own rows are the only ones then.
inline std::int64_t QuietHour() {
  constexpr std::int64_t kHour = 3600;
  constexpr std::int64_t kDay = 24 * kHour;
  constexpr std::int64_t kOffset = 8 * kHour;
  const std::int64_t local = UnixNow() + kOffset;
  return (local / kDay - 1) * kDay + 3 * kHour - kOffset;
}

}  // namespace cordon::testing
