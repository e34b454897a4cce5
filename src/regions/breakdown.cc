#include "regions/breakdown.h"

#include <algorithm>

#include "auth/rules.h"

namespace cordon::regions {

const BreakdownNode* Breakdown::ChildOf(std::string_view region_path) const {
  if (child_path_length == 0 || region_path.size() < child_path_length) {
    return nullptr;
  }
  const std::string_view prefix = region_path.substr(0, child_path_length);
  auto it = std::lower_bound(children.begin(), children.end(), prefix,
                             [](const BreakdownNode& c, std::string_view p) { return c.path < p; });
  return it != children.end() && it->path == prefix ? &*it : nullptr;
}

Result<std::optional<Breakdown>> BreakdownOf(store::Session& s, const auth::Principal& who,
                                             std::string_view region) {
  std::string code(region.empty() ? std::string_view(who.user.region_code) : region);
  if (!auth::IsRegionCode(code)) {
    return FieldInvalid("region", "区划代码应为 6-30 位数字 (a region code is 6 to 30 digits)");
  }
  std::optional<Breakdown> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT code, name, path, level FROM regions WHERE code = ?", {code},
              [&](const store::Row& row) {
                out = Breakdown{};
                out->node = {row.Text(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3))};
                return Status::Ok();
              }));
  if (!out || !auth::InSubtree(out->node.path, who.region_path)) {
    return std::optional<Breakdown>();
  }
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT code, name, path, level FROM regions WHERE parent_code = ? ORDER BY code",
              {code}, [&](const store::Row& row) {
                out->children.push_back(
                    {row.Text(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3))});
                return Status::Ok();
              }));
  // Paths sort like codes among siblings (same length), which ChildOf's binary search needs.
  std::sort(out->children.begin(), out->children.end(),
            [](const BreakdownNode& a, const BreakdownNode& b) { return a.path < b.path; });
  if (!out->children.empty()) {
    out->child_path_length = out->children.front().path.size();
  }
  return out;
}

}  // namespace cordon::regions
