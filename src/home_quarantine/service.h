// Use cases of home-quarantine households: the list (with the households whose 四包一 is not
// complete flagged), one household's staff with the candidates, and assigning them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "home_quarantine/model.h"
#include "home_quarantine/store.h"
#include "store/database.h"

namespace cordon::home_quarantine {

class HomeQuarantineService {
 public:
  HomeQuarantineService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  struct Query {
    std::string region;
    std::int64_t after = 0;
    int limit = 50;
    bool incomplete_only = false;
  };
  // Households in the caller's jurisdiction (or `region` in it) with someone under home
  // quarantine or home monitoring. Audited read. Errors: kNotFound for a region outside.
  Result<std::vector<Household>> List(const auth::Principal& who, const Query& q,
                                      HouseholdCounts* counts);
  // Errors: kNotFound outside the jurisdiction (audited).
  Result<HouseholdStaff> Staff(const auth::Principal& who, std::int64_t household_id);
  // Sets the duties named (a staff id, or nullopt to clear); the others stay. Each person must
  // be a responsible person of the household's grid, community or street whose role fits the
  // duty. Errors also: kInvalidArgument naming the duty.
  Result<HouseholdStaff> Assign(const auth::Principal& who, std::int64_t household_id,
                                const std::map<std::string, std::optional<std::int64_t>>& duties);

 private:
  std::int64_t Now() const;
  Status Denied(const auth::Principal& who, std::int64_t household_id);

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
};

}  // namespace cordon::home_quarantine
