// Person names and mobile numbers.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/check.h"
#include "sim/internal/generator.h"
#include "sim/internal/tables.h"

namespace cordon::sim::internal {
namespace {

// Mainland mobile segments of the three carriers (China Mobile, China Unicom, China Telecom).
constexpr std::uint16_t kPhoneSegments[] = {
    134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 172, 178,  // China Mobile
    182, 183, 184, 187, 188, 198,                                          //
    130, 131, 132, 155, 156, 166, 175, 176, 185, 186,                      // China Unicom
    133, 153, 173, 177, 180, 181, 189, 190, 191, 199,                      // China Telecom
};
constexpr std::uint64_t kSegmentCount = sizeof(kPhoneSegments) / sizeof(kPhoneSegments[0]);
constexpr std::uint64_t kSubscribers = 100'000'000;  // 8 digits after the segment
constexpr std::uint64_t kPhoneSpace = kSegmentCount * kSubscribers;
static_assert(kPhoneSpace <= (std::uint64_t{1} << 32), "the Feistel permutation covers 32 bits");

std::string_view DrawGivenChar(Rng& rng, char sex) {
  if (rng.PerMille(250)) {
    return rng.Pick(NeutralGivenChars());
  }
  return rng.Pick(sex == 'M' ? MaleGivenChars() : FemaleGivenChars());
}

}  // namespace

std::string_view DrawSurname(Rng& rng) {
  return Surnames()[PickCumulative(rng, SurnameCumulativeWeights())];
}

void AppendGivenName(Rng& rng, char sex, std::string* out) {
  out->append(DrawGivenChar(rng, sex));
  if (!rng.PerMille(250)) {
    out->append(DrawGivenChar(rng, sex));  // three in four have two
  }
}

std::string DrawTwoWords(Rng& rng, Words first, Words second) {
  std::string words(rng.Pick(first));
  words.append(rng.Pick(second));
  return words;
}

std::string DrawPersonName(Rng& rng, char sex) {
  std::string name(DrawSurname(rng));
  AppendGivenName(rng, sex, &name);
  return name;
}

PhoneBook::PhoneBook(std::uint64_t seed) : key_(Mix64(seed ^ 0x70686f6e65ULL)) {}

// A four-round balanced Feistel network on 32 bits is a bijection; walking the cycle until the
// value falls below kPhoneSpace keeps it one on [0, kPhoneSpace).
std::uint64_t PhoneBook::Permute(std::uint64_t x) const {
  do {
    std::uint64_t left = x >> 16;
    std::uint64_t right = x & 0xffff;
    for (std::uint64_t round = 0; round < 4; ++round) {
      const std::uint64_t next = left ^ (Mix64(key_ ^ (round << 32) ^ right) & 0xffff);
      left = right;
      right = next;
    }
    x = (left << 16) | right;
  } while (x >= kPhoneSpace);
  return x;
}

std::string PhoneBook::Number(std::uint64_t index) const {
  CORDON_CHECK(index < kPhoneSpace);
  const std::uint64_t value = Permute(index);
  std::string phone;
  phone.reserve(11);
  AppendDecimal(kPhoneSegments[value / kSubscribers], 3, &phone);
  AppendDecimal(static_cast<std::int64_t>(value % kSubscribers), 8, &phone);
  return phone;
}

}  // namespace cordon::sim::internal
