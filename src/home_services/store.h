// SQL of home services and tip-offs; every read takes the caller's subtree on region_path.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "home_services/model.h"
#include "store/database.h"

namespace cordon::home_services {

// The running measure's person and region, if the measure is in `scope` and current.
struct MeasureRef {
  std::int64_t id = 0;
  std::string region_path;
};
Result<std::optional<MeasureRef>> CurrentMeasureInScope(store::Session& s, std::int64_t id,
                                                        const auth::PathRange& scope);
Result<std::int64_t> InsertService(store::Session& s, const Service& service);
Result<std::optional<Service>> ServiceInScope(store::Session& s, std::int64_t id,
                                              const auth::PathRange& scope);
Result<bool> FinishService(store::Session& s, std::int64_t id, const std::string& by,
                           const std::string& outcome, std::int64_t repaid_cents, std::int64_t now);
Result<std::vector<Service>> ListServices(store::Session& s, const auth::PathRange& scope,
                                          const ServiceQuery& q);
Result<ServiceCounts> CountServices(store::Session& s, const auth::PathRange& scope);

// The grid of the households in the building of `building` (an address prefix), or empty.
Result<std::string> GridOfBuilding(store::Session& s, const std::string& building);
Result<std::int64_t> InsertTipOff(store::Session& s, const TipOff& t);
Result<std::optional<TipOff>> TipOffInScope(store::Session& s, std::int64_t id,
                                            const auth::PathRange& scope);
Result<bool> CloseTipOff(store::Session& s, std::int64_t id, const std::string& status,
                         const std::string& by, const std::string& outcome,
                         std::int64_t reward_cents, std::int64_t now);
Result<std::vector<TipOff>> ListTipOffs(store::Session& s, const auth::PathRange& scope,
                                        const std::string& status, std::int64_t after, int limit);

}  // namespace cordon::home_services
