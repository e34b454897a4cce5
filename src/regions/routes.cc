#include "regions/routes.h"

#include <nlohmann/json.hpp>

#include "auth/rules.h"
#include "base/masking.h"
#include "http/json_input.h"

namespace cordon::regions {
namespace {

using nlohmann::json;

json Summary(const Region& r) {
  json bands = json::object();
  for (std::size_t i = 0; i < kAgeBandNames.size(); ++i) {
    bands[kAgeBandNames[i]] = r.age_bands[i];
  }
  return {{"code", r.code},
          {"name", r.name},
          {"level", static_cast<int>(r.level)},
          {"level_name", LevelName(r.level)},
          {"parent_code", r.parent_code.empty() ? json(nullptr) : json(r.parent_code)},
          {"population", r.population},
          {"households", r.households},
          {"age_bands", bands},
          {"child_count", r.child_count}};
}

}  // namespace

void RegisterRoutes(http::Server& server, RegionService& regions) {
  server.Route("GET", "/api/v1/regions/{code}", http::Access::kAuthenticated,
               [&regions](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(auto tree,
                                         regions.Get(*ctx.principal, ctx.path_params[0]));
                 json out = Summary(tree.node);
                 json staff = json::array();
                 for (const auto& p : tree.node.staff) {
                   staff.push_back(
                       {{"name", p.name}, {"role", p.role}, {"phone", base::MaskPhone(p.phone)}});
                 }
                 out["staff"] = staff;
                 json children = json::array();
                 for (const auto& c : tree.children) {
                   children.push_back(Summary(c));
                 }
                 out["children"] = children;
                 return http::JsonResponse(200, http::JsonText(out));
               });
}

}  // namespace cordon::regions
