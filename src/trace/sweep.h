// The sweep behind secondary contacts and clusters: check-ins of some people (the "triggers",
// each with the person it stands for) against everyone else's. Triggers are sorted by venue and
// time; triggers of a venue whose windows overlap make one span, and each span's rows are read
// once, in time order, with two pointers over its triggers, day by day with each search
// starting where the last one found its rows. Busy venues visited again and again are then read
// once, where probing each trigger's window read their rows over and over.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <thread>
#include <vector>

#include "checkins/checkin_store.h"
#include "trace/contacts.h"

namespace cordon::trace {

struct Trigger {
  std::uint32_t venue;
  std::uint32_t time;
  std::uint32_t via;  // whom the check-in stands for: a close contact, a case
};

// A set of person numbers, one bit each: 250 KB for two million people, so the sweep's one
// question per row stays in cache.
class PersonBits {
 public:
  void Set(std::uint32_t p) {
    const std::size_t word = p >> 6;
    if (word >= words_.size()) {
      words_.resize(std::max(word + 1, words_.size() * 2), 0);
    }
    words_[word] |= std::uint64_t{1} << (p & 63);
  }
  bool Has(std::uint32_t p) const {
    const std::size_t word = p >> 6;
    return word < words_.size() && ((words_[word] >> (p & 63)) & 1) != 0;
  }
  void Add(const PersonBits& other);
  // The people in the set, in order.
  std::vector<std::uint32_t> People() const;
  const std::vector<std::uint64_t>& Words() const { return words_; }

 private:
  std::vector<std::uint64_t> words_;
};

class TriggerSweep {
 public:
  // `skipped`: people never reported (the cases, the close contacts). With at least
  // `parallel_from` triggers a scan may take two threads.
  TriggerSweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
               std::vector<Trigger> triggers, PersonBits skipped, std::size_t parallel_from);

  // Calls visit(person, time, met) for every check-in of a person not skipped within the window
  // of at least one trigger at its venue; `met` are those triggers, in time order. When
  // `second` is given and there are enough triggers, half the spans go to it on a thread of its
  // own; the caller then merges what the two visitors gathered.
  template <typename Visit>
  void Scan(Visit& first, Visit* second) const;

  // The same for one person's check-ins only, read through their trajectory: cheaper than a
  // scan when a page of people is wanted rather than a city.
  template <typename Visit>
  void ScanPerson(std::uint32_t person, Visit& visit) const;

  bool empty() const { return triggers_.empty(); }

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
  template <typename Visit>
  void ScanSpans(std::size_t first, std::size_t last, Visit& visit) const;
  // The rows of the open days' unsorted tails.
  template <typename Visit>
  void ScanTails(Visit& visit) const;
  // One check-in against the triggers of its venue, by binary search.
  template <typename Visit>
  void VisitRow(const checkins::Checkin& row, Visit& visit) const;
  // Where to cut the spans for two threads (about half the triggers each), or 0 for one.
  std::size_t Split() const;

  static constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();
  static std::uint32_t Below(std::uint32_t t, std::uint32_t w) { return t > w ? t - w : 0; }
  static std::uint32_t Above(std::uint32_t t, std::uint32_t w) {
    return t > kMax - w ? kMax : t + w;
  }
  template <typename Visit>
  static void Sweep(const checkins::Columns& c, std::size_t b, std::size_t e,
                    std::span<const Trigger> triggers, std::uint32_t window, Visit& visit);

  const checkins::Snapshot& snapshot_;
  const VenueRules& rules_;
  std::vector<Trigger> triggers_;  // by (venue, time, via)
  std::vector<Span> spans_;        // by venue, then time
  std::uint32_t earliest_ = kMax;  // the time the spans cover
  std::uint32_t latest_ = 0;
  PersonBits skipped_;
  std::size_t parallel_from_;
};

template <typename Visit>
void TriggerSweep::Scan(Visit& first, Visit* second) const {
  const std::size_t split = second != nullptr ? Split() : 0;
  if (split == 0) {
    ScanSpans(0, spans_.size(), first);
  } else {
    std::thread other([&] { ScanSpans(split, spans_.size(), *second); });
    ScanSpans(0, split, first);
    other.join();
  }
  ScanTails(first);
}

// The rows [b, e) of one venue, in time order, against that venue's triggers in time order.
template <typename Visit>
void TriggerSweep::Sweep(const checkins::Columns& c, std::size_t b, std::size_t e,
                         std::span<const Trigger> triggers, std::uint32_t window, Visit& visit) {
  std::size_t lo = 0;  // first trigger at or after time - window
  std::size_t hi = 0;  // first trigger after time + window
  const std::size_t n = triggers.size();
  for (std::size_t i = b; i < e; ++i) {
    const std::uint32_t t = c.time[i];
    const std::uint32_t top = Above(t, window);
    const std::uint32_t bottom = Below(t, window);
    while (hi < n && triggers[hi].time <= top) {
      ++hi;
    }
    while (lo < hi && triggers[lo].time < bottom) {
      ++lo;
    }
    if (lo != hi) {
      visit(c.person[i], t, triggers.subspan(lo, hi - lo));
    }
  }
}

template <typename Visit>
void TriggerSweep::ScanSpans(std::size_t first, std::size_t last, Visit& visit) const {
  if (first >= last) {
    return;
  }
  auto met = [&](std::uint32_t person, std::uint32_t t, std::span<const Trigger> within) {
    if (!skipped_.Has(person)) {
      visit(person, t, within);
    }
  };
  // Day by day, each day's spans in (venue, time) order: their rows then lie in the same order
  // in every part of the day, and each search starts where the last one found its rows.
  const checkins::DayCalendar& calendar = snapshot_.calendar();
  checkins::Day first_day = std::numeric_limits<checkins::Day>::max();
  checkins::Day last_day = std::numeric_limits<checkins::Day>::min();
  for (std::size_t i = first; i < last; ++i) {
    first_day = std::min(first_day, calendar.DayOf(spans_[i].lo));
    last_day = std::max(last_day, calendar.DayOf(spans_[i].hi));
  }
  std::vector<std::vector<std::uint32_t>> of_day(static_cast<std::size_t>(last_day - first_day) +
                                                 1);
  for (std::size_t i = first; i < last; ++i) {
    for (checkins::Day d = calendar.DayOf(spans_[i].lo); d <= calendar.DayOf(spans_[i].hi); ++d) {
      of_day[static_cast<std::size_t>(d - first_day)].push_back(static_cast<std::uint32_t>(i));
    }
  }
  for (std::size_t k = 0; k < of_day.size(); ++k) {
    if (of_day[k].empty()) {
      continue;
    }
    const auto day = static_cast<checkins::Day>(first_day + static_cast<checkins::Day>(k));
    auto clamp = [](std::int64_t t) {
      return static_cast<std::uint32_t>(std::clamp<std::int64_t>(t, 0, kMax));
    };
    snapshot_.Parts(
        clamp(calendar.DayStart(day)), clamp(calendar.DayStart(day + 1) - 1),
        [&](const checkins::Columns& c) {
          std::size_t from = 0;
          for (std::uint32_t i : of_day[k]) {
            const Span& s = spans_[i];
            auto [b, e] = c.VenueRangeFrom(s.venue, s.lo, s.hi, from);
            from = b;
            Sweep(c, b, e, std::span<const Trigger>(triggers_.data() + s.first, s.last - s.first),
                  s.window, met);
          }
        },
        [](std::span<const checkins::Checkin>) {});
  }
}

template <typename Visit>
void TriggerSweep::VisitRow(const checkins::Checkin& row, Visit& visit) const {
  const std::uint32_t window = rules_.Of(row.venue).window_seconds;
  auto key = [](const Trigger& t) { return std::pair(t.venue, t.time); };
  auto first =
      std::ranges::lower_bound(triggers_, std::pair(row.venue, Below(row.time, window)), {}, key);
  auto last = std::ranges::upper_bound(first, triggers_.end(),
                                       std::pair(row.venue, Above(row.time, window)), {}, key);
  if (first != last) {
    visit(row.person, row.time,
          std::span<const Trigger>(&*first, static_cast<std::size_t>(last - first)));
  }
}

template <typename Visit>
void TriggerSweep::ScanTails(Visit& visit) const {
  if (spans_.empty()) {
    return;
  }
  snapshot_.Parts(
      earliest_, latest_, [](const checkins::Columns&) {},
      [&](std::span<const checkins::Checkin> batch) {
        for (const checkins::Checkin& row : batch) {
          if (!skipped_.Has(row.person)) {
            VisitRow(row, visit);
          }
        }
      });
}

template <typename Visit>
void TriggerSweep::ScanPerson(std::uint32_t person, Visit& visit) const {
  if (spans_.empty() || skipped_.Has(person)) {
    return;
  }
  for (const checkins::Checkin& row : snapshot_.Trajectory(person, earliest_, latest_)) {
    VisitRow(row, visit);
  }
}

}  // namespace cordon::trace
