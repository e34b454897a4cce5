#include "base/local_time.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "base/internal/utf8.h"

namespace cordon::base {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// Reads exactly text.size() ASCII digits; false on anything else.
bool ReadDigits(std::string_view text, int* out) {
  if (!internal::AllDigits(text)) {
    return false;
  }
  int v = 0;
  for (char c : text) {
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// The range of whole seconds that system_clock (nanoseconds in libstdc++) can represent, with one
// second of headroom so that adding a fraction cannot overflow.
constexpr std::int64_t kMinSeconds =
    std::chrono::floor<seconds>(system_clock::time_point::min()).time_since_epoch().count() + 1;
constexpr std::int64_t kMaxSeconds =
    std::chrono::floor<seconds>(system_clock::time_point::max()).time_since_epoch().count() - 1;

Status OutOfRange() { return InvalidArgument("时间超出可表示的范围（约 1678–2261 年）"); }

Result<system_clock::time_point> ParseUnixSeconds(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    return OutOfRange();
  }
  if (ec != std::errc() || ptr != end) {
    return InvalidArgument("Unix 时间戳应为整数秒");
  }
  if (value < kMinSeconds || value > kMaxSeconds) {
    return OutOfRange();
  }
  return system_clock::time_point(seconds(value));
}

}  // namespace

system_clock::time_point SystemClock::Now() const { return system_clock::now(); }

FakeClock::FakeClock(system_clock::time_point t) : ticks_(t.time_since_epoch().count()) {}

system_clock::time_point FakeClock::Now() const {
  return system_clock::time_point(system_clock::duration(ticks_.load()));
}

void FakeClock::Set(system_clock::time_point t) { ticks_.store(t.time_since_epoch().count()); }

void FakeClock::Advance(system_clock::duration d) { ticks_.fetch_add(d.count()); }

Result<UtcOffset> ParseUtcOffset(std::string_view text) {
  if (text == "Z" || text == "z") {
    return UtcOffset{minutes(0)};
  }
  const Status bad = InvalidArgument("时区偏移应为 Z、+HH:MM 或 -HH:MM（如 +08:00）");
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
    return bad;
  }
  int h = 0;
  int m = 0;
  if (!ReadDigits(text.substr(1, 2), &h)) {
    return bad;
  }
  const std::string_view rest = text.substr(3);
  if (rest.size() == 3 && rest[0] == ':') {
    if (!ReadDigits(rest.substr(1), &m)) {
      return bad;
    }
  } else if (rest.size() == 2) {
    if (!ReadDigits(rest, &m)) {
      return bad;
    }
  } else if (!rest.empty()) {
    return bad;
  }
  if (m >= 60 || h * 60 + m > 14 * 60) {
    return InvalidArgument("时区偏移超出 ±14:00");
  }
  const minutes total(h * 60 + m);
  return UtcOffset{text[0] == '-' ? -total : total};
}

std::string FormatDate(std::chrono::year_month_day date) {
  const int y = static_cast<int>(date.year());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d-%02u-%02u", y < 0 ? "-" : "", std::abs(y),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

std::chrono::year_month_day LocalDate(system_clock::time_point t, UtcOffset offset) {
  const auto local = std::chrono::floor<seconds>(t) + offset.minutes;
  return std::chrono::year_month_day(std::chrono::floor<days>(local));
}

std::string FormatIso(system_clock::time_point t, UtcOffset offset) {
  const auto local = std::chrono::floor<seconds>(t) + offset.minutes;
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::hh_mm_ss hms(local - day);
  const long off = offset.minutes.count();
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02ld:%02ld:%02ld%c%02ld:%02ld",
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()), off < 0 ? '-' : '+', std::labs(off) / 60,
                std::labs(off) % 60);
  return FormatDate(std::chrono::year_month_day(day)) + buf;
}

Result<std::chrono::year_month_day> ParseDate(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text.substr(0, 4), &y) ||
      !ReadDigits(text.substr(5, 2), &m) || !ReadDigits(text.substr(8, 2), &d)) {
    return InvalidArgument("日期格式应为 YYYY-MM-DD");
  }
  const std::chrono::year_month_day date{std::chrono::year(y),
                                         std::chrono::month(static_cast<unsigned>(m)),
                                         std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) {
    return InvalidArgument("日期不存在（不是有效的日历日期）");
  }
  return date;
}

Result<system_clock::time_point> ParseTime(std::string_view text, UtcOffset offset) {
  if (text.empty()) {
    return InvalidArgument("时间为空");
  }
  if (internal::AllDigits(text) || (text[0] == '-' && internal::AllDigits(text.substr(1)))) {
    return ParseUnixSeconds(text);
  }
  const Status bad =
      InvalidArgument("时间格式应为 Unix 秒数或 ISO 8601（如 2022-04-30T08:15:00+08:00）");
  if (text.size() < 16) {
    return bad;
  }
  CORDON_ASSIGN_OR_RETURN(const std::chrono::year_month_day date, ParseDate(text.substr(0, 10)));
  int hour = 0;
  int minute = 0;
  int second = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ReadDigits(text.substr(11, 2), &hour) || text[13] != ':' ||
      !ReadDigits(text.substr(14, 2), &minute)) {
    return bad;
  }
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (text.size() < pos + 3 || !ReadDigits(text.substr(pos + 1, 2), &second)) {
      return bad;
    }
    pos += 3;
  }
  std::int64_t fraction_ns = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = 100'000'000;
    while (pos < text.size() && internal::IsDigit(text[pos])) {
      if (pos - start >= 9) {
        return InvalidArgument("秒的小数部分最多 9 位");
      }
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) {
      return bad;
    }
  }
  UtcOffset zone = offset;
  if (pos < text.size()) {
    CORDON_ASSIGN_OR_RETURN(zone, ParseUtcOffset(text.substr(pos)));
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return InvalidArgument("时、分或秒超出范围");
  }
  const std::int64_t total = (std::chrono::sys_days(date).time_since_epoch().count() * 86400LL) +
                             hour * 3600LL + minute * 60LL + second -
                             std::chrono::duration_cast<seconds>(zone.minutes).count();
  if (total < kMinSeconds || total > kMaxSeconds) {
    return OutOfRange();
  }
  return system_clock::time_point(seconds(total)) + nanoseconds(fraction_ns);
}

int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) {
    --age;
  }
  return age;
}

}  // namespace cordon::base
