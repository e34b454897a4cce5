// The region tree (属地): city > district > street > community > grid.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cordon::regions {

enum class Level { kCity = 1, kDistrict = 2, kStreet = 3, kCommunity = 4, kGrid = 5 };

// Age bands used as coverage denominators: 0–2, 3–11, 12–17, 18–59, 60+.
inline constexpr std::array<const char*, 5> kAgeBandNames = {"0-2", "3-11", "12-17", "18-59",
                                                             "60+"};

struct Responsible {
  std::string name;
  std::string role;   // 包片领导, 社区书记, 网格员, ...
  std::string phone;  // stored whole, shown masked
};

struct Region {
  std::string code;
  std::string parent_code;
  Level level = Level::kCity;
  std::string name;
  std::string path;  // "/440100/440106/", see migrations/0001_regions.sql
  std::int64_t population = 0;
  std::int64_t households = 0;
  std::array<std::int64_t, 5> age_bands{};
  std::int64_t child_count = 0;
  std::vector<Responsible> staff;
};

struct RegionWithChildren {
  Region node;
  std::vector<Region> children;
};

const char* LevelName(Level level);

}  // namespace cordon::regions
