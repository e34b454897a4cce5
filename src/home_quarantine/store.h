// SQL of home-quarantine households and their 四包一 staff. Households are found through the
// measures of their people, with the caller's subtree on measures.region_path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "home_quarantine/model.h"
#include "store/database.h"

namespace cordon::home_quarantine {

// Households with someone under a current home measure, keyset-paged by household id.
Result<std::vector<Household>> ListHouseholds(store::Session& s, const auth::PathRange& scope,
                                              std::int64_t after, int limit, bool incomplete_only);
struct HouseholdCounts {
  std::int64_t households = 0, incomplete = 0, people = 0;
};
// Fills measure_ids and missing for a page of households (two queries for the page).
Status FillDetails(store::Session& s, std::vector<Household>& households);
Result<HouseholdCounts> CountHouseholds(store::Session& s, const auth::PathRange& scope);
// Any household in the subtree, with its people under home measures (0 when none).
Result<std::optional<Household>> HouseholdInScope(store::Session& s, std::int64_t id,
                                                  const auth::PathRange& scope);
Result<std::map<std::string, Staff>> AssignedStaff(store::Session& s, std::int64_t household_id);
// The responsible people of these regions (the household's grid, community and street).
Result<std::vector<Staff>> StaffOf(store::Session& s, const std::vector<std::string>& regions);
Status SetDuty(store::Session& s, std::int64_t household_id, const std::string& duty,
               std::int64_t staff_id, const std::string& by, std::int64_t now);
Status ClearDuty(store::Session& s, std::int64_t household_id, const std::string& duty);

}  // namespace cordon::home_quarantine
