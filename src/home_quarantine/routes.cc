#include "home_quarantine/routes.h"

#include <nlohmann/json.hpp>

#include "base/masking.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::home_quarantine {
namespace {

using nlohmann::json;

// The staff named for a household are printed on its door with their duty phone (三公示):
// theirs is shown in full; the candidates' stay masked.
json StaffJson(const Staff& s, bool assigned = false) {
  return {{"id", s.id},
          {"name", s.name},
          {"role", s.role},
          {"phone", assigned ? s.phone : base::MaskPhone(s.phone)},
          {"region", {{"code", s.region_code}, {"name", s.region_name}}}};
}

json HouseholdJson(const Household& h) {
  return {{"id", h.id},
          {"address", base::MaskAddress(h.address)},
          {"region", {{"code", h.region_code}, {"name", h.region_name}}},
          {"under_measures", h.under_measures},
          {"start_date", h.earliest_start.empty() ? json(nullptr) : json(h.earliest_start)},
          {"end_date", h.latest_end.empty() ? json(nullptr) : json(h.latest_end)},
          {"staffed", h.staffed},
          {"measure_ids", h.measure_ids},
          {"missing", h.missing},
          {"complete", h.staffed == static_cast<int>(kDuties.size())}};
}

http::Response StaffAnswer(const HouseholdStaff& hs) {
  json duties = json::array();
  for (std::size_t i = 0; i < kDuties.size(); ++i) {
    json candidates = json::array();
    for (const auto& c : hs.candidates[i]) {
      candidates.push_back(StaffJson(c));
    }
    duties.push_back({{"duty", kDuties[i]},
                      {"staff", hs.assigned[i] ? StaffJson(*hs.assigned[i], true) : json(nullptr)},
                      {"candidates", candidates}});
  }
  json body = {{"household", HouseholdJson(hs.household)},
               {"duties", duties},
               {"complete", hs.household.staffed == static_cast<int>(kDuties.size())}};
  http::Response res = http::JsonResponse(200, body.dump());
  return http::Personal(res);
}

}  // namespace

void RegisterRoutes(http::Server& server, HomeQuarantineService& homes) {
  using http::Access;
  server.Route(
      "GET", "/api/v1/home-quarantine", Access::kAuthenticated,
      [&homes](http::Context& ctx) -> Result<http::Response> {
        HomeQuarantineService::Query q;
        q.region = ctx.request.Param("region");
        CORDON_ASSIGN_OR_RETURN(q.after, http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 200));
        q.limit = static_cast<int>(limit);
        const std::string incomplete = ctx.request.Param("incomplete");
        if (!incomplete.empty() && incomplete != "0" && incomplete != "1") {
          return FieldInvalid("incomplete", "应为 0 或 1 (0 or 1)");
        }
        q.incomplete_only = incomplete == "1";
        HouseholdCounts counts;
        CORDON_ASSIGN_OR_RETURN(auto list, homes.List(*ctx.principal, q, &counts));
        json items = json::array();
        for (const auto& h : list) {
          items.push_back(HouseholdJson(h));
        }
        json next = static_cast<int>(list.size()) == q.limit ? json(std::to_string(list.back().id))
                                                             : json(nullptr);
        http::Response res = http::JsonResponse(200, json{{"items", items},
                                                          {"next", next},
                                                          {"counts",
                                                           {{"households", counts.households},
                                                            {"incomplete", counts.incomplete},
                                                            {"people", counts.people}}}}
                                                         .dump());
        return http::Personal(res);
      });
  server.Route("GET", "/api/v1/households/{id}/staff", Access::kAuthenticated,
               [&homes](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "住户不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(auto hs, homes.Staff(*ctx.principal, id));
                 return StaffAnswer(hs);
               });
  server.Route("PATCH", "/api/v1/households/{id}/staff", Access::kAuthenticated,
               [&homes](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "住户不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 std::map<std::string, std::optional<std::int64_t>> duties;
                 for (std::string_view duty : kDuties) {
                   if (!in.Has(duty)) {
                     continue;
                   }
                   // null clears the duty; a number names the responsible person.
                   if (body[std::string(duty)].is_null()) {
                     in.Any(duty, false);
                     duties[std::string(duty)] = std::nullopt;
                   } else if (auto staff = in.Int(duty, true, 1, INT64_MAX)) {
                     duties[std::string(duty)] = *staff;
                   }
                 }
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 if (duties.empty()) {
                   return FieldInvalid("cadre",
                                       "请至少指定一项职责 (name at least one duty: cadre, "
                                       "grid_worker, doctor, police)");
                 }
                 CORDON_ASSIGN_OR_RETURN(auto hs, homes.Assign(*ctx.principal, id, duties));
                 return StaffAnswer(hs);
               });
}

}  // namespace cordon::home_quarantine
