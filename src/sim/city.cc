// GenerateCity: validates the options and runs the phases in order.
#include "sim/city.h"

#include <cstdint>
#include <string>
#include <vector>

#include "base/check.h"
#include "sim/internal/generator.h"

namespace cordon::sim {
namespace {

constexpr std::int64_t kMinPopulation = 100;
constexpr std::int64_t kMaxPopulation = 50'000'000;
constexpr std::int32_t kMinReferenceYear = 1950;
constexpr std::int32_t kMaxReferenceYear = 2100;

// Adds every node's counts to its parent's. Regions are in pre-order, so walking backwards
// finishes each node before its parent.
void SumUpTree(const std::vector<std::size_t>& parents, std::vector<RegionNode>* regions) {
  for (std::size_t i = regions->size(); i-- > 1;) {
    RegionNode& node = (*regions)[i];
    RegionNode& parent = (*regions)[parents[i]];
    CORDON_DCHECK(parents[i] < i);
    for (std::size_t b = 0; b < node.age_bands.size(); ++b) {
      parent.age_bands[b] += node.age_bands[b];
    }
    parent.households += node.households;
  }
  for (RegionNode& node : *regions) {
    node.population = 0;
    for (const std::int64_t count : node.age_bands) {
      node.population += count;
    }
  }
}

}  // namespace

Result<City> GenerateCity(const CityOptions& options) {
  if (options.population < kMinPopulation || options.population > kMaxPopulation) {
    return FieldInvalid("population", "must be between 100 and 50,000,000, got " +
                                          std::to_string(options.population));
  }
  if (options.reference_year < kMinReferenceYear || options.reference_year > kMaxReferenceYear) {
    return FieldInvalid("reference_year", "must be between 1950 and 2100, got " +
                                              std::to_string(options.reference_year));
  }
  City city;
  const std::vector<std::uint8_t> sizes =
      internal::DrawHouseholdSizes(options.population, options.seed);
  const internal::CityPlan plan =
      internal::BuildRegions(options, static_cast<std::int64_t>(sizes.size()), &city);
  internal::BuildHouseholds(options, plan, &city);
  internal::BuildPeople(options, plan, sizes, &city);
  SumUpTree(plan.parents, &city.regions);
  CORDON_CHECK(city.regions.front().population == options.population);
  internal::AssignStaff(options, &city);
  internal::BuildVenues(options, plan, &city);
  return city;
}

}  // namespace cordon::sim
