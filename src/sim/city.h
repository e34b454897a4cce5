// The synthetic city: a region tree, households, residents and venues, generated from a seed.
// Pure generation into plain structs; the loader that writes a City into the store lives
// elsewhere. Used by `cordon demo`, the benchmarks and the scenario tests.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace cordon::sim {

enum class RegionLevel { kCity = 1, kDistrict = 2, kStreet = 3, kCommunity = 4, kGrid = 5 };

// A responsible person of a region node. role: "指挥长" (city, district), "包片领导" and
// "街道书记" (street), "社区书记", "社区主任", "社区民警", "家庭医生" (community), "网格员" (grid).
struct Responsible {
  std::string name;
  std::string role;
  std::string phone;  // unique across the whole City (residents and staff)
};

struct RegionNode {
  // city "440100" (6 digits), district "440106", street +3 digits "440106001",
  // community +3 "440106001002", grid +3 "440106001002003".
  std::string code;
  std::string parent_code;  // "" for the city
  std::string name;  // "清江市", "东湖区", "龙华街道", "翠苑社区", "第3网格"
  RegionLevel level;
  // Residents aged 0–2, 3–11, 12–17, 18–59, 60+ on 1 July of the reference year; filled for
  // every level and summed up the tree.
  std::array<std::int64_t, 5> age_bands{};
  std::int64_t population = 0;  // sum of age_bands
  std::int64_t households = 0;
  std::vector<Responsible> staff;
};

struct Household {
  std::int64_t id;  // 1-based, contiguous per grid
  std::string grid_code;
  std::string address;  // "东湖区龙华路123号5栋2单元301室", unique in the city
};

struct Person {
  // GB 11643-1999 18-digit resident ID: one of the city's district codes, the birth date, a
  // sequence code whose last digit is odd for men and even for women, the check character.
  // Unique in the city.
  std::string id_number;
  std::string name;        // surname weighted by frequency, 1–2 given characters fitting the sex
  char sex;                // 'M' or 'F'
  std::string birth_date;  // YYYY-MM-DD, the same date as in id_number
  std::string phone;       // 11-digit mainland mobile, unique; "" for children under 12
  std::string address;     // the household's address
  std::int64_t household;  // Household::id
  std::string grid_code;   // the household's grid
};

// type is one of: restaurant, market, school, office, transit, hospital, hotel, supermarket,
// gym, cinema.
struct Venue {
  std::string code;  // "V" + 8 digits, unique
  std::string name;  // "老街口川菜馆", "地铁体育西路站", "第一人民医院"
  std::string type;
  double lat;  // inside the city's bounding box, near the grid
  double lon;
  std::string grid_code;
};

struct City {
  std::vector<RegionNode> regions;    // pre-order: the city first, each node before its children
  std::vector<Household> households;  // by id
  std::vector<Person> people;         // grouped by household, in household order
  std::vector<Venue> venues;
};

struct CityOptions {
  std::int64_t population = 200'000;
  std::uint64_t seed = 1;
  std::int32_t reference_year = 2022;  // ages are taken on 1 July of this year
};

// Generates a city of exactly options.population residents.
//
// Deterministic: the same options give byte-identical output on any machine (our own PRNG,
// no library distributions, no unordered iteration, integer arithmetic; a coordinate is one
// division of two integers).
// Sizes: 4–12 districts growing with the population (never more districts than grids, so fewer
// below ~3,000 people), streets of about 20 grids, communities of about 4 grids, 300–800
// households per grid (below ~780 people, a single grid with fewer), 1–6 people per household
// (mean ~2.6), a China-like age pyramid, about one venue per 150 residents. Even 100 residents
// give one node of every level.
//
// Returns kInvalidArgument if population < 100 or > 50,000,000, or reference_year is outside
// 1950–2100.
// Complexity: O(population) time and memory: about 370 bytes and 1.5 µs of CPU per resident
// at -O2, 40 % of it the kernel handing out fresh pages.
// Thread-safety: a pure function; concurrent calls are safe.
Result<City> GenerateCity(const CityOptions& options);

}  // namespace cordon::sim
