// The region tree: city > districts > streets > communities > grids, their codes and names,
// each grid's household count, road and map cell.
#include <algorithm>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/check.h"
#include "sim/internal/generator.h"
#include "sim/internal/tables.h"

namespace cordon::sim::internal {
namespace {

// Province-level codes of GB/T 2260. A city code is one of them, a two-digit city number and
// "00"; its districts replace the "00".
constexpr std::string_view kProvinceCodes[] = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
};

constexpr std::int64_t kMinDistricts = 4;
constexpr std::int64_t kMaxDistricts = 12;
constexpr std::int64_t kGridsPerStreet = 20;
constexpr std::int64_t kGridsPerCommunity = 4;
constexpr std::int64_t kMaxChildren = 999;  // three-digit code suffixes

// 4 districts up to 200,000 people, one more each time the population doubles, at most 12.
std::int64_t DistrictTarget(std::int64_t population) {
  std::int64_t districts = kMinDistricts;
  for (std::int64_t bound = 200'000; bound <= population && districts < kMaxDistricts; bound *= 2) {
    ++districts;
  }
  return districts;
}

std::int64_t RoundedRatio(std::int64_t a, std::int64_t b) { return (a + b / 2) / b; }

// Two distinct syllables not in *used; after 30 misses, a used pair plus a numeral ("翠苑二"),
// the way real cities split a community that grew.
std::string UniqueName(Rng& rng, Words first, Words second, std::set<std::string>* used) {
  std::string base;
  for (int attempt = 0; attempt < 30; ++attempt) {
    const std::string_view a = rng.Pick(first);
    const std::string_view b = rng.Pick(second);
    if (a == b) {
      continue;
    }
    base.assign(a).append(b);
    if (used->insert(base).second) {
      return base;
    }
  }
  for (std::int64_t n = 2;; ++n) {
    std::string candidate = base;
    AppendOrdinal(n, &candidate);
    if (used->insert(candidate).second) {
      return candidate;
    }
  }
}

// A road name not in *used: "体育西路"; after 30 misses, a lane off a used road ("体育西路三巷").
std::string RoadName(Rng& rng, std::set<std::string>* used) {
  std::string name;
  for (int attempt = 0; attempt < 30; ++attempt) {
    name = DrawTwoWords(rng, RoadStems(), RoadDirections());
    name.append(rng.Pick(RoadSuffixes()));
    if (used->insert(name).second) {
      return name;
    }
  }
  for (std::int64_t n = 1;; ++n) {
    std::string lane = name;
    AppendOrdinal(n, &lane);
    lane += "巷";
    if (used->insert(lane).second) {
      return lane;
    }
  }
}

// Point d of the Hilbert curve filling an n x n square (n a power of two), so that grids next
// to each other in the tree lie next to each other on the map.
void HilbertPoint(std::int64_t n, std::int64_t d, std::int64_t* x, std::int64_t* y) {
  *x = 0;
  *y = 0;
  for (std::int64_t s = 1; s < n; s *= 2) {
    const std::int64_t rx = 1 & (d / 2);
    const std::int64_t ry = 1 & (d ^ rx);
    if (ry == 0) {
      if (rx == 1) {
        *x = s - 1 - *x;
        *y = s - 1 - *y;
      }
      std::swap(*x, *y);
    }
    *x += s * rx;
    *y += s * ry;
    d /= 4;
  }
}

std::int64_t IntegerSqrt(std::int64_t n) {
  std::int64_t root = 0;
  while ((root + 1) * (root + 1) <= n) {
    ++root;  // at most ~22,000 steps for 50 million people
  }
  return root;
}

// The city is a box in central or eastern China whose half-height is 0.04 degrees times the
// square root of population / 100,000: 9 km tall for 100,000 people, 28 km for a million.
void PlaceGridsOnMap(Rng& rng, std::int64_t population, CityPlan* plan) {
  const std::int64_t centre_lat = 22'500'000 + rng.Between(0, 17'000'000);
  const std::int64_t centre_lon = 104'000'000 + rng.Between(0, 17'000'000);
  const std::int64_t half_lat =
      std::clamp<std::int64_t>(40 * IntegerSqrt(population * 10), 30'000, 1'200'000);
  const std::int64_t half_lon = half_lat * 115 / 100;  // a degree of longitude is shorter
  const auto grid_count = static_cast<std::int64_t>(plan->grids.size());
  std::int64_t side = 1;
  while (side * side < grid_count) {
    side *= 2;
  }
  const std::int64_t cell_lat = 2 * half_lat / side;
  const std::int64_t cell_lon = 2 * half_lon / side;
  for (std::int64_t i = 0; i < grid_count; ++i) {
    std::int64_t x = 0;
    std::int64_t y = 0;
    HilbertPoint(side, i * side * side / grid_count, &x, &y);
    GridPlan& grid = plan->grids[static_cast<std::size_t>(i)];
    grid.lat_e6 = centre_lat - half_lat + y * cell_lat + cell_lat / 2;
    grid.lon_e6 = centre_lon - half_lon + x * cell_lon + cell_lon / 2;
    grid.cell_lat_e6 = cell_lat;
    grid.cell_lon_e6 = cell_lon;
  }
}

class TreeBuilder {
 public:
  TreeBuilder(Rng& rng, City* city, CityPlan* plan) : rng_(rng), city_(city), plan_(plan) {}

  std::size_t AddNode(std::size_t parent, std::string code, std::string name, RegionLevel level) {
    RegionNode node;
    node.code = std::move(code);
    if (!city_->regions.empty()) {
      node.parent_code = city_->regions[parent].code;
    }
    node.name = std::move(name);
    node.level = level;
    city_->regions.push_back(std::move(node));
    plan_->parents.push_back(parent);
    return city_->regions.size() - 1;
  }

  std::string ChildCode(std::size_t parent, std::int64_t ordinal) const {
    std::string code = city_->regions[parent].code;
    AppendDecimal(ordinal, 3, &code);
    return code;
  }

  // A street whose grids hold grid_households households each.
  void AddStreet(std::size_t district_region, std::size_t district, std::int64_t ordinal,
                 std::span<const std::int64_t> grid_households, std::set<std::string>* roads) {
    const auto grid_count = static_cast<std::int64_t>(grid_households.size());
    const std::size_t street =
        AddNode(district_region, ChildCode(district_region, ordinal),
                UniqueName(rng_, StreetFirstChars(), StreetSecondChars(), &street_names_) + "街道",
                RegionLevel::kStreet);
    // A few roads per street; consecutive grids take turns along them, numbered upwards.
    const std::int64_t road_count = 1 + grid_count / 5;
    std::vector<std::pair<std::string, std::int64_t>> street_roads;
    for (std::int64_t r = 0; r < road_count; ++r) {
      std::string road = RoadName(rng_, roads);
      street_roads.emplace_back(std::move(road), rng_.Between(1, 30));
    }
    const std::int64_t community_count =
        std::clamp(RoundedRatio(grid_count, kGridsPerCommunity), std::int64_t{1}, grid_count);
    CORDON_CHECK(community_count <= kMaxChildren);
    const std::vector<std::int64_t> grids_per_community =
        Partition(rng_, grid_count, community_count, 1, grid_count);
    std::int64_t street_grid = 0;
    for (std::int64_t c = 0; c < community_count; ++c) {
      const std::size_t community = AddNode(
          street, ChildCode(street, c + 1),
          UniqueName(rng_, CommunityFirstChars(), CommunitySecondChars(), &community_names_) +
              "社区",
          RegionLevel::kCommunity);
      for (std::int64_t g = 0; g < grids_per_community[static_cast<std::size_t>(c)]; ++g) {
        std::string name = "第";
        AppendDecimal(g + 1, 1, &name);
        name += "网格";
        GridPlan grid;
        grid.region =
            AddNode(community, ChildCode(community, g + 1), std::move(name), RegionLevel::kGrid);
        grid.district = district;
        grid.street = street;
        grid.community = community;
        grid.households = grid_households[static_cast<std::size_t>(street_grid)];
        auto& road = street_roads[static_cast<std::size_t>(street_grid % road_count)];
        grid.road = road.first;
        grid.number = road.second;
        road.second += 2 * rng_.Between(1, 12);  // keep to one side of the road
        plan_->grids.push_back(std::move(grid));
        ++street_grid;
      }
    }
  }

 private:
  Rng& rng_;
  City* city_;
  CityPlan* plan_;
  std::set<std::string> street_names_;
  std::set<std::string> community_names_;
};

}  // namespace

CityPlan BuildRegions(const CityOptions& options, std::int64_t household_count, City* city) {
  Rng rng(options.seed, Stream::kRegions);
  CityPlan plan;
  const std::int64_t grid_count = GridCount(household_count);
  const std::vector<std::int64_t> grid_households =
      grid_count == 1 ? std::vector<std::int64_t>{household_count}
                      : Partition(rng, household_count, grid_count, 300, 800);
  const std::int64_t district_count = std::min(grid_count, DistrictTarget(options.population));
  const std::vector<std::int64_t> grids_per_district =
      Partition(rng, grid_count, district_count, 1, grid_count);

  std::string city_code(rng.Pick(std::span<const std::string_view>(kProvinceCodes)));
  AppendDecimal(rng.Between(1, 19), 2, &city_code);
  city_code += "00";
  const std::string_view first = rng.Pick(CityFirstChars());
  std::string_view second = rng.Pick(CitySecondChars());
  while (second == first) {
    second = rng.Pick(CitySecondChars());
  }
  plan.city_name.assign(first).append(second).append("市");

  TreeBuilder builder(rng, city, &plan);
  const std::size_t city_region = builder.AddNode(0, city_code, plan.city_name, RegionLevel::kCity);
  std::set<std::string> district_names;
  std::int64_t district_suffix = rng.Between(2, 3);
  std::size_t next_grid = 0;
  for (std::int64_t d = 0; d < district_count; ++d) {
    DistrictPlan district;
    district.code = city_code.substr(0, 4);
    AppendDecimal(district_suffix, 2, &district.code);
    district_suffix += rng.Between(1, 3);
    district.name =
        UniqueName(rng, DistrictFirstChars(), DistrictSecondChars(), &district_names) + "区";
    district.region =
        builder.AddNode(city_region, district.code, district.name, RegionLevel::kDistrict);
    const std::int64_t grids = grids_per_district[static_cast<std::size_t>(d)];
    std::int64_t street_count = std::max<std::int64_t>(1, RoundedRatio(grids, kGridsPerStreet));
    if (grids >= 6) {
      street_count = std::max<std::int64_t>(street_count, 2);
    }
    CORDON_CHECK(street_count <= kMaxChildren);
    const std::vector<std::int64_t> grids_per_street =
        Partition(rng, grids, street_count, 1, grids);
    std::set<std::string> roads;  // road names are unique within a district
    for (std::int64_t s = 0; s < street_count; ++s) {
      const auto street_grids =
          static_cast<std::size_t>(grids_per_street[static_cast<std::size_t>(s)]);
      builder.AddStreet(district.region, plan.districts.size(), s + 1,
                        std::span(grid_households).subspan(next_grid, street_grids), &roads);
      next_grid += street_grids;
    }
    plan.districts.push_back(std::move(district));
  }
  CORDON_CHECK(next_grid == grid_households.size());
  PlaceGridsOnMap(rng, options.population, &plan);
  return plan;
}

}  // namespace cordon::sim::internal
