#include "trace/secondary.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <tuple>

namespace cordon::trace {
namespace {

using checkins::Checkin;

constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();

std::uint32_t Gap(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

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

std::vector<Trigger> CloseTriggers(const checkins::Snapshot& snapshot, const VenueRules& rules,
                                   std::span<const CloseStart> close, std::uint32_t to) {
  std::vector<Trigger> triggers;
  for (const CloseStart& c : close) {
    for (const Checkin& own : snapshot.Trajectory(c.person, c.from, to)) {
      if (!rules.Of(own.venue).companion_only) {
        triggers.push_back({own.venue, own.time, c.person});
      }
    }
  }
  return triggers;
}

PersonBits Skipped(std::uint32_t index_person, std::span<const CloseStart> close) {
  PersonBits skipped;
  skipped.Set(index_person);
  for (const CloseStart& c : close) {
    skipped.Set(c.person);
  }
  return skipped;
}

}  // namespace

SecondarySweep::SecondarySweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
                               std::uint32_t index_person, std::span<const CloseStart> close,
                               std::uint32_t to, std::size_t parallel_from)
    : index_person_(index_person),
      sweep_(snapshot, rules, CloseTriggers(snapshot, rules, close, to),
             Skipped(index_person, close), parallel_from) {}

std::vector<std::uint32_t> SecondarySweep::People() const {
  PersonBits found;
  PersonBits found_too;
  auto mark = [](PersonBits& bits) {
    return [&bits](std::uint32_t person, std::uint32_t, std::span<const Trigger>) {
      bits.Set(person);
    };
  };
  auto mine = mark(found);
  auto theirs = mark(found_too);
  sweep_.Scan(mine, &theirs);
  found.Add(found_too);
  return found.People();
}

std::vector<SecondaryContact> SecondarySweep::Describe(std::span<const std::uint32_t> people,
                                                       const MeetingSink* each_meeting,
                                                       std::size_t by_trajectory) const {
  std::vector<SecondaryContact> out(people.size());
  if (people.empty()) {
    return out;
  }
  // Who is wanted, and where their record is: the rank of their bit among the wanted.
  PersonBits wanted;
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
  // A page of people: through their own check-ins. Thousands: one more sweep of the city, whose
  // cost does not grow with them.
  if (people.size() <= by_trajectory) {
    for (std::uint32_t p : people) {
      sweep_.ScanPerson(p, mine);
    }
    return out;
  }
  std::vector<SecondaryContact> more = out;
  auto theirs = into(more, nullptr);
  // An export's sink hears one thread at a time.
  sweep_.Scan(mine, each_meeting == nullptr ? &theirs : nullptr);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].meetings += more[i].meetings;
    out[i].nearest_gap = std::min(out[i].nearest_gap, more[i].nearest_gap);
    if (earlier(more[i].first, out[i].first)) {
      out[i].first = more[i].first;
    }
  }
  return out;
}

}  // namespace cordon::trace
