// The responsible people of each region node (seed 001 "五包一", seed 004 "五位一体"): the
// command's leaders, the 包片 leader of a street, a community's cadres, police officer and
// doctor, and the grid workers.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/internal/generator.h"

namespace cordon::sim::internal {
namespace {

constexpr std::string_view kCityRoles[] = {"指挥长", "副指挥长"};
constexpr std::string_view kDistrictRoles[] = {"指挥长", "副指挥长"};
constexpr std::string_view kStreetRoles[] = {"包片领导", "街道书记"};
constexpr std::string_view kCommunityRoles[] = {"社区书记", "社区主任", "社区民警", "家庭医生"};
constexpr std::string_view kGridRoles[] = {"网格员"};

std::span<const std::string_view> RolesOf(RegionLevel level) {
  switch (level) {
    case RegionLevel::kCity:
      return kCityRoles;
    case RegionLevel::kDistrict:
      return kDistrictRoles;
    case RegionLevel::kStreet:
      return kStreetRoles;
    case RegionLevel::kCommunity:
      return kCommunityRoles;
    case RegionLevel::kGrid:
      return kGridRoles;
  }
  return {};
}

}  // namespace

void AssignStaff(const CityOptions& options, City* city) {
  Rng rng(options.seed, Stream::kNames);
  const PhoneBook phones(options.seed);
  // Residents hold phone indices below the population, so staff numbers never collide.
  auto next_phone = static_cast<std::uint64_t>(options.population);
  for (RegionNode& node : city->regions) {
    for (const std::string_view role : RolesOf(node.level)) {
      // Two grid workers in two grids of five.
      const int count = node.level == RegionLevel::kGrid && rng.PerMille(400) ? 2 : 1;
      for (int i = 0; i < count; ++i) {
        const char sex = rng.PerMille(500) ? 'M' : 'F';
        node.staff.push_back(
            {DrawPersonName(rng, sex), std::string(role), phones.Number(next_phone++)});
      }
    }
  }
}

}  // namespace cordon::sim::internal
