// Secondary contacts (degree 2) by sweeping instead of one probe per close-contact check-in.
// At city scale a case's close contacts pass through the same busy venues many times, so
// probing each check-in's window reads the same rows over and over and keeps every meeting;
// the secondary set is then most of the city (performance.md, "Product consequence").
//
// The close contacts' check-ins after their own exposure (the "triggers") are sorted by venue
// and time; triggers of a venue whose windows overlap make one time span, and each span's rows
// are read once, in time order, with two pointers over its triggers. A first pass marks who was
// met in a bitmap (the count, and who); a second pass describes only the people asked for — a
// page of them, or all for an export — so naming a million people is paid only when wanted.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checkins/checkin_store.h"
#include "trace/contacts.h"

namespace cordon::trace {

// A close contact and the start of what they can pass on: first(C) of the contact rule.
struct CloseStart {
  std::uint32_t person = 0;
  std::uint32_t from = 0;
};

class SecondarySweep {
 public:
  // Everyone who met one of `close` at a check-in in [from(C), to] within the venue's window, at
  // venues that are not companion-only, other than `index_person` and the close contacts.
  // With at least `parallel_from` triggers the sweep runs on two threads.
  SecondarySweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
                 std::uint32_t index_person, std::span<const CloseStart> close, std::uint32_t to,
                 std::size_t parallel_from = 2'048);

  // Who they are, by person number.
  std::vector<std::uint32_t> People() const;
  // `people` (by person number, each one of People()) with their meetings: how many, the
  // earliest and the shortest gap. `each_meeting`, when given, hears every meeting behind them.
  std::vector<SecondaryContact> Describe(std::span<const std::uint32_t> people,
                                         const MeetingSink* each_meeting = nullptr) const;

  struct Trigger {
    std::uint32_t venue;
    std::uint32_t time;
    std::uint32_t via;  // the close contact
  };

 private:
  // Triggers [first, last) of one venue whose windows overlap, and the time span they cover.
  struct Span {
    std::size_t first;
    std::size_t last;
    std::uint32_t venue;
    std::uint32_t window;
    std::uint32_t lo;
    std::uint32_t hi;
  };
  // Calls visit(person, contact_time, triggers within the window) for every row met in spans
  // [first, last) of the sorted parts.
  template <typename Visit>
  void ScanSpans(std::size_t first, std::size_t last, Visit& visit) const;
  // The same for the rows of the open days' unsorted tails.
  template <typename Visit>
  void ScanTails(Visit& visit) const;
  // Where to cut the spans for two threads (about half the triggers each), or 0 for one.
  std::size_t Split() const;

  const checkins::Snapshot& snapshot_;
  const VenueRules& rules_;
  std::uint32_t index_person_;
  std::size_t parallel_from_;
  std::vector<Trigger> triggers_;       // by (venue, time, via)
  std::vector<Span> spans_;             // by venue, then time
  std::vector<std::uint64_t> skipped_;  // bitmap: the index person and the close contacts
};

}  // namespace cordon::trace
