// Use cases over the region tree, always within the caller's jurisdiction.
#pragma once

#include "auth/audit_log.h"
#include "auth/model.h"
#include "regions/model.h"
#include "store/database.h"

namespace cordon::regions {

class RegionService {
 public:
  RegionService(store::Database& db, auth::AuditLog& audit) : db_(db), audit_(audit) {}

  // The node and its children. Errors: kNotFound when absent or outside the caller's
  // jurisdiction (the same answer for both; the attempt is audited as authz_denied).
  Result<RegionWithChildren> Get(const auth::Principal& who, std::string_view code);

  // The node if inside the caller's jurisdiction (for other capabilities' filters). Same errors.
  Result<Region> Resolve(const auth::Principal& who, std::string_view code);

 private:
  Status Denied(const auth::Principal& who, std::string_view code);

  store::Database& db_;
  auth::AuditLog& audit_;
};

}  // namespace cordon::regions
