// The generator's own PRNG: xoshiro256** seeded through splitmix64, with integer-only helpers
// so that a seed gives the same city on every compiler and standard library (the
// std::*_distribution classes are implementation-defined, so they are never used here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"

namespace cordon::sim::internal {

// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit integer.
__extension__ using Uint128 = unsigned __int128;

// splitmix64 step: advances *state and returns a well-mixed 64-bit value.
inline std::uint64_t SplitMix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A stateless 64-bit mix of one value (the splitmix64 finaliser).
inline std::uint64_t Mix64(std::uint64_t x) {
  std::uint64_t state = x;
  return SplitMix64(&state);
}

// Independent streams per generation phase, so that a change in one phase does not shift the
// numbers another phase draws.
enum class Stream : std::uint64_t {
  kHouseholds = 1,
  kRegions,
  kNames,
  kAddresses,
  kPeople,
  kPhones,
  kVenues,
};

class Rng {
 public:
  Rng(std::uint64_t seed, Stream stream) {
    std::uint64_t state = seed ^ (static_cast<std::uint64_t>(stream) * 0xd1b54a32d192ed03ULL);
    for (std::uint64_t& word : s_) word = SplitMix64(&state);
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

  // Uniform in [0, n). REQUIRES: n > 0. Lemire's multiply-and-reject, exact and portable.
  std::uint64_t Uniform(std::uint64_t n) {
    CORDON_DCHECK(n > 0);
    Uint128 m = static_cast<Uint128>(Next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<Uint128>(Next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    CORDON_DCHECK(lo <= hi);
    return lo + static_cast<std::int64_t>(Uniform(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability per_mille / 1000.
  bool PerMille(std::uint32_t per_mille) { return Uniform(1000) < per_mille; }

  // A uniformly chosen element. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Uniform(items.size())];
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4];
};

// Index into cumulative weights (cumulative[i] = w[0] + ... + w[i], non-decreasing, last > 0).
template <typename Int>
std::size_t PickCumulative(Rng& rng, std::span<const Int> cumulative) {
  const auto r = static_cast<Int>(rng.Uniform(static_cast<std::uint64_t>(cumulative.back())));
  std::size_t lo = 0;
  std::size_t hi = cumulative.size() - 1;
  while (lo < hi) {  // first index whose cumulative weight exceeds r
    const std::size_t mid = (lo + hi) / 2;
    if (cumulative[mid] > r) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

}  // namespace cordon::sim::internal
