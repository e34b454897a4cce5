// The contact-tracing workloads of ../shared/performance.md, section 7.1, generated
// deterministically from a seed so that the engine and every peer see exactly the same rows.
//
// Persons P and venues V = P / 20 are numbered from 1. Venue popularity is Zipf (s = 0.8), drawn
// with an alias table; the person of a check-in is uniform; its time is uniform over
// 06:00-23:00 local (+08:00), or, with `diurnal`, a third of the day's check-ins fall in a lunch
// peak (11:00-13:30) and a dinner peak (17:30-20:00). Each day is generated from its own
// stream, so a day can be made alone, in any order, on any thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "checkins/checkin.h"

namespace cordon::bench_trace {

using checkins::Checkin;

struct Scale {
  std::string name;
  std::uint32_t persons = 0;
  std::uint64_t per_day = 0;  // check-ins a day
  int days = 14;
  std::uint32_t venues() const { return persons / 20; }
};

// W-XS is not in the table: it is the benchmark's CI size (280 k check-ins).
inline std::optional<Scale> ScaleNamed(std::string_view name) {
  if (name == "W-XS") {
    return Scale{"W-XS", 20'000, 20'000};
  }
  if (name == "W-S") {
    return Scale{"W-S", 200'000, 200'000};
  }
  if (name == "W-M") {
    return Scale{"W-M", 2'000'000, 2'000'000};
  }
  if (name == "W-L") {
    return Scale{"W-L", 20'000'000, 20'000'000};
  }
  if (name == "W-XL") {
    return Scale{"W-XL", 20'000'000, 50'000'000};
  }
  return std::nullopt;
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t& word : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

// Vose's alias method over Zipf(s) weights of ranks 1..n: O(1) a draw.
class ZipfAlias {
 public:
  ZipfAlias(std::uint32_t n, double s) : prob_(n), alias_(n) {
    std::vector<double> w(n);
    double sum = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      w[k] = std::pow(static_cast<double>(k) + 1.0, -s);
      sum += w[k];
    }
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    for (std::uint32_t k = 0; k < n; ++k) {
      w[k] = w[k] * n / sum;
      (w[k] < 1.0 ? small : large).push_back(k);
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t l = small.back();
      small.pop_back();
      const std::uint32_t g = large.back();
      prob_[l] = w[l];
      alias_[l] = g;
      w[g] = (w[g] + w[l]) - 1.0;
      if (w[g] < 1.0) {
        large.pop_back();
        small.push_back(g);
      }
    }
    for (std::uint32_t k : large) {
      prob_[k] = 1.0;
      alias_[k] = k;
    }
    for (std::uint32_t k : small) {
      prob_[k] = 1.0;
      alias_[k] = k;
    }
  }
  // A rank in [0, n).
  std::uint32_t Draw(Rng& rng) const {
    const std::uint32_t k = rng.Below(static_cast<std::uint32_t>(prob_.size()));
    return rng.Unit() < prob_[k] ? k : alias_[k];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

struct IndexCase {
  std::uint32_t person = 0;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
};

struct QuerySets {
  std::vector<IndexCase> q1;  // close contacts with evidence
  std::vector<IndexCase> q2;  // secondary contacts: the first cases of q1
  std::vector<IndexCase> q3;  // one outbreak day: a cluster of cases at once
  std::vector<IndexCase> q4;  // trajectories
};

class Workload {
 public:
  // 2022-04-01, local (+08:00): day 0. "Today" is the day after the last generated day.
  static constexpr checkins::Day kFirstDay = 19'083;
  static constexpr std::int32_t kUtcOffset = 8 * 3600;

  Workload(Scale scale, std::uint64_t seed, bool diurnal = false)
      : scale_(std::move(scale)),
        seed_(seed),
        diurnal_(diurnal),
        venues_(scale_.venues(), 0.8),
        calendar_(kUtcOffset) {}

  const Scale& scale() const { return scale_; }
  std::uint64_t seed() const { return seed_; }
  const checkins::DayCalendar& calendar() const { return calendar_; }
  std::uint32_t DayStart(int d) const {
    return static_cast<std::uint32_t>(calendar_.DayStart(kFirstDay + d));
  }
  // Noon of the day after the last: every generated day is closed and inside retention.
  std::int64_t Now() const { return static_cast<std::int64_t>(DayStart(scale_.days)) + 12 * 3600; }
  std::uint32_t From() const { return DayStart(0); }
  std::uint32_t To() const { return DayStart(scale_.days) - 1; }

  // The check-ins of day d, in generation order (not sorted).
  void Day(int d, std::vector<Checkin>& out) const { Rows(d, 0, scale_.per_day, out); }

  // Rows [first, last) of day d's stream. The stream is split into blocks of kBlock rows, each
  // with its own generator, so a slice can be made without the rows before it.
  void Rows(int d, std::uint64_t first, std::uint64_t last, std::vector<Checkin>& out) const {
    out.clear();
    out.reserve(last - first);
    const std::uint32_t start = DayStart(d);
    const std::uint32_t persons = scale_.persons;
    for (std::uint64_t block = first / kBlock; block * kBlock < last; ++block) {
      Rng rng(Mix(seed_, static_cast<std::uint64_t>(d) * 0x100000000ULL + block));
      const std::uint64_t b = block * kBlock;
      const std::uint64_t e = std::min(b + kBlock, scale_.per_day);
      for (std::uint64_t i = b; i < e; ++i) {
        Checkin c{};
        c.person = 1 + rng.Below(persons);
        c.venue = 1 + venues_.Draw(rng);
        c.time = start + TimeOfDay(rng);
        if (i >= first && i < last) {
          out.push_back(c);
        }
      }
    }
  }

  // Index cases: distinct random people with a check-in on day 0, each traced over all days.
  QuerySets Queries(std::size_t q1 = 2000, std::size_t q2 = 50, std::size_t q3 = 1000,
                    std::size_t q4 = 2000) const {
    std::vector<Checkin> day0;
    Day(0, day0);
    QuerySets sets;
    Pick(day0, Mix(seed_, 0x5131), q1, sets.q1);
    sets.q2.assign(sets.q1.begin(),
                   sets.q1.begin() + static_cast<std::ptrdiff_t>(std::min(q2, sets.q1.size())));
    Pick(day0, Mix(seed_, 0x5133), q3, sets.q3);
    sets.q4.assign(sets.q1.begin(),
                   sets.q1.begin() + static_cast<std::ptrdiff_t>(std::min(q4, sets.q1.size())));
    return sets;
  }

 private:
  static constexpr std::uint64_t kBlock = 1 << 16;

  static std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b;
    z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDULL;
    z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ULL;
    return z ^ (z >> 33);
  }

  std::uint32_t TimeOfDay(Rng& rng) const {
    constexpr std::uint32_t kOpen = 6 * 3600;
    constexpr std::uint32_t kSpan = 17 * 3600;  // to 23:00
    if (diurnal_) {
      const std::uint32_t pick = rng.Below(6);
      if (pick == 0) {
        return 11 * 3600 + rng.Below(9000);  // lunch, 11:00-13:30
      }
      if (pick == 1) {
        return 17 * 3600 + 1800 + rng.Below(9000);  // dinner, 17:30-20:00
      }
    }
    return kOpen + rng.Below(kSpan);
  }

  void Pick(const std::vector<Checkin>& day0, std::uint64_t seed, std::size_t n,
            std::vector<IndexCase>& out) const {
    Rng rng(seed);
    std::unordered_set<std::uint32_t> seen;
    for (std::size_t tries = 0; out.size() < n && !day0.empty() && tries < 100 * n; ++tries) {
      const Checkin& c = day0[rng.Below(static_cast<std::uint32_t>(day0.size()))];
      if (seen.insert(c.person).second) {
        out.push_back({c.person, From(), To()});
      }
    }
  }

  Scale scale_;
  std::uint64_t seed_;
  bool diurnal_;
  ZipfAlias venues_;
  checkins::DayCalendar calendar_;
};

}  // namespace cordon::bench_trace
