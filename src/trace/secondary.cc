#include "trace/secondary.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <tuple>

namespace cordon::trace {
namespace {

using checkins::Checkin;
using checkins::Columns;
using Trigger = SecondarySweep::Trigger;

constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();

std::uint32_t Below(std::uint32_t t, std::uint32_t w) { return t > w ? t - w : 0; }
std::uint32_t Above(std::uint32_t t, std::uint32_t w) { return t > kMax - w ? kMax : t + w; }
std::uint32_t Gap(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

// A set of person numbers, one bit each: 250 KB for two million people, so the sweep's one
// question per row stays in cache.
class Bits {
 public:
  void Set(std::uint32_t p) {
    const std::size_t word = p >> 6;
    if (word >= words_.size()) {
      words_.resize(std::max(word + 1, words_.size() * 2), 0);
    }
    words_[word] |= std::uint64_t{1} << (p & 63);
  }
  std::vector<std::uint64_t>& Words() { return words_; }
  const std::vector<std::uint64_t>& Words() const { return words_; }

 private:
  std::vector<std::uint64_t> words_;
};

// The rows [b, e) of one venue, in time order, against that venue's triggers in time order.
template <typename Visit>
void Sweep(const Columns& c, std::size_t b, std::size_t e, std::span<const Trigger> triggers,
           std::uint32_t window, Visit& visit) {
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

// Of the triggers met (in time order), the nearest to `t`; on a tie the earlier, and of
// triggers at the same time the lowest close contact.
const Trigger& Nearest(std::span<const Trigger> met, std::uint32_t t) {
  auto after = std::ranges::lower_bound(met, t, {}, &Trigger::time);
  if (after == met.begin()) {
    return *after;
  }
  auto before = std::prev(after);
  if (after != met.end() && after->time - t < t - before->time) {
    return *after;
  }
  while (before != met.begin() && std::prev(before)->time == before->time) {
    --before;
  }
  return *before;
}

}  // namespace

SecondarySweep::SecondarySweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
                               std::uint32_t index_person, std::span<const CloseStart> close,
                               std::uint32_t to)
    : snapshot_(snapshot), rules_(rules), index_person_(index_person) {
  Bits skipped;
  skipped.Set(index_person);
  for (const CloseStart& c : close) {
    skipped.Set(c.person);
    for (const Checkin& own : snapshot.Trajectory(c.person, c.from, to)) {
      if (!rules.Of(own.venue).companion_only) {
        triggers_.push_back({own.venue, own.time, c.person});
      }
    }
  }
  skipped_ = std::move(skipped.Words());
  std::ranges::sort(triggers_, [](const Trigger& a, const Trigger& b) {
    return std::tie(a.venue, a.time, a.via) < std::tie(b.venue, b.time, b.via);
  });
}

template <typename Visit>
void SecondarySweep::Scan(Visit&& visit) const {
  auto skipped = [this](std::uint32_t p) {
    const std::size_t word = p >> 6;
    return word < skipped_.size() && ((skipped_[word] >> (p & 63)) & 1) != 0;
  };
  auto met = [&](std::uint32_t person, std::uint32_t t, std::span<const Trigger> within) {
    if (!skipped(person)) {
      visit(person, t, within);
    }
  };
  std::uint32_t earliest = kMax;
  std::uint32_t latest = 0;
  for (std::size_t a = 0; a < triggers_.size();) {
    const std::uint32_t venue = triggers_[a].venue;
    const std::uint32_t window = rules_.Of(venue).window_seconds;
    std::size_t b = a + 1;
    while (b < triggers_.size() && triggers_[b].venue == venue &&
           std::uint64_t{triggers_[b].time} - triggers_[b - 1].time <= std::uint64_t{2} * window) {
      ++b;
    }
    const std::span<const Trigger> span(triggers_.data() + a, b - a);
    const std::uint32_t lo = Below(span.front().time, window);
    const std::uint32_t hi = Above(span.back().time, window);
    earliest = std::min(earliest, lo);
    latest = std::max(latest, hi);
    snapshot_.Parts(
        lo, hi,
        [&](const Columns& c) {
          auto [first, last] = c.VenueRange(venue, lo, hi);
          Sweep(c, first, last, span, window, met);
        },
        [](std::span<const Checkin>) {});
    a = b;
  }
  // The open day's unsorted tail: each row looks up its venue's triggers.
  auto key = [](const Trigger& t) { return std::pair(t.venue, t.time); };
  snapshot_.Parts(
      earliest, latest, [](const Columns&) {},
      [&](std::span<const Checkin> batch) {
        for (const Checkin& row : batch) {
          const std::uint32_t window = rules_.Of(row.venue).window_seconds;
          auto first = std::ranges::lower_bound(
              triggers_, std::pair(row.venue, Below(row.time, window)), {}, key);
          auto last = std::ranges::upper_bound(
              first, triggers_.end(), std::pair(row.venue, Above(row.time, window)), {}, key);
          if (first != last) {
            met(row.person, row.time,
                std::span<const Trigger>(&*first, static_cast<std::size_t>(last - first)));
          }
        }
      });
}

std::vector<std::uint32_t> SecondarySweep::People() const {
  Bits found;
  Scan([&](std::uint32_t person, std::uint32_t, std::span<const Trigger>) { found.Set(person); });
  std::vector<std::uint32_t> out;
  const auto& words = found.Words();
  for (std::size_t w = 0; w < words.size(); ++w) {
    for (std::uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
      out.push_back(static_cast<std::uint32_t>(w * 64 + std::countr_zero(bits)));
    }
  }
  return out;
}

std::vector<SecondaryContact> SecondarySweep::Describe(std::span<const std::uint32_t> people,
                                                       const MeetingSink* each_meeting) const {
  std::vector<SecondaryContact> out(people.size());
  if (people.empty()) {
    return out;
  }
  // Who is wanted, and where their record is: the rank of their bit among the wanted.
  Bits wanted;
  for (std::uint32_t p : people) {
    wanted.Set(p);
  }
  const auto& words = wanted.Words();
  std::vector<std::uint32_t> rank(words.size());
  std::uint32_t sum = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    rank[w] = sum;
    sum += static_cast<std::uint32_t>(std::popcount(words[w]));
  }
  for (std::size_t i = 0; i < people.size(); ++i) {
    out[i].person = people[i];
    out[i].index_person = index_person_;
    out[i].nearest_gap = kMax;
    out[i].first = {kMax, kMax, kMax, kMax};
  }
  auto order = [](const Evidence& x) {
    return std::tuple(x.contact_time, Gap(x.index_time, x.contact_time), x.venue, x.index_time,
                      x.via);
  };
  Scan([&](std::uint32_t person, std::uint32_t t, std::span<const Trigger> met) {
    const std::size_t word = person >> 6;
    if (word >= words.size()) {
      return;
    }
    const std::uint64_t below = (std::uint64_t{1} << (person & 63)) - 1;
    if (((words[word] >> (person & 63)) & 1) == 0) {
      return;
    }
    SecondaryContact& r = out[rank[word] + std::popcount(words[word] & below)];
    if (each_meeting != nullptr) {
      for (const Trigger& x : met) {
        (*each_meeting)(person, Evidence{x.venue, x.time, t, x.via});
      }
    }
    const Trigger& nearest = Nearest(met, t);
    const Evidence e{nearest.venue, nearest.time, t, nearest.via};
    r.meetings += static_cast<std::uint32_t>(met.size());
    r.nearest_gap = std::min(r.nearest_gap, Gap(nearest.time, t));
    // The earliest meeting, then the nearest, then the lowest venue and close contact: the same
    // answer whatever order the parts are read in.
    if (r.first.venue == kMax || order(e) < order(r.first)) {
      r.first = e;
    }
  });
  return out;
}

}  // namespace cordon::trace
