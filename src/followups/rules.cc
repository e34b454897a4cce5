#include "followups/rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cordon::followups {

Result<std::vector<int>> ParseTimes(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view t = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
        !std::isdigit(static_cast<unsigned char>(t[1])) ||
        !std::isdigit(static_cast<unsigned char>(t[3])) ||
        !std::isdigit(static_cast<unsigned char>(t[4]))) {
      return FieldInvalid("followup_times", "时间应为 HH:MM (times are HH:MM)");
    }
    int h = (t[0] - '0') * 10 + (t[1] - '0');
    int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 23 || m > 59) {
      return FieldInvalid("followup_times", "时间不存在 (no such time of day)");
    }
    out.push_back(h * 60 + m);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int CurrentSlot(const std::vector<int>& times, int slots, int minutes) {
  int slot = 1;
  for (int i = 1; i < slots && i < static_cast<int>(times.size()); ++i) {
    if (times[static_cast<std::size_t>(i)] <= minutes) {
      slot = i + 1;
    }
  }
  return slot;
}

std::string FormatTime(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Result<std::string> RecordedOutcome(std::string_view outcome, std::optional<double> temperature) {
  const bool measured = outcome == "ok" || outcome == "symptoms";
  if (!measured && outcome != "unreachable" && outcome != "refused" && outcome != "left_home") {
    return FieldInvalid("outcome",
                        "应为 ok、symptoms、unreachable、refused 或 left_home (unknown outcome)");
  }
  if (measured && !temperature) {
    return FieldInvalid("temperature", "请填写体温 (a temperature is required)");
  }
  if (temperature && (!std::isfinite(*temperature) || *temperature < 34.0 || *temperature > 43.0)) {
    return FieldInvalid("temperature", "体温应在 34.0-43.0℃ 之间 (34.0 to 43.0 °C)");
  }
  if (measured && *temperature >= kFeverCelsius) {
    return std::string("fever");
  }
  return std::string(outcome);
}

std::optional<std::string> AlertKindFor(std::string_view outcome) {
  if (outcome == "fever" || outcome == "symptoms" || outcome == "unreachable" ||
      outcome == "refused") {
    return std::string(outcome);
  }
  if (outcome == "left_home") {
    return std::string("violation");
  }
  return std::nullopt;
}

std::vector<std::string> EscalationFor(std::string_view kind) {
  if (kind == "fever" || kind == "symptoms") {
    return {"medical_visit", "test", "transfer"};
  }
  if (kind == "refused") {
    return {"medical_visit", "police"};
  }
  if (kind == "violation") {
    return {"police", "transfer"};
  }
  if (kind == "unreachable" || kind == "missed") {
    return {"call", "visit"};
  }
  return {};
}

std::string LevelOf(std::string_view kind, std::int64_t raised_at, std::int64_t now) {
  const std::int64_t hours = (now - raised_at) / 3600;
  const bool urgent = kind == "fever" || kind == "violation";
  if (hours >= 6 || (urgent && hours >= 2)) {
    return "street";
  }
  if (hours >= 2 || urgent) {
    return "community";
  }
  return "grid";
}

std::string AlertDetail(std::string_view kind, std::optional<double> temperature,
                        std::string_view symptoms, int slot_minutes) {
  std::string when = FormatTime(slot_minutes) + " 随访：";
  if (kind == "fever" || kind == "symptoms") {
    char buf[32];
    std::snprintf(buf, sizeof buf, "体温 %.1f℃", temperature.value_or(0));
    return when + buf + (symptoms.empty() ? "" : "，" + std::string(symptoms));
  }
  if (kind == "unreachable") {
    return when + "联系不上";
  }
  if (kind == "refused") {
    return when + "拒绝配合";
  }
  if (kind == "violation") {
    return when + "擅自外出";
  }
  return when + "未随访";
}

}  // namespace cordon::followups
