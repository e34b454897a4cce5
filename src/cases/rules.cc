#include "cases/rules.h"

#include <algorithm>
#include <array>
#include <deque>
#include <set>
#include <string>

namespace cordon::cases {
namespace {

struct Word {
  std::string_view code;
  std::string_view chinese;
};

constexpr std::array<Word, 3> kClassifications = {{
    {"confirmed", "确诊病例"},
    {"asymptomatic", "无症状感染者"},
    {"suspected", "疑似病例"},
}};
constexpr std::array<Word, 4> kOutcomes = {{
    {"under_treatment", "治疗中"},
    {"recovered", "治愈"},
    {"died", "死亡"},
    {"excluded", "排除"},
}};
constexpr std::array<Word, 4> kEntryKinds = {{
    {"place", "到访场所"},
    {"person", "接触人员"},
    {"activity", "活动"},
    {"travel", "出行"},
}};
constexpr std::array<Word, 4> kExposureKinds = {{
    {"household", "家庭接触"},
    {"named", "流调指认"},
    {"co_presence", "时空交集"},
    {"unknown", "不明"},
}};

template <std::size_t N>
const Word* Find(const std::array<Word, N>& words, std::string_view code) {
  for (const Word& w : words) {
    if (w.code == code) {
      return &w;
    }
  }
  return nullptr;
}

constexpr std::int64_t kLookbackSeconds = std::int64_t{4} * 24 * 3600;

}  // namespace

bool IsClassification(std::string_view code) { return Find(kClassifications, code) != nullptr; }
bool IsOutcome(std::string_view code) { return Find(kOutcomes, code) != nullptr; }
bool IsEntryKind(std::string_view code) { return Find(kEntryKinds, code) != nullptr; }
bool IsExposureKind(std::string_view code) { return Find(kExposureKinds, code) != nullptr; }

std::string_view Chinese(std::string_view code) {
  for (const Word* w : {Find(kClassifications, code), Find(kOutcomes, code),
                        Find(kEntryKinds, code), Find(kExposureKinds, code)}) {
    if (w != nullptr) {
      return w->chinese;
    }
  }
  return code;
}

std::int64_t LookbackFrom(std::optional<std::chrono::year_month_day> onset,
                          std::int64_t sampling_at, std::int64_t positive_at,
                          base::UtcOffset offset) {
  std::int64_t from = positive_at;
  if (onset.has_value() && onset->ok()) {
    const auto midnight_utc = std::chrono::sys_days(*onset) - offset.minutes;
    from =
        std::chrono::duration_cast<std::chrono::seconds>(midnight_utc.time_since_epoch()).count();
  } else if (sampling_at != 0) {
    from = sampling_at;
  }
  return from - kLookbackSeconds;
}

Leg LegState(std::int64_t positive_at, std::int64_t done_at, int target_hours, std::int64_t now) {
  const std::int64_t deadline = positive_at + std::int64_t{target_hours} * 3600;
  if (done_at != 0) {
    return done_at <= deadline ? Leg::kOk : Leg::kLate;
  }
  return now > deadline ? Leg::kLate : Leg::kPending;
}

Clock ClockOf(const Case& c, const ClockTargets& targets, std::int64_t now) {
  return {LegState(c.positive_at, c.reported_at, targets.reported_hours, now),
          LegState(c.positive_at, c.contacts_listed_at, targets.listed_hours, now),
          LegState(c.positive_at, c.contacts_controlled_at, targets.controlled_hours, now)};
}

bool IsLate(const Clock& clock) {
  return clock.reported == Leg::kLate || clock.listed == Leg::kLate ||
         clock.controlled == Leg::kLate;
}

std::string_view LegName(Leg leg) {
  switch (leg) {
    case Leg::kOk:
      return "ok";
    case Leg::kLate:
      return "late";
    case Leg::kPending:
      return "pending";
  }
  return "pending";
}

std::vector<std::int64_t> LoopThrough(const std::vector<Link>& links, std::int64_t source,
                                      std::int64_t target) {
  if (source == target) {
    return {source, source};
  }
  std::map<std::int64_t, std::vector<std::int64_t>> next;
  for (const auto& [from, to] : links) {
    next[from].push_back(to);
  }
  // Breadth first from the target: the shortest way back to the source is the loop to show.
  std::map<std::int64_t, std::int64_t> reached_from{{target, target}};
  std::deque<std::int64_t> queue{target};
  while (!queue.empty()) {
    const std::int64_t at = queue.front();
    queue.pop_front();
    auto out = next.find(at);
    if (out == next.end()) {
      continue;
    }
    for (std::int64_t to : out->second) {
      if (!reached_from.emplace(to, at).second) {
        continue;
      }
      if (to == source) {
        std::vector<std::int64_t> back{source};
        for (std::int64_t p = source; p != target;) {
          p = reached_from.at(p);
          back.push_back(p);
        }
        back.push_back(source);
        // back is source, …, target, source read backwards from the source: reverse the middle.
        std::reverse(back.begin() + 1, back.end() - 1);
        return back;
      }
      queue.push_back(to);
    }
  }
  return {};
}

std::map<std::int64_t, int> Generations(const std::vector<std::int64_t>& members,
                                        const std::vector<Link>& links) {
  const std::set<std::int64_t> in(members.begin(), members.end());
  std::map<std::int64_t, std::vector<std::int64_t>> next;
  std::set<std::int64_t> has_source;
  for (const auto& [from, to] : links) {
    if (from != to && in.contains(from) && in.contains(to)) {
      next[from].push_back(to);
      has_source.insert(to);
    }
  }
  // Breadth first from every root at once gives each member its shortest chain from a root.
  std::map<std::int64_t, int> out;
  std::deque<std::int64_t> queue;
  for (std::int64_t m : in) {
    if (!has_source.contains(m)) {
      out[m] = 0;
      queue.push_back(m);
    }
  }
  while (!queue.empty()) {
    const std::int64_t at = queue.front();
    queue.pop_front();
    auto edges = next.find(at);
    if (edges == next.end()) {
      continue;
    }
    for (std::int64_t to : edges->second) {
      if (out.emplace(to, out.at(at) + 1).second) {
        queue.push_back(to);
      }
    }
  }
  return out;
}

Result<std::vector<std::chrono::year_month_day>> DateRange(std::chrono::year_month_day from,
                                                           std::chrono::year_month_day to,
                                                           int max_days) {
  const auto first = std::chrono::sys_days(from);
  const auto last = std::chrono::sys_days(to);
  if (last < first) {
    return FieldInvalid("to", "结束日期早于开始日期 (to is before from)");
  }
  if ((last - first).count() + 1 > max_days) {
    return FieldInvalid("to", "日期范围最多 " + std::to_string(max_days) + " 天 (at most " +
                                  std::to_string(max_days) + " days)");
  }
  std::vector<std::chrono::year_month_day> out;
  for (auto d = first; d <= last; d += std::chrono::days(1)) {
    out.emplace_back(d);
  }
  return out;
}

}  // namespace cordon::cases
