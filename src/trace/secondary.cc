#include "trace/secondary.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <thread>
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
                               std::uint32_t to, std::size_t parallel_from)
    : snapshot_(snapshot),
      rules_(rules),
      index_person_(index_person),
      parallel_from_(std::max<std::size_t>(parallel_from, 1)) {
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
  // Triggers of one venue whose windows touch make one span, read once.
  for (std::size_t a = 0; a < triggers_.size();) {
    const std::uint32_t venue = triggers_[a].venue;
    const std::uint32_t window = rules.Of(venue).window_seconds;
    std::size_t b = a + 1;
    while (b < triggers_.size() && triggers_[b].venue == venue &&
           std::uint64_t{triggers_[b].time} - triggers_[b - 1].time <= std::uint64_t{2} * window) {
      ++b;
    }
    spans_.push_back({a, b, venue, window, Below(triggers_[a].time, window),
                      Above(triggers_[b - 1].time, window)});
    a = b;
  }
}

template <typename Visit>
void SecondarySweep::ScanSpans(std::size_t first, std::size_t last, Visit& visit) const {
  if (first >= last) {
    return;
  }
  auto met = [&](std::uint32_t person, std::uint32_t t, std::span<const Trigger> within) {
    const std::size_t word = person >> 6;
    if (word >= skipped_.size() || ((skipped_[word] >> (person & 63)) & 1) == 0) {
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
        [&](const Columns& c) {
          std::size_t from = 0;
          for (std::uint32_t i : of_day[k]) {
            const Span& s = spans_[i];
            auto [b, e] = c.VenueRangeFrom(s.venue, s.lo, s.hi, from);
            from = b;
            Sweep(c, b, e, std::span<const Trigger>(triggers_.data() + s.first, s.last - s.first),
                  s.window, met);
          }
        },
        [](std::span<const Checkin>) {});
  }
}

template <typename Visit>
void SecondarySweep::ScanTails(Visit& visit) const {
  if (spans_.empty()) {
    return;
  }
  std::uint32_t earliest = kMax;
  std::uint32_t latest = 0;
  for (const Span& s : spans_) {
    earliest = std::min(earliest, s.lo);
    latest = std::max(latest, s.hi);
  }
  auto key = [](const Trigger& t) { return std::pair(t.venue, t.time); };
  snapshot_.Parts(
      earliest, latest, [](const Columns&) {},
      [&](std::span<const Checkin> batch) {
        for (const Checkin& row : batch) {
          const std::size_t word = row.person >> 6;
          if (word < skipped_.size() && ((skipped_[word] >> (row.person & 63)) & 1) != 0) {
            continue;
          }
          const std::uint32_t window = rules_.Of(row.venue).window_seconds;
          auto first = std::ranges::lower_bound(
              triggers_, std::pair(row.venue, Below(row.time, window)), {}, key);
          auto last = std::ranges::upper_bound(
              first, triggers_.end(), std::pair(row.venue, Above(row.time, window)), {}, key);
          if (first != last) {
            visit(row.person, row.time,
                  std::span<const Trigger>(&*first, static_cast<std::size_t>(last - first)));
          }
        }
      });
}

std::size_t SecondarySweep::Split() const {
  if (triggers_.size() < parallel_from_ || spans_.size() < 2) {
    return 0;
  }
  const std::size_t half = triggers_.size() / 2;
  auto cut = std::ranges::partition_point(spans_, [&](const Span& s) { return s.last <= half; });
  return static_cast<std::size_t>(cut - spans_.begin());
}

std::vector<std::uint32_t> SecondarySweep::People() const {
  Bits found;
  Bits found_too;
  auto into = [](Bits& bits) {
    return [&bits](std::uint32_t person, std::uint32_t, std::span<const Trigger>) {
      bits.Set(person);
    };
  };
  auto mine = into(found);
  if (const std::size_t split = Split(); split != 0) {
    std::thread other([&] {
      auto theirs = into(found_too);
      ScanSpans(split, spans_.size(), theirs);
    });
    ScanSpans(0, split, mine);
    other.join();
    auto& words = found.Words();
    const auto& more = found_too.Words();
    if (more.size() > words.size()) {
      words.resize(more.size(), 0);
    }
    for (std::size_t w = 0; w < more.size(); ++w) {
      words[w] |= more[w];
    }
  } else {
    ScanSpans(0, spans_.size(), mine);
  }
  ScanTails(mine);
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
  // The earliest meeting, then the nearest, then the lowest venue and close contact: the same
  // answer whatever order the parts are read in, or which thread reads them.
  auto earlier = [](const Evidence& x, const Evidence& y) {
    if (y.venue == kMax) {
      return x.venue != kMax;
    }
    return std::tuple(x.contact_time, Gap(x.index_time, x.contact_time), x.venue, x.index_time,
                      x.via) < std::tuple(y.contact_time, Gap(y.index_time, y.contact_time),
                                          y.venue, y.index_time, y.via);
  };
  auto into = [&](std::vector<SecondaryContact>& records, const MeetingSink* sink) {
    return [&records, sink, &words, &rank, &earlier](std::uint32_t person, std::uint32_t t,
                                                     std::span<const Trigger> met) {
      const std::size_t word = person >> 6;
      if (word >= words.size() || ((words[word] >> (person & 63)) & 1) == 0) {
        return;
      }
      const std::uint64_t below = (std::uint64_t{1} << (person & 63)) - 1;
      SecondaryContact& r = records[rank[word] + std::popcount(words[word] & below)];
      if (sink != nullptr) {
        for (const Trigger& x : met) {
          (*sink)(person, Evidence{x.venue, x.time, t, x.via});
        }
      }
      const Trigger& nearest = Nearest(met, t);
      const Evidence e{nearest.venue, nearest.time, t, nearest.via};
      r.meetings += static_cast<std::uint32_t>(met.size());
      r.nearest_gap = std::min(r.nearest_gap, Gap(nearest.time, t));
      if (earlier(e, r.first)) {
        r.first = e;
      }
    };
  };
  auto mine = into(out, each_meeting);
  // An export's sink hears one thread at a time.
  const std::size_t split = each_meeting == nullptr ? Split() : 0;
  if (split != 0) {
    std::vector<SecondaryContact> more = out;
    std::thread other([&] {
      auto theirs = into(more, nullptr);
      ScanSpans(split, spans_.size(), theirs);
    });
    ScanSpans(0, split, mine);
    other.join();
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].meetings += more[i].meetings;
      out[i].nearest_gap = std::min(out[i].nearest_gap, more[i].nearest_gap);
      if (earlier(more[i].first, out[i].first)) {
        out[i].first = more[i].first;
      }
    }
  } else {
    ScanSpans(0, spans_.size(), mine);
  }
  ScanTails(mine);
  return out;
}

}  // namespace cordon::trace
