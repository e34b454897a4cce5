// SQL for the region tree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "regions/model.h"
#include "store/database.h"

namespace cordon::regions {

// The node with `code` if it lies inside `scope` (the scope is part of the SQL).
Result<std::optional<Region>> FindInScope(store::Session& s, std::string_view code,
                                          const auth::PathRange& scope);
// Whether a node exists at all; used only to classify a denied request for the audit trail.
Result<bool> Exists(store::Session& s, std::string_view code);
Result<std::vector<Region>> Children(store::Session& s, std::string_view code);
Result<std::vector<Responsible>> Staff(store::Session& s, std::string_view code);

Status Insert(store::Session& s, const Region& region);
Status InsertStaff(store::Session& s, std::string_view code, const Responsible& person);

}  // namespace cordon::regions
