// Venues with scan codes (场所码): restaurants, markets, schools, offices, transit, hospitals,
// hotels, supermarkets, gyms and cinemas, about one per 150 residents, each in a grid.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/internal/generator.h"
#include "sim/internal/tables.h"

namespace cordon::sim::internal {
namespace {

constexpr std::int64_t kPeoplePerVenue = 150;

enum class VenueType {
  kRestaurant,
  kMarket,
  kSchool,
  kOffice,
  kTransit,
  kHospital,
  kHotel,
  kSupermarket,
  kGym,
  kCinema,
};
constexpr std::size_t kVenueTypeCount = 10;
constexpr std::string_view kTypeNames[kVenueTypeCount] = {
    "restaurant", "market", "school",      "office", "transit",
    "hospital",   "hotel",  "supermarket", "gym",    "cinema",
};
// Per mille of venues of each type.
constexpr std::uint32_t kTypeCumulative[kVenueTypeCount] = {300, 360, 430, 590, 650,
                                                            675, 765, 875, 950, 1000};

// "东湖区" -> "东湖": drops the trailing one-character suffix (3 bytes of UTF-8) or "社区"/"街道".
std::string_view Stem(std::string_view name, std::size_t suffix_bytes) {
  return name.substr(0, name.size() - suffix_bytes);
}

class VenueNamer {
 public:
  VenueNamer(Rng& rng, const CityPlan& plan, const City& city)
      : rng_(rng), plan_(plan), city_(city), schools_(plan.districts.size() * 2, 0) {}

  std::string Name(VenueType type, const GridPlan& grid) {
    const std::string_view district = Stem(plan_.districts[grid.district].name, 3);
    const std::string_view street = Stem(city_.regions[grid.street].name, 6);
    const std::string_view community = Stem(city_.regions[grid.community].name, 6);
    std::string name;
    switch (type) {
      case VenueType::kRestaurant:
        name = DrawTwoWords(rng_, RestaurantPrefixes(), RestaurantKinds());
        if (rng_.PerMille(300)) {
          AppendBranch(grid, &name);
        }
        break;
      case VenueType::kMarket:
        name = rng_.PerMille(500) ? community : street;
        name.append(rng_.Pick(MarketKinds()));
        break;
      case VenueType::kSchool:
        AppendSchool(grid, district, community, &name);
        break;
      case VenueType::kOffice:
        name = DrawTwoWords(rng_, OfficeStems(), OfficeKinds());
        break;
      case VenueType::kTransit:
        AppendTransit(grid, district, &name);
        break;
      case VenueType::kHospital:
        AppendHospital(district, street, &name);
        break;
      case VenueType::kHotel:
        if (rng_.PerMille(600)) {
          name.append(rng_.Pick(HotelBrands())).append("酒店");
          AppendBranch(grid, &name);
        } else {
          name = rng_.Pick(HotelStems());
          name.append(rng_.PerMille(500) ? "大酒店" : "宾馆");
        }
        break;
      case VenueType::kSupermarket:
        name.append(rng_.Pick(SupermarketBrands()));
        AppendBranch(grid, &name);
        break;
      case VenueType::kGym:
        name = DrawTwoWords(rng_, GymStems(), GymKinds());
        break;
      case VenueType::kCinema:
        name.append(rng_.Pick(CinemaStems())).append("国际影城");
        AppendBranch(grid, &name);
        break;
    }
    return name;
  }

 private:
  static void AppendBranch(const GridPlan& grid, std::string* name) {
    name->append("(").append(grid.road).append("店)");
  }

  void AppendSchool(const GridPlan& grid, std::string_view district, std::string_view community,
                    std::string* name) {
    const std::uint64_t roll = rng_.Uniform(10);
    if (roll < 3) {
      name->append(community).append("幼儿园");
    } else if (roll < 9) {
      const bool primary = roll < 6;
      std::int64_t& number = schools_[grid.district * 2 + (primary ? 0 : 1)];
      name->append(district).append("第");
      AppendOrdinal(++number, name);
      name->append(primary ? "小学" : "中学");
    } else {
      name->append(district).append("实验学校");
    }
  }

  void AppendTransit(const GridPlan& grid, std::string_view district, std::string* name) {
    const std::uint64_t roll = rng_.Uniform(10);
    if (roll < 6) {
      name->append("地铁").append(grid.road).append("站");
    } else if (roll < 9) {
      name->append(grid.road).append("公交总站");
    } else {
      name->append(district).append("长途汽车站");
    }
  }

  void AppendHospital(std::string_view district, std::string_view street, std::string* name) {
    const std::uint64_t roll = rng_.Uniform(10);
    if (roll < 4 && hospitals_ < 20) {
      name->append("第");
      AppendOrdinal(++hospitals_, name);
      name->append("人民医院");
    } else if (roll < 6) {
      name->append(district).append(rng_.PerMille(500) ? "中医院" : "妇幼保健院");
    } else {
      name->append(street).append("社区卫生服务中心");
    }
  }

  Rng& rng_;
  const CityPlan& plan_;
  const City& city_;
  std::vector<std::int64_t> schools_;  // last number per district, primary and middle
  std::int64_t hospitals_ = 0;         // city-wide 第N人民医院
};

}  // namespace

void BuildVenues(const CityOptions& options, const CityPlan& plan, City* city) {
  Rng rng(options.seed, Stream::kVenues);
  const std::int64_t count =
      std::max<std::int64_t>(1, (options.population + kPeoplePerVenue / 2) / kPeoplePerVenue);
  city->venues.reserve(static_cast<std::size_t>(count));
  VenueNamer namer(rng, plan, *city);
  for (std::int64_t i = 0; i < count; ++i) {
    // The first ten venues take one type each, so that every type exists from 1,500 people on.
    const std::size_t type =
        i < static_cast<std::int64_t>(kVenueTypeCount)
            ? static_cast<std::size_t>(i)
            : PickCumulative(rng, std::span<const std::uint32_t>(kTypeCumulative));
    const GridPlan& grid = plan.grids[rng.Uniform(plan.grids.size())];
    Venue venue;
    venue.code = "V";
    AppendDecimal(i + 1, 8, &venue.code);
    venue.name = namer.Name(static_cast<VenueType>(type), grid);
    venue.type = std::string(kTypeNames[type]);
    // Anywhere in the middle 90 % of the grid's cell, so that the venue stays inside it. One
    // correctly rounded division per coordinate: the same double on every IEEE 754 machine.
    const std::int64_t lat_e6 =
        grid.lat_e6 + rng.Between(-grid.cell_lat_e6 * 9 / 20, grid.cell_lat_e6 * 9 / 20);
    const std::int64_t lon_e6 =
        grid.lon_e6 + rng.Between(-grid.cell_lon_e6 * 9 / 20, grid.cell_lon_e6 * 9 / 20);
    venue.lat = static_cast<double>(lat_e6) / 1e6;
    venue.lon = static_cast<double>(lon_e6) / 1e6;
    venue.grid_code = city->regions[grid.region].code;
    city->venues.push_back(std::move(venue));
  }
}

}  // namespace cordon::sim::internal
