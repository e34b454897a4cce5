// Home quarantine households (居家隔离户) and their four responsible staff (四包一).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::home_quarantine {

// The four duties of 四包一, in the order notices print them.
inline constexpr std::array<std::string_view, 4> kDuties = {"cadre", "grid_worker", "doctor",
                                                            "police"};
bool IsDuty(std::string_view duty);
// Whether a responsible person's role (region_staff.role, as the seeds name it) may take a duty:
// cadre ← 社区书记, 社区主任, 街道书记, 包片领导; grid_worker ← 网格员; doctor ← 家庭医生;
// police ← 社区民警.
bool RoleFits(std::string_view duty, std::string_view role);

struct Staff {
  std::int64_t id = 0;
  std::string name, role, phone;  // phone masked by the routes
  std::string region_code, region_name;
};

struct Household {
  std::int64_t id = 0;
  std::string address;  // masked by the routes
  std::string region_code, region_name, region_path;
  std::int64_t under_measures = 0;  // people of the household under a home measure
  std::string earliest_start, latest_end;
  int staffed = 0;                        // duties filled, of four
  std::vector<std::int64_t> measure_ids;  // the current home measures of its people
  std::vector<std::string> missing;       // the duties not yet named, in kDuties order
};

struct HouseholdStaff {
  Household household;
  std::array<std::optional<Staff>, 4> assigned;  // by kDuties order
  std::array<std::vector<Staff>, 4> candidates;  // from the grid, community and street
};

}  // namespace cordon::home_quarantine
