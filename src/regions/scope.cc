#include "regions/scope.h"

#include <string>

namespace cordon::regions {

Result<std::optional<auth::PathRange>> ListScope(store::Session& s, const auth::Principal& who,
                                                 std::string_view region) {
  if (region.empty()) {
    return std::optional<auth::PathRange>(auth::SubtreeRange(who.region_path));
  }
  if (!auth::IsRegionCode(region)) {
    return FieldInvalid("region", "区划代码应为 6-30 位数字 (a region code is 6 to 30 digits)");
  }
  std::string path;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT path FROM regions WHERE code = ?", {std::string(region)},
                                 [&](const store::Row& row) {
                                   path = row.Text(0);
                                   return Status::Ok();
                                 }));
  if (path.empty() || !auth::InSubtree(path, who.region_path)) {
    return std::optional<auth::PathRange>();
  }
  return std::optional<auth::PathRange>(auth::SubtreeRange(path));
}

Status RegionDenied(auth::AuditLog& audit, const auth::Principal& who, std::string_view region) {
  CORDON_RETURN_IF_ERROR(
      audit.Record(who, {"authz_denied", "region", std::string(region), "denied", "", ""}));
  return NotFound("区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
}

}  // namespace cordon::regions
