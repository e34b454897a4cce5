// SQL for person files. Every read takes the caller's jurisdiction range and puts it in the SQL
// (security.md A1): there is no unscoped read of a person here except Exists, used only to tell
// a denied request from a missing one in the audit trail.
#pragma once

#include <optional>
#include <vector>

#include "auth/rules.h"
#include "people/model.h"
#include "store/database.h"

namespace cordon::people {

Result<std::optional<Person>> FindInScope(store::Session& s, std::int64_t id,
                                          const auth::PathRange& scope);
Result<bool> Exists(store::Session& s, std::int64_t id);
Result<std::vector<Person>> Search(store::Session& s, QueryKind kind, const std::string& value,
                                   const auth::PathRange& scope, const Page& page);
// Errors: kAlreadyExists when the document number is taken.
Result<std::int64_t> Insert(store::Session& s, const Person& p, std::int64_t now);
// Writes p if its stored version is still p.version. Returns false on a version conflict.
Result<bool> Update(store::Session& s, const Person& p, std::int64_t now);
// Whether the household exists and lies inside `scope`.
Result<bool> HouseholdInScope(store::Session& s, std::int64_t household_id,
                              const auth::PathRange& scope);
// Another person with this document number (any jurisdiction), or 0.
Result<std::int64_t> FindByDocument(store::Session& s, const std::string& id_type,
                                    const std::string& id_number);

// The region's path and name for placing a person; nullopt when the region does not exist.
struct Placement {
  std::string path;
  std::string name;
};
Result<std::optional<Placement>> PlacementOf(store::Session& s, const std::string& region_code);

}  // namespace cordon::people
