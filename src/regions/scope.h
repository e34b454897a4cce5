// The part of the region tree a list covers: the caller's whole jurisdiction, or one region
// inside it. Every scoped list (tasks, measures, alerts, …) resolves its `region` parameter here.
#pragma once

#include <optional>
#include <string_view>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/rules.h"
#include "store/database.h"

namespace cordon::regions {

// nullopt when `region` is absent or outside the caller's jurisdiction: the caller then answers
// RegionDenied. Errors: kInvalidArgument on field "region" for a malformed code.
Result<std::optional<auth::PathRange>> ListScope(store::Session& s, const auth::Principal& who,
                                                 std::string_view region);
// Audits the attempt and returns the 404 that a missing region also gets.
Status RegionDenied(auth::AuditLog& audit, const auth::Principal& who, std::string_view region);

}  // namespace cordon::regions
