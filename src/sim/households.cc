// Households: their sizes, and their flats in each grid's compound.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/check.h"
#include "sim/internal/generator.h"

namespace cordon::sim::internal {
namespace {

// Share of households with 1..6 members, in percent (2020 census, 6 standing for 6+); the mean
// is 2.60.
constexpr std::uint32_t kSizeCumulative[] = {25, 55, 76, 89, 95, 100};

// How the flats of one grid's compound are laid out.
struct Compound {
  std::int64_t units;            // 单元 per building
  std::int64_t floors;           // floors per building
  std::int64_t flats_per_floor;  // 室 per floor
};

// A braced list evaluates left to right, so the draws below happen in a fixed order.
Compound DrawCompound(Rng& rng) {
  if (rng.PerMille(400)) {
    return {rng.Between(1, 3), rng.Between(5, 7), 2};  // old walk-ups
  }
  return {rng.Between(1, 3), rng.Between(11, 33), rng.Between(2, 4)};  // towers
}

}  // namespace

std::vector<std::uint8_t> DrawHouseholdSizes(std::int64_t population, std::uint64_t seed) {
  Rng rng(seed, Stream::kHouseholds);
  std::vector<std::uint8_t> sizes;
  sizes.reserve(static_cast<std::size_t>(population * 10 / 25 + 1));
  std::int64_t placed = 0;
  while (placed < population) {
    std::int64_t size = 1 + static_cast<std::int64_t>(PickCumulative(
                                rng, std::span<const std::uint32_t>(kSizeCumulative)));
    if (size > population - placed) {
      size = population - placed;
    }
    sizes.push_back(static_cast<std::uint8_t>(size));
    placed += size;
  }
  return sizes;
}

void BuildHouseholds(const CityOptions& options, const CityPlan& plan, City* city) {
  Rng rng(options.seed, Stream::kAddresses);
  std::int64_t total = 0;
  for (const GridPlan& grid : plan.grids) {
    total += grid.households;
  }
  city->households.reserve(static_cast<std::size_t>(total));
  std::int64_t next_id = 1;
  std::string prefix;
  for (const GridPlan& grid : plan.grids) {
    const std::string& grid_code = city->regions[grid.region].code;
    const Compound compound = DrawCompound(rng);
    const std::int64_t per_floor = compound.flats_per_floor;
    const std::int64_t per_unit = compound.floors * per_floor;
    const std::int64_t per_building = compound.units * per_unit;
    // "东湖区体育西路123号", then "5栋2单元301室" per flat.
    prefix = plan.districts[grid.district].name;
    prefix += grid.road;
    AppendDecimal(grid.number, 1, &prefix);
    prefix += "号";
    for (std::int64_t k = 0; k < grid.households; ++k) {
      Household& household = city->households.emplace_back();
      household.id = next_id++;
      household.grid_code = grid_code;
      household.address.reserve(prefix.size() + 32);
      household.address = prefix;
      AppendDecimal(k / per_building + 1, 1, &household.address);
      household.address += "栋";
      AppendDecimal(k % per_building / per_unit + 1, 1, &household.address);
      household.address += "单元";
      const std::int64_t in_unit = k % per_unit;
      AppendDecimal((in_unit / per_floor + 1) * 100 + in_unit % per_floor + 1, 1,
                    &household.address);
      household.address += "室";
    }
  }
  CORDON_CHECK(next_id - 1 == total);
}

}  // namespace cordon::sim::internal
