// Pure rules of cases: the codes that exist, the look-back start of an investigation, the legs
// of the timeliness clock, loops in who-infected-whom, and generations in a cluster's chain.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/local_time.h"
#include "cases/model.h"

namespace cordon::cases {

bool IsClassification(std::string_view code);  // confirmed | asymptomatic | suspected
bool IsOutcome(std::string_view code);         // under_treatment | recovered | died | excluded
bool IsEntryKind(std::string_view code);       // place | person | activity | travel
bool IsExposureKind(std::string_view code);    // household | named | co_presence | unknown
// The Chinese word for a classification, outcome, entry kind or exposure kind; the code itself
// when unknown.
std::string_view Chinese(std::string_view code);

// Where an investigation looks back from: 00:00 local of the onset date if there is one, else
// the sampling time if known (non-zero), else the positive result; minus 4 days (the
// incubation the 9th-edition protocol traces back over).
std::int64_t LookbackFrom(std::optional<std::chrono::year_month_day> onset,
                          std::int64_t sampling_at, std::int64_t positive_at,
                          base::UtcOffset offset);

// One leg of the clock, `target_hours` after `positive_at`: kOk when done (`done_at` non-zero)
// by the deadline, kLate when done after it or not done and `now` is past it, kPending when
// not done and the deadline has not passed. The deadline itself is still in time.
Leg LegState(std::int64_t positive_at, std::int64_t done_at, int target_hours, std::int64_t now);
Clock ClockOf(const Case& c, const ClockTargets& targets, std::int64_t now);
bool IsLate(const Clock& clock);
std::string_view LegName(Leg leg);  // ok | late | pending

// A link of who infected whom: (source person, target person).
using Link = std::pair<std::int64_t, std::int64_t>;

// The loop that adding source → target to `links` would close, as the people along it from
// `source` back to `source` ([a, b, a] for a link back, [a, a] for a self-loop); empty when
// none. `links` must hold every link reachable from `target` (the caller reads that part).
// Complexity: O(links) time and memory.
std::vector<std::int64_t> LoopThrough(const std::vector<Link>& links, std::int64_t source,
                                      std::int64_t target);

// The generation of each of `members` (a cluster's cases, by person): 0 when no link reaches it
// from another member, else 1 + the lowest generation among the members linking to it. Links
// from or to people outside `members` are ignored. A member reachable only through a loop (which
// the store refuses) has no generation. Complexity: O(members + links).
std::map<std::int64_t, int> Generations(const std::vector<std::int64_t>& members,
                                        const std::vector<Link>& links);

// Every date from `from` to `to` inclusive. Errors: kInvalidArgument on `to` when it comes
// before `from`, or when the range is longer than `max_days`.
Result<std::vector<std::chrono::year_month_day>> DateRange(std::chrono::year_month_day from,
                                                           std::chrono::year_month_day to,
                                                           int max_days);

}  // namespace cordon::cases
