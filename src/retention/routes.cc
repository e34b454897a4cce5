#include "retention/routes.h"

#include <nlohmann/json.hpp>

#include "http/json_input.h"
#include "http/params.h"

namespace cordon::retention {
namespace {

using nlohmann::json;

json PolicyJson(const RetentionPolicy& p, base::UtcOffset offset) {
  return {
      {"entity", p.entity},
      {"days", p.days},
      {"updated_at", p.updated_at == 0 ? json(nullptr) : json(http::IsoTime(p.updated_at, offset))},
      {"updated_by", p.updated_by},
      {"due", p.due}};
}

json RunJson(const RetentionRun& r, base::UtcOffset offset) {
  return {{"id", r.id},
          {"started_at", http::IsoTime(r.started_at, offset)},
          {"finished_at", http::IsoTime(r.finished_at, offset)},
          {"actor", r.actor},
          {"outcome", r.outcome},
          {"records", r.records},
          {"rows", r.rows},
          {"error", r.error}};
}

}  // namespace

void RegisterRoutes(http::Server& server, RetentionService& retention, base::UtcOffset offset,
                    int checkin_days) {
  server.Route("GET", "/api/v1/retention", http::Access::kAuthenticated,
               [&retention, offset, checkin_days](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(auto policies, retention.Policies(*ctx.principal));
                 CORDON_ASSIGN_OR_RETURN(auto runs, retention.Runs(*ctx.principal, 20));
                 json out = {{"policies", json::array()},
                             {"runs", json::array()},
                             {"checkins_days", checkin_days}};
                 for (const RetentionPolicy& p : policies) {
                   out["policies"].push_back(PolicyJson(p, offset));
                 }
                 for (const RetentionRun& r : runs) {
                   out["runs"].push_back(RunJson(r, offset));
                 }
                 return http::JsonResponse(200, http::JsonText(out));
               });
  server.Route("PATCH", "/api/v1/retention/{entity}", http::Access::kAuthenticated,
               [&retention, offset](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto days = in.Int("days", true, 1, 3650);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(RetentionPolicy p,
                                         retention.SetPolicy(*ctx.principal, ctx.path_params[0],
                                                             static_cast<int>(*days)));
                 return http::JsonResponse(200, http::JsonText(PolicyJson(p, offset)));
               });
  server.Route("POST", "/api/v1/retention/run", http::Access::kAuthenticated,
               [&retention, offset](http::Context& ctx) -> Result<http::Response> {
                 if (!ctx.request.body.empty()) {
                   CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                   http::ObjectReader in(body);
                   CORDON_RETURN_IF_ERROR(in.Finish());
                 }
                 CORDON_ASSIGN_OR_RETURN(RetentionRun run, retention.Run(*ctx.principal));
                 return http::JsonResponse(200, http::JsonText(RunJson(run, offset)));
               });
}

}  // namespace cordon::retention
