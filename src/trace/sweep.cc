#include "trace/sweep.h"

#include <bit>
#include <tuple>

namespace cordon::trace {

void PersonBits::Add(const PersonBits& other) {
  if (other.words_.size() > words_.size()) {
    words_.resize(other.words_.size(), 0);
  }
  for (std::size_t w = 0; w < other.words_.size(); ++w) {
    words_[w] |= other.words_[w];
  }
}

std::vector<std::uint32_t> PersonBits::People() const {
  std::vector<std::uint32_t> out;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
      out.push_back(static_cast<std::uint32_t>(w * 64 + std::countr_zero(bits)));
    }
  }
  return out;
}

TriggerSweep::TriggerSweep(const checkins::Snapshot& snapshot, const VenueRules& rules,
                           std::vector<Trigger> triggers, PersonBits skipped,
                           std::size_t parallel_from)
    : snapshot_(snapshot),
      rules_(rules),
      triggers_(std::move(triggers)),
      skipped_(std::move(skipped)),
      parallel_from_(std::max<std::size_t>(parallel_from, 1)) {
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
    earliest_ = std::min(earliest_, spans_.back().lo);
    latest_ = std::max(latest_, spans_.back().hi);
    a = b;
  }
}

std::size_t TriggerSweep::Split() const {
  if (triggers_.size() < parallel_from_ || spans_.size() < 2) {
    return 0;
  }
  const std::size_t half = triggers_.size() / 2;
  auto cut = std::ranges::partition_point(spans_, [&](const Span& s) { return s.last <= half; });
  return static_cast<std::size_t>(cut - spans_.begin());
}

}  // namespace cordon::trace
