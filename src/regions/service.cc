#include "regions/service.h"

#include "auth/rules.h"
#include "regions/store.h"

namespace cordon::regions {

Status RegionService::Denied(const auth::Principal& who, std::string_view code) {
  if (!auth::IsRegionCode(code)) {
    // Not a code at all: nothing to look up, and nothing of it goes into the audit trail.
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"region.get", "region", "(malformed)", "not_found", "", ""}));
    return NotFound("区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
  }
  bool exists = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(exists, Exists(s, code));
    return Status::Ok();
  }));
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {exists ? "authz_denied" : "region.get", "region", std::string(code),
                          exists ? "denied" : "not_found", "", ""}));  // code: digits only
  return NotFound("区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
}

Result<Region> RegionService::Resolve(const auth::Principal& who, std::string_view code) {
  std::optional<Region> node;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(node, FindInScope(s, code, auth::SubtreeRange(who.region_path)));
    return Status::Ok();
  }));
  if (!node) {
    return Denied(who, code);
  }
  return *node;
}

Result<RegionWithChildren> RegionService::Get(const auth::Principal& who, std::string_view code) {
  RegionWithChildren out;
  bool found = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(auto node, FindInScope(s, code, auth::SubtreeRange(who.region_path)));
    if (!node) return Status::Ok();
    found = true;
    out.node = std::move(*node);
    CORDON_ASSIGN_OR_RETURN(out.node.staff, Staff(s, code));
    CORDON_ASSIGN_OR_RETURN(out.children, Children(s, code));
    return Status::Ok();
  }));
  if (!found) {
    return Denied(who, code);
  }
  return out;
}

}  // namespace cordon::regions
