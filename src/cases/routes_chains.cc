// Routes of exposures, clusters and their graphs, and the epidemic curve.
#include <nlohmann/json.hpp>

#include "base/masking.h"
#include "cases/routes_json.h"
#include "http/error_response.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::cases {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr std::int64_t kMaxTime = 4'102'444'800;

json ClusterJson(const Cluster& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"region", c.region_code},
          {"region_name", c.region_name},
          {"first_onset", c.first_onset.empty() ? json(nullptr) : json(c.first_onset)},
          {"cases", c.cases},
          {"created_at", c.created_at}};
}

json NodeJson(const GraphNode& n) {
  json measure = nullptr;
  if (!n.measure.empty()) {
    measure = {{"measure", n.measure}, {"state", n.measure_state}};
  }
  return {{"person_id", n.person_id},
          {"name", n.in_scope ? base::MaskName(n.name) : std::string("已脱敏")},
          {"case_id", n.case_id == 0 || !n.in_scope ? json(nullptr) : json(n.case_id)},
          {"classification", n.classification.empty() ? json(nullptr) : json(n.classification)},
          {"onset_date", n.onset_date.empty() ? json(nullptr) : json(n.onset_date)},
          {"positive_at", TimeJson(n.positive_at)},
          {"generation", n.generation ? json(*n.generation) : json(nullptr)},
          {"region_name", n.region_name},
          {"measure", measure}};
}

json LinkJson(const Exposure& e) {
  return {{"id", e.id},
          {"source", e.source_person_id},
          {"target", e.target_person_id},
          {"kind", e.kind},
          {"at", TimeJson(e.at)},
          {"venue_code", e.venue_code.empty() ? json(nullptr) : json(e.venue_code)},
          {"venue_name", e.venue_name.empty() ? json(nullptr) : json(e.venue_name)},
          {"note", e.note}};
}

}  // namespace

void RegisterChainRoutes(http::Server& server, CaseService& cases) {
  using http::Access;
  server.Route("POST", "/api/v1/exposures", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 ExposureInput e;
                 auto source = in.Int("source_person_id", true, 1, kMaxId);
                 auto target = in.Int("target_person_id", true, 1, kMaxId);
                 auto kind = in.String("kind", true, 16);
                 e.at = in.Int("at", false, 0, kMaxTime);
                 e.venue_code = in.String("venue_code", false, 32);
                 e.note = in.String("note", false, 4000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 e.source_person_id = *source;
                 e.target_person_id = *target;
                 e.kind = *kind;
                 auto added = cases.AddExposure(*ctx.principal, e);
                 if (!added.has_value() && CaseService::IsLoop(added.error())) {
                   // A loop is valid input the chain cannot take: 422, which no Status code maps to
                   // (a stale version or a duplicate is the 409 of kFailedPrecondition and
                   // kAlreadyExists).
                   return http::JsonResponse(422, http::ErrorBody(added.error()));
                 }
                 CORDON_RETURN_IF_ERROR(added.status());
                 return Answer(
                     201, ExposureJson(*added, auth::SubtreeRange(ctx.principal->region_path)));
               });
  server.Route("DELETE", "/api/v1/exposures/{id}", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "传播关系不存在 (not found)"));
                 CORDON_RETURN_IF_ERROR(cases.DeleteExposure(*ctx.principal, id));
                 return http::NoContent();
               });
  server.Route("GET", "/api/v1/clusters", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(auto list, cases.Clusters(*ctx.principal));
                 json items = json::array();
                 for (const Cluster& c : list) {
                   items.push_back(ClusterJson(c));
                 }
                 return Answer(200, {{"clusters", items}});
               });
  server.Route("POST", "/api/v1/clusters", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto name = in.String("name", true, 1000);
                 auto region = in.String("region", true, 32);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Cluster c,
                                         cases.AddCluster(*ctx.principal, *name, *region));
                 return Answer(201, ClusterJson(c));
               });
  server.Route("PATCH", "/api/v1/clusters/{id}", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "聚集性疫情不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto name = in.String("name", true, 1000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Cluster c, cases.RenameCluster(*ctx.principal, id, *name));
                 return Answer(200, ClusterJson(c));
               });
  server.Route("GET", "/api/v1/clusters/{id}/graph", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "聚集性疫情不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(Graph g, cases.ClusterGraph(*ctx.principal, id));
                 json nodes = json::array();
                 for (const GraphNode& n : g.nodes) {
                   nodes.push_back(NodeJson(n));
                 }
                 json links = json::array();
                 for (const Exposure& e : g.links) {
                   links.push_back(LinkJson(e));
                 }
                 return Answer(200, {{"nodes", nodes}, {"links", links}});
               });
  server.Route(
      "GET", "/api/v1/epicurve", Access::kAuthenticated,
      [&cases](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(
            Curve curve,
            cases.EpiCurve(*ctx.principal, ctx.request.Param("by"), ctx.request.Param("region"),
                           ctx.request.Param("from"), ctx.request.Param("to")));
        json days = json::array();
        for (const CurveDay& d : curve.days) {
          days.push_back({{"date", d.date},
                          {"confirmed", d.confirmed},
                          {"asymptomatic", d.asymptomatic},
                          {"suspected", d.suspected}});
        }
        json out = {{"by", curve.by}, {"days", days}};
        if (curve.by == "onset") {
          out["no_onset"] = curve.no_onset;
        }
        return http::JsonResponse(200, http::JsonText(out));
      });
}

}  // namespace cordon::cases
