#include "sim/city.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/id_number.h"
#include "base/phone.h"

namespace cordon::sim {
namespace {

constexpr std::array<std::string_view, 10> kVenueTypes = {
    "restaurant", "market", "school",      "office", "transit",
    "hospital",   "hotel",  "supermarket", "gym",    "cinema"};

// Every field of the city, in order, so that two cities compare byte for byte.
std::string Serialize(const City& city) {
  std::string out;
  auto add = [&out](std::string_view text) { out.append(text).push_back('\x1f'); };
  auto add_int = [&add](std::int64_t value) { add(std::to_string(value)); };
  auto add_double = [&add](double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    add(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
  };
  for (const RegionNode& node : city.regions) {
    add(node.code);
    add(node.parent_code);
    add(node.name);
    add_int(static_cast<int>(node.level));
    for (const std::int64_t count : node.age_bands) {
      add_int(count);
    }
    add_int(node.population);
    add_int(node.households);
    for (const Responsible& staff : node.staff) {
      add(staff.name);
      add(staff.role);
      add(staff.phone);
    }
  }
  for (const Household& household : city.households) {
    add_int(household.id);
    add(household.grid_code);
    add(household.address);
  }
  for (const Person& person : city.people) {
    add(person.id_number);
    add(person.name);
    add(std::string(1, person.sex));
    add(person.birth_date);
    add(person.phone);
    add(person.address);
    add_int(person.household);
    add(person.grid_code);
  }
  for (const Venue& venue : city.venues) {
    add(venue.code);
    add(venue.name);
    add(venue.type);
    add_double(venue.lat);
    add_double(venue.lon);
    add(venue.grid_code);
  }
  return out;
}

// FNV-1a, for a golden fingerprint that is the same on every machine.
std::uint64_t Fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

City Generate(std::int64_t population, std::uint64_t seed) {
  Result<City> city = GenerateCity({.population = population, .seed = seed});
  EXPECT_TRUE(city.has_value()) << city.error().message();
  return std::move(city).value();
}

// Age in whole years on 1 July of reference_year.
int AgeOn1July(std::string_view birth_date, int reference_year) {
  const int year = std::stoi(std::string(birth_date.substr(0, 4)));
  const int month_day = std::stoi(std::string(birth_date.substr(5, 2))) * 100 +
                        std::stoi(std::string(birth_date.substr(8, 2)));
  return reference_year - year - (month_day > 701 ? 1 : 0);
}

int AgeBand(int age) {
  if (age <= 2) {
    return 0;
  }
  if (age <= 11) {
    return 1;
  }
  if (age <= 17) {
    return 2;
  }
  if (age <= 59) {
    return 3;
  }
  return 4;
}

std::size_t CodeLength(RegionLevel level) {
  switch (level) {
    case RegionLevel::kCity:
    case RegionLevel::kDistrict:
      return 6;
    case RegionLevel::kStreet:
      return 9;
    case RegionLevel::kCommunity:
      return 12;
    case RegionLevel::kGrid:
      return 15;
  }
  return 0;
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The structural checks every city must pass, whatever its size.
void ExpectValidTree(const City& city, std::int64_t population) {
  ASSERT_FALSE(city.regions.empty());
  const RegionNode& root = city.regions.front();
  EXPECT_EQ(root.level, RegionLevel::kCity);
  EXPECT_EQ(root.parent_code, "");
  EXPECT_EQ(root.population, population);
  EXPECT_EQ(root.households, static_cast<std::int64_t>(city.households.size()));
  std::map<std::string, const RegionNode*> by_code;
  for (const RegionNode& node : city.regions) {
    EXPECT_TRUE(by_code.emplace(node.code, &node).second) << "duplicate code " << node.code;
  }
  std::map<std::string, std::array<std::int64_t, 7>> child_sums;  // 5 bands, people, households
  std::map<std::string, int> child_counts;
  std::array<int, 6> per_level{};
  for (const RegionNode& node : city.regions) {
    ++per_level[static_cast<std::size_t>(node.level)];
    EXPECT_EQ(node.code.size(), CodeLength(node.level)) << node.code;
    EXPECT_TRUE(AllDigits(node.code)) << node.code;
    EXPECT_FALSE(node.name.empty());
    EXPECT_FALSE(node.staff.empty()) << node.code;
    std::int64_t band_sum = 0;
    for (const std::int64_t count : node.age_bands) {
      band_sum += count;
    }
    EXPECT_EQ(band_sum, node.population) << node.code;
    if (node.level == RegionLevel::kCity) {
      continue;
    }
    const auto parent = by_code.find(node.parent_code);
    ASSERT_NE(parent, by_code.end()) << node.code;
    EXPECT_EQ(static_cast<int>(parent->second->level) + 1, static_cast<int>(node.level));
    if (node.level == RegionLevel::kDistrict) {
      EXPECT_EQ(node.code.substr(0, 4), node.parent_code.substr(0, 4));
      EXPECT_NE(node.code.substr(4), "00");
    } else {
      EXPECT_TRUE(node.code.starts_with(node.parent_code)) << node.code;
    }
    auto& sums = child_sums[node.parent_code];
    for (std::size_t b = 0; b < 5; ++b) {
      sums[b] += node.age_bands[b];
    }
    sums[5] += node.population;
    sums[6] += node.households;
    ++child_counts[node.parent_code];
  }
  for (int level = 1; level <= 5; ++level) {
    EXPECT_GE(per_level[level], 1) << "level " << level;
  }
  // Populations, bands and households sum up the tree; every non-grid node has children.
  for (const RegionNode& node : city.regions) {
    if (node.level == RegionLevel::kGrid) {
      EXPECT_EQ(child_counts.count(node.code), 0u);
      continue;
    }
    ASSERT_GT(child_counts[node.code], 0) << node.code;
    const auto& sums = child_sums[node.code];
    for (std::size_t b = 0; b < 5; ++b) {
      EXPECT_EQ(sums[b], node.age_bands[b]) << node.code;
    }
    EXPECT_EQ(sums[5], node.population) << node.code;
    EXPECT_EQ(sums[6], node.households) << node.code;
  }
  // Grids agree with the households and people in them.
  std::map<std::string, std::int64_t> households_in, people_in;
  for (const Household& household : city.households) {
    ++households_in[household.grid_code];
  }
  for (const Person& person : city.people) {
    ++people_in[person.grid_code];
  }
  for (const RegionNode& node : city.regions) {
    if (node.level != RegionLevel::kGrid) {
      continue;
    }
    EXPECT_EQ(households_in[node.code], node.households) << node.code;
    EXPECT_EQ(people_in[node.code], node.population) << node.code;
  }
  EXPECT_EQ(static_cast<std::int64_t>(city.people.size()), population);
}

// One city of 50,000 shared by the TEST_Fs below: generated once, read only.
class CityTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kPopulation = 50'000;

  static const City& SharedCity() {
    static const City shared = Generate(kPopulation, 2022);
    return shared;
  }
};

TEST(GenerateCityTest, RejectsInvalidOptions) {
  for (const std::int64_t population : {-1LL, 0LL, 99LL, 50'000'001LL}) {
    const Result<City> city = GenerateCity({.population = population});
    ASSERT_FALSE(city.has_value()) << population;
    EXPECT_EQ(city.error().code(), StatusCode::kInvalidArgument);
  }
  for (const std::int32_t year : {1900, 2200}) {
    const Result<City> city = GenerateCity({.population = 1000, .reference_year = year});
    ASSERT_FALSE(city.has_value()) << year;
    EXPECT_EQ(city.error().code(), StatusCode::kInvalidArgument);
  }
}

TEST(GenerateCityTest, SameSeedSameCityDifferentSeedDifferentCity) {
  const std::string first = Serialize(Generate(20'000, 7));
  EXPECT_EQ(first, Serialize(Generate(20'000, 7)));
  EXPECT_NE(first, Serialize(Generate(20'000, 8)));
}

// The generator must give byte-identical cities on every machine and compiler (checked: g++ 12
// -O2, clang 14 -O0 with ASan/UBSan, g++ -march=native -ffp-contract=fast). If you change the
// generator on purpose, print the new fingerprint and update it here in the same commit.
TEST(GenerateCityTest, GoldenFingerprint) {
  EXPECT_EQ(Fnv1a(Serialize(Generate(2'000, 1))), 10924224793896221293ULL);
}

TEST(GenerateCityTest, SmallCitiesHaveEveryLevel) {
  for (const std::int64_t population : {100, 101, 500, 799, 1'000, 2'500, 5'000}) {
    SCOPED_TRACE(population);
    for (const std::uint64_t seed : {1, 2, 3}) {
      ExpectValidTree(Generate(population, seed), population);
    }
  }
}

TEST_F(CityTest, TreeIsConsistent) { ExpectValidTree(SharedCity(), kPopulation); }

TEST_F(CityTest, GridsHold300To800Households) {
  for (const RegionNode& node : SharedCity().regions) {
    if (node.level != RegionLevel::kGrid) {
      continue;
    }
    EXPECT_GE(node.households, 300) << node.code;
    EXPECT_LE(node.households, 800) << node.code;
  }
}

TEST_F(CityTest, DistrictCountGrowsWithPopulation) {
  const auto districts = [](const City& city) {
    return std::count_if(city.regions.begin(), city.regions.end(), [](const RegionNode& node) {
      return node.level == RegionLevel::kDistrict;
    });
  };
  EXPECT_EQ(districts(SharedCity()), 4);
  // One more district each time the population doubles from 200,000.
  const City bigger = Generate(200'000, 1);
  EXPECT_EQ(districts(bigger), 5);
  for (const RegionNode& node : bigger.regions) {
    if (node.level == RegionLevel::kGrid) {
      EXPECT_GE(node.households, 300) << node.code;
      EXPECT_LE(node.households, 800) << node.code;
    }
  }
}

TEST_F(CityTest, EveryIdNumberIsValid) {
  std::set<std::string> district_codes;
  for (const RegionNode& node : SharedCity().regions) {
    if (node.level == RegionLevel::kDistrict) {
      district_codes.insert(node.code);
    }
  }
  const std::chrono::year_month_day today{std::chrono::year{2022}, std::chrono::July,
                                          std::chrono::day{1}};
  std::set<std::string> seen;
  for (const Person& person : SharedCity().people) {
    const std::string& id = person.id_number;
    ASSERT_EQ(id.size(), 18u) << id;
    ASSERT_TRUE(AllDigits(std::string_view(id).substr(0, 17))) << id;
    EXPECT_EQ(base::GbCheckCharacter(std::string_view(id).substr(0, 17)), id[17]) << id;
    EXPECT_EQ(district_codes.count(id.substr(0, 6)), 1u) << id;
    std::string compact = person.birth_date;
    compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
    EXPECT_EQ(id.substr(6, 8), compact) << id;
    EXPECT_EQ((id[16] - '0') % 2 == 1, person.sex == 'M') << id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    const Result<base::ResidentId> parsed = base::ParseResidentId(id, today);
    ASSERT_TRUE(parsed.has_value()) << id << ": " << parsed.error().message();
    EXPECT_EQ(parsed->sex, person.sex);
    EXPECT_EQ(parsed->birth_date, person.birth_date);
  }
}

TEST_F(CityTest, PhonesAreUniqueMobilesAndChildrenHaveNone) {
  std::set<std::string> seen;
  auto check = [&seen](const std::string& phone) {
    ASSERT_EQ(phone.size(), 11u) << phone;
    EXPECT_TRUE(AllDigits(phone)) << phone;
    EXPECT_EQ(phone[0], '1');
    EXPECT_GE(phone[1], '3');
    EXPECT_TRUE(seen.insert(phone).second) << "duplicate " << phone;
    const Result<base::Mobile> parsed = base::ParseMobile(phone);
    ASSERT_TRUE(parsed.has_value()) << phone << ": " << parsed.error().message();
    EXPECT_TRUE(parsed->warnings.empty()) << phone;  // an allocated, personal segment
  };
  for (const Person& person : SharedCity().people) {
    if (AgeOn1July(person.birth_date, 2022) < 12) {
      EXPECT_EQ(person.phone, "");
    } else {
      check(person.phone);
    }
  }
  for (const RegionNode& node : SharedCity().regions) {
    for (const Responsible& staff : node.staff) {
      check(staff.phone);
    }
  }
}

TEST_F(CityTest, AgeBandsMatchBirthDatesAndPyramid) {
  std::map<std::string, std::array<std::int64_t, 5>> bands;
  std::array<std::int64_t, 5> total{};
  for (const Person& person : SharedCity().people) {
    const int age = AgeOn1July(person.birth_date, 2022);
    ASSERT_GE(age, 0) << person.birth_date;
    ASSERT_LE(age, 100) << person.birth_date;
    ++bands[person.grid_code][static_cast<std::size_t>(AgeBand(age))];
    ++total[static_cast<std::size_t>(AgeBand(age))];
  }
  for (const RegionNode& node : SharedCity().regions) {
    if (node.level == RegionLevel::kGrid) {
      EXPECT_EQ(bands[node.code], node.age_bands);
    }
  }
  const std::array<double, 5> expected = {0.03, 0.10, 0.07, 0.62, 0.18};
  for (std::size_t b = 0; b < 5; ++b) {
    EXPECT_NEAR(static_cast<double>(total[b]) / kPopulation, expected[b], 0.015) << "band " << b;
  }
}

TEST_F(CityTest, HouseholdsAreContiguousAndSized1To6) {
  ASSERT_FALSE(SharedCity().households.empty());
  for (std::size_t i = 0; i < SharedCity().households.size(); ++i) {
    EXPECT_EQ(SharedCity().households[i].id, static_cast<std::int64_t>(i + 1));
  }
  std::set<std::string> addresses;
  for (const Household& household : SharedCity().households) {
    EXPECT_TRUE(addresses.insert(household.address).second) << household.address;
    EXPECT_TRUE(household.address.ends_with("室")) << household.address;
  }
  std::map<std::int64_t, int> sizes;
  std::int64_t previous = 0;
  for (const Person& person : SharedCity().people) {
    EXPECT_GE(person.household, previous);  // grouped by household
    previous = person.household;
    const Household& household =
        SharedCity().households[static_cast<std::size_t>(person.household - 1)];
    EXPECT_EQ(person.address, household.address);
    EXPECT_EQ(person.grid_code, household.grid_code);
    ++sizes[person.household];
  }
  EXPECT_EQ(sizes.size(), SharedCity().households.size());
  for (const auto& [id, size] : sizes) {
    EXPECT_GE(size, 1);
    EXPECT_LE(size, 6);
  }
  const double mean = static_cast<double>(kPopulation) / static_cast<double>(sizes.size());
  EXPECT_NEAR(mean, 2.6, 0.1);
}

TEST_F(CityTest, NamesLookChinese) {
  std::map<std::string, int> first_char;
  for (const Person& person : SharedCity().people) {
    // 2–4 CJK characters of three UTF-8 bytes each.
    EXPECT_GE(person.name.size(), 6u) << person.name;
    EXPECT_LE(person.name.size(), 12u) << person.name;
    EXPECT_EQ(person.name.size() % 3, 0u) << person.name;
    ++first_char[person.name.substr(0, 3)];
  }
  // 王, 李 and 张 are each about 7 % of the population.
  for (const char* surname : {"王", "李", "张"}) {
    EXPECT_GT(first_char[surname], kPopulation / 25) << surname;
  }
}

TEST_F(CityTest, VenuesCoverEveryTypeAndSitInTheirGrids) {
  const auto& venues = SharedCity().venues;
  EXPECT_NEAR(static_cast<double>(venues.size()), kPopulation / 150.0, 2.0);
  std::set<std::string> grids, codes, types;
  for (const RegionNode& node : SharedCity().regions) {
    if (node.level == RegionLevel::kGrid) {
      grids.insert(node.code);
    }
  }
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  for (const Venue& venue : venues) {
    ASSERT_EQ(venue.code.size(), 9u);
    EXPECT_EQ(venue.code[0], 'V');
    EXPECT_TRUE(AllDigits(std::string_view(venue.code).substr(1)));
    EXPECT_TRUE(codes.insert(venue.code).second);
    EXPECT_FALSE(venue.name.empty());
    EXPECT_NE(std::find(kVenueTypes.begin(), kVenueTypes.end(), venue.type), kVenueTypes.end())
        << venue.type;
    types.insert(venue.type);
    EXPECT_EQ(grids.count(venue.grid_code), 1u) << venue.grid_code;
    min_lat = std::min(min_lat, venue.lat);
    max_lat = std::max(max_lat, venue.lat);
    min_lon = std::min(min_lon, venue.lon);
    max_lon = std::max(max_lon, venue.lon);
  }
  EXPECT_EQ(types.size(), kVenueTypes.size());
  // Mainland China, and a city rather than a province.
  EXPECT_GT(min_lat, 18.0);
  EXPECT_LT(max_lat, 54.0);
  EXPECT_GT(min_lon, 73.0);
  EXPECT_LT(max_lon, 135.0);
  EXPECT_LT(max_lat - min_lat, 1.0);
  EXPECT_LT(max_lon - min_lon, 1.0);
  // Venues of one grid lie within one small cell.
  std::map<std::string, std::pair<double, double>> first_in_grid;
  for (const Venue& venue : venues) {
    const auto [it, inserted] =
        first_in_grid.emplace(venue.grid_code, std::pair{venue.lat, venue.lon});
    if (inserted) {
      continue;
    }
    EXPECT_LT(std::abs(venue.lat - it->second.first), (max_lat - min_lat) / 2);
    EXPECT_LT(std::abs(venue.lon - it->second.second), (max_lon - min_lon) / 2);
  }
}

TEST(GenerateCityTest, VenuesOfEveryTypeFrom20000People) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    const City city = Generate(20'000, seed);
    std::set<std::string> types;
    for (const Venue& venue : city.venues) {
      types.insert(venue.type);
    }
    EXPECT_EQ(types.size(), kVenueTypes.size()) << seed;
  }
}

}  // namespace
}  // namespace cordon::sim
