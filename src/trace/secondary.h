// Secondary contacts (degree 2): everyone who met a close contact after the close contact's own
// exposure, by the sweep of sweep.h with the close contacts' check-ins as triggers. A first
// pass marks who was met in a bitmap (the count, and who); a second describes only the people
// asked for — a page of them, or all for an export — so naming a million people is paid only
// when wanted.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checkins/checkin_store.h"
#include "trace/contacts.h"
#include "trace/sweep.h"

namespace cordon::trace {

// A close contact and the start of what they can pass on: first(C) of the contact rule.
struct CloseStart {
  std::uint32_t person = 0;
  std::uint32_t from = 0;
};

class SecondarySweep {
 public:
  // Everyone who met one of `close` at a check-in in [from(C), to] within the venue's window, at
  // venues that are not companion-only, other than `index_person` and the close contacts. With
  // at least `parallel_from` close-contact check-ins the sweep runs on two threads.
  SecondarySweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
                 std::uint32_t index_person, std::span<const CloseStart> close, std::uint32_t to,
                 std::size_t parallel_from = 2'048);

  // Who they are, by person number.
  std::vector<std::uint32_t> People() const;
  // `people` (by person number, each one of People()) with their meetings: how many, the
  // earliest and the shortest gap. `each_meeting`, when given, hears every meeting behind them.
  // Up to `by_trajectory` people are described through their own check-ins, more by a sweep.
  std::vector<SecondaryContact> Describe(std::span<const std::uint32_t> people,
                                         const MeetingSink* each_meeting = nullptr,
                                         std::size_t by_trajectory = 4'096) const;

 private:
  std::uint32_t index_person_;
  TriggerSweep sweep_;
};

}  // namespace cordon::trace
