#include <algorithm>

#include "home_quarantine/model.h"

namespace cordon::home_quarantine {

bool IsDuty(std::string_view duty) {
  return std::find(kDuties.begin(), kDuties.end(), duty) != kDuties.end();
}

bool RoleFits(std::string_view duty, std::string_view role) {
  if (duty == "cadre") {
    return role == "社区书记" || role == "社区主任" || role == "街道书记" || role == "包片领导";
  }
  if (duty == "grid_worker") {
    return role == "网格员";
  }
  if (duty == "doctor") {
    return role == "家庭医生";
  }
  if (duty == "police") {
    return role == "社区民警";
  }
  return false;
}

}  // namespace cordon::home_quarantine
