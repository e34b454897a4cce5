// A check-in (扫码登记): a person seen at a venue at an instant, from a venue code (场所码), a
// checkpoint or a transport record. The engine keeps people and venues as the numbers of their
// database rows, so that a check-in is 12 bytes in memory and 16 with both indexes on disk.
#pragma once

#include <cstdint>

namespace cordon::checkins {

struct Checkin {
  std::uint32_t venue;
  std::uint32_t time;  // Unix seconds
  std::uint32_t person;
  friend bool operator==(const Checkin&, const Checkin&) = default;
};

// Check-ins are partitioned by local calendar day: days since 1970-01-01 in the configured UTC
// offset, so that "yesterday" closes at local midnight, when the command centre's day ends.
using Day = std::int32_t;

class DayCalendar {
 public:
  explicit DayCalendar(std::int32_t offset_seconds) : offset_(offset_seconds) {}
  Day DayOf(std::int64_t unix_seconds) const {
    std::int64_t local = unix_seconds + offset_;
    return static_cast<Day>(local >= 0 ? local / kSecondsPerDay
                                       : (local - kSecondsPerDay + 1) / kSecondsPerDay);
  }
  std::int64_t DayStart(Day day) const {
    return static_cast<std::int64_t>(day) * kSecondsPerDay - offset_;
  }
  std::int32_t offset_seconds() const { return offset_; }

  static constexpr std::int64_t kSecondsPerDay = 86'400;

 private:
  std::int32_t offset_;
};

}  // namespace cordon::checkins
