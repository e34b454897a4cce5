// The phases of GenerateCity and the plan they share. Each phase draws from its own Rng
// stream (random.h), so the phases stay independent of one another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/city.h"
#include "sim/internal/random.h"
#include "sim/internal/tables.h"

namespace cordon::sim::internal {

// Age bands of RegionNode::age_bands.
inline constexpr int kAgeBandCount = 5;
// Lowest age of each band; the last band is open (60+).
inline constexpr int kAgeBandLow[kAgeBandCount] = {0, 3, 12, 18, 60};
inline constexpr int kMaxAge = 100;
// Residents under this age have no phone of their own.
inline constexpr int kPhoneAge = 12;

struct GridPlan {
  std::size_t region = 0;     // index into City::regions
  std::size_t district = 0;   // index into CityPlan::districts
  std::size_t street = 0;     // index into City::regions
  std::size_t community = 0;  // index into City::regions
  std::int64_t households = 0;
  std::string road;         // "体育西路"
  std::int64_t number = 0;  // the compound's number on the road ("123号")
  // The grid's cell on the map, in millionths of a degree. Integers, so that no compiler's
  // floating-point contraction (FMA) can change a venue's coordinates.
  std::int64_t lat_e6 = 0;  // centre
  std::int64_t lon_e6 = 0;
  std::int64_t cell_lat_e6 = 0;  // size
  std::int64_t cell_lon_e6 = 0;
};

struct DistrictPlan {
  std::size_t region = 0;  // index into City::regions
  std::string code;        // 6 digits, the ID number prefix
  std::string name;        // "东湖区"
};

struct CityPlan {
  std::string city_name;  // "清江市"
  std::vector<DistrictPlan> districts;
  std::vector<GridPlan> grids;       // in region pre-order
  std::vector<std::size_t> parents;  // parent index of each City::regions entry; the city's is 0
};

// Splits total into parts numbers in [lo, hi], each near total / parts with random jitter.
// REQUIRES: parts >= 1, lo * parts <= total <= hi * parts.
std::vector<std::int64_t> Partition(Rng& rng, std::int64_t total, std::int64_t parts,
                                    std::int64_t lo, std::int64_t hi);

// Household sizes (1–6, mean ~2.6) summing to exactly population.
std::vector<std::uint8_t> DrawHouseholdSizes(std::int64_t population, std::uint64_t seed);

// Number of grids for household_count households: 300–800 households each, or 1.
std::int64_t GridCount(std::int64_t household_count);

// The region tree (without populations or staff), the grids' sizes, roads and cells.
CityPlan BuildRegions(const CityOptions& options, std::int64_t household_count, City* city);

// City::households from the plan: ids, grid codes, addresses.
void BuildHouseholds(const CityOptions& options, const CityPlan& plan, City* city);

// City::people, and each grid's age bands. REQUIRES: BuildHouseholds ran.
void BuildPeople(const CityOptions& options, const CityPlan& plan,
                 std::span<const std::uint8_t> household_sizes, City* city);

// RegionNode::staff for every node.
void AssignStaff(const CityOptions& options, City* city);

// City::venues.
void BuildVenues(const CityOptions& options, const CityPlan& plan, City* city);

// Names. Every draw is its own statement: the order of function arguments is unspecified in
// C++, and the order of draws must not depend on the compiler.
std::string_view DrawSurname(Rng& rng);
// One word of first followed by one word of second ("体育" + "西").
std::string DrawTwoWords(Rng& rng, Words first, Words second);
// Appends 1–2 given-name characters fitting sex ('M' or 'F') to *out.
void AppendGivenName(Rng& rng, char sex, std::string* out);
std::string DrawPersonName(Rng& rng, char sex);

// Unique mobile numbers: index i (any 0 <= i < 4e9) maps to a distinct 11-digit number.
class PhoneBook {
 public:
  explicit PhoneBook(std::uint64_t seed);
  std::string Number(std::uint64_t index) const;

 private:
  std::uint64_t Permute(std::uint64_t x) const;

  std::uint64_t key_;
};

// Appends value in decimal, left-padded with zeros to width digits.
void AppendDecimal(std::int64_t value, int width, std::string* out);
// Appends n as a Chinese numeral ("三", "十二") up to 20, in digits above.
void AppendOrdinal(std::int64_t n, std::string* out);

}  // namespace cordon::sim::internal
