#include "measures/rules.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "base/local_time.h"

namespace cordon::measures {
namespace {

constexpr std::array<std::string_view, 6> kMeasures = {"central_quarantine", "home_quarantine",
                                                       "home_monitoring",    "health_monitoring",
                                                       "hospital",           "temporary_control"};

Result<int> Number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return FieldInvalid("test_days", "“" + std::string(text) + "”不是天数 (not a day number)");
  }
  return n;
}

}  // namespace

bool IsMeasure(std::string_view code) {
  return std::find(kMeasures.begin(), kMeasures.end(), code) != kMeasures.end();
}

bool IsCurrent(std::string_view state) {
  return state == "planned" || state == "active" || state == "extended";
}

Result<std::vector<int>> ParseTestDays(std::string_view spec, int days) {
  std::vector<int> out;
  if (spec.starts_with("every")) {
    CORDON_ASSIGN_OR_RETURN(int every, Number(spec.substr(5)));
    if (every < 1 || days < 1) {
      return FieldInvalid("test_days",
                          "“every N”需要 N ≥ 1 且管控天数确定 (N must be at least 1 "
                          "and the measure must have a length)");
    }
    // 64-bit: a step near INT_MAX must end the loop, not wrap it.
    for (std::int64_t d = 1; d <= days; d += every) {
      out.push_back(static_cast<int>(d));
    }
    return out;
  }
  while (!spec.empty()) {
    std::size_t comma = spec.find(',');
    CORDON_ASSIGN_OR_RETURN(int day, Number(spec.substr(0, comma)));
    if (day < 1 || (days > 0 && day > days)) {
      return FieldInvalid("test_days", "第 " + std::to_string(day) + " 天不在 1-" +
                                           std::to_string(days) +
                                           " 天之内 (a test day outside the measure)");
    }
    out.push_back(day);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int DayIndex(std::chrono::year_month_day start, std::chrono::year_month_day today) {
  return static_cast<int>((std::chrono::sys_days(today) - std::chrono::sys_days(start)).count()) +
         1;
}

std::chrono::year_month_day DateOfDay(std::chrono::year_month_day start, int day) {
  return std::chrono::year_month_day(std::chrono::sys_days(start) + std::chrono::days(day - 1));
}

Result<std::vector<int>> RequiredTestDays(const Measure& m) {
  CORDON_ASSIGN_OR_RETURN(std::vector<int> days, ParseTestDays(m.test_days_spec, m.days));
  if (m.extended_days > 0 && m.days > 0) {
    days.push_back(m.days + m.extended_days);
  }
  return days;
}

Result<std::vector<std::string>> MissingForRelease(const Measure& m,
                                                   std::chrono::year_month_day today) {
  std::vector<std::string> missing;
  if (m.days == 0) {
    return missing;
  }
  auto start = base::ParseDate(m.start_date);
  if (!start.has_value()) {
    return Internal("measure " + std::to_string(m.id) + " has a bad start date");
  }
  const int total = m.days + m.extended_days;
  const int today_index = DayIndex(*start, today);
  if (today_index <= total) {
    int left = total - today_index + 1;
    missing.push_back("管控期未满：第 " + std::to_string(total) + " 天（" +
                      base::FormatDate(DateOfDay(*start, total)) + "）结束后方可解除，还差 " +
                      std::to_string(left) +
                      " 天 (the period is not over: " + std::to_string(left) + " day(s) left)");
  }
  CORDON_ASSIGN_OR_RETURN(std::vector<int> required, RequiredTestDays(m));
  for (int day : required) {
    auto it = std::find_if(m.tests.begin(), m.tests.end(),
                           [&](const TestDay& t) { return t.day == day; });
    if (it == m.tests.end() || it->result.empty()) {
      missing.push_back("第 " + std::to_string(day) + " 天（" +
                        base::FormatDate(DateOfDay(*start, day)) +
                        "）核酸结果未录入 (no test result for day " + std::to_string(day) + ")");
    } else if (it->result == "positive") {
      missing.push_back("第 " + std::to_string(day) + " 天核酸阳性：不能解除，应升级处置 (day " +
                        std::to_string(day) + " was positive: escalate, do not release)");
    }
  }
  return missing;
}

std::optional<Action> ParseAction(std::string_view text) {
  for (Action a : {Action::kStart, Action::kExtend, Action::kRelease, Action::kCancel,
                   Action::kTransfer, Action::kEscalate}) {
    if (ActionName(a) == text) {
      return a;
    }
  }
  return std::nullopt;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kStart:
      return "start";
    case Action::kExtend:
      return "extend";
    case Action::kRelease:
      return "release";
    case Action::kCancel:
      return "cancel";
    case Action::kTransfer:
      return "transfer";
    case Action::kEscalate:
      return "escalate";
  }
  return "";
}

Result<std::string> NextState(std::string_view from, Action action) {
  const bool running = from == "active" || from == "extended";
  switch (action) {
    case Action::kStart:
      if (from == "planned") {
        return std::string("active");
      }
      return FailedPrecondition("只有待执行的措施可以开始 (only a planned measure can start)");
    case Action::kCancel:
      if (IsCurrent(from)) {
        return std::string("cancelled");
      }
      return FailedPrecondition("已结束的措施不能撤销 (a finished measure cannot be cancelled)");
    case Action::kExtend:
    case Action::kRelease:
    case Action::kTransfer:
    case Action::kEscalate:
      if (!running) {
        return FailedPrecondition("只有执行中的措施可以" +
                                  std::string(action == Action::kExtend     ? "延长"
                                              : action == Action::kRelease  ? "解除"
                                              : action == Action::kTransfer ? "转运"
                                                                            : "升级") +
                                  " (the measure is not running)");
      }
      return std::string(action == Action::kExtend     ? "extended"
                         : action == Action::kRelease  ? "released"
                         : action == Action::kTransfer ? "transferred"
                                                       : "escalated");
  }
  return FailedPrecondition("unknown action");
}

}  // namespace cordon::measures
