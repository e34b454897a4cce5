#include "purges/routes.h"

#include <nlohmann/json.hpp>

#include "http/json_input.h"
#include "http/params.h"

namespace cordon::purges {
namespace {

using nlohmann::json;

constexpr const char* kNotFound = "销毁申请不存在 (no such purge)";

json UserJson(const PurgeUser& u) {
  if (u.id == 0) {
    return nullptr;
  }
  return {{"id", u.id}, {"username", u.username}, {"display_name", u.display_name}};
}

json PurgeJson(const Purge& p, const auth::Principal& who, const PurgeService& purges) {
  auto time = [&](std::int64_t t) {
    return t == 0 ? json(nullptr) : json(http::IsoTime(t, purges.offset()));
  };
  return {{"id", p.id},
          {"reason", p.reason},
          {"status", p.status},
          {"requested_by", UserJson(p.requested_by)},
          {"requested_at", time(p.requested_at)},
          {"decided_by", UserJson(p.decided_by)},
          {"decided_at", time(p.decided_at)},
          {"decision_note", p.decision_note},
          {"executed_at", time(p.executed_at)},
          {"tables", p.tables},
          {"can_approve", purges.CanApprove(who, p)}};
}

Result<json> BodyOrEmpty(const std::string& body) {
  return http::ParseJsonObject(body.empty() ? std::string_view("{}") : std::string_view(body));
}

}  // namespace

void RegisterRoutes(http::Server& server, PurgeService& purges) {
  server.Route(
      "GET", "/api/v1/purges", http::Access::kAuthenticated,
      [&purges](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(auto list, purges.List(*ctx.principal));
        CORDON_ASSIGN_OR_RETURN(auto counts, purges.Counts(*ctx.principal));
        json items = json::array();
        for (const Purge& p : list) {
          items.push_back(PurgeJson(p, *ctx.principal, purges));
        }
        return http::JsonResponse(200, http::JsonText(json{{"items", items}, {"counts", counts}}));
      });
  server.Route(
      "POST", "/api/v1/purges", http::Access::kAuthenticated,
      [&purges](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto reason = in.String("reason", true, 2000);
        auto confirm = in.String("confirm", true, 100);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(Purge p, purges.Request(*ctx.principal, *reason, *confirm));
        return http::JsonResponse(201, http::JsonText(PurgeJson(p, *ctx.principal, purges)));
      });
  for (const bool approve : {true, false}) {
    server.Route(
        "POST", approve ? "/api/v1/purges/{id}/approve" : "/api/v1/purges/{id}/reject",
        http::Access::kAuthenticated,
        [&purges, approve](http::Context& ctx) -> Result<http::Response> {
          CORDON_ASSIGN_OR_RETURN(std::int64_t id, http::PathId(ctx.path_params[0], kNotFound));
          CORDON_ASSIGN_OR_RETURN(json body, BodyOrEmpty(ctx.request.body));
          http::ObjectReader in(body);
          auto note = in.String("note", !approve, 2000);
          CORDON_RETURN_IF_ERROR(in.Finish());
          CORDON_ASSIGN_OR_RETURN(Purge p,
                                  purges.Decide(*ctx.principal, id, approve, note.value_or("")));
          return http::JsonResponse(200, http::JsonText(PurgeJson(p, *ctx.principal, purges)));
        });
  }
  server.Route("GET", "/api/v1/purges/{id}/certificate", http::Access::kAuthenticated,
               [&purges](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                         http::PathId(ctx.path_params[0], kNotFound));
                 CORDON_ASSIGN_OR_RETURN(Certificate c, purges.GetCertificate(*ctx.principal, id));
                 const json out = {{"certificate", json::parse(c.text, nullptr, false)},
                                   {"signature", c.signature},
                                   {"public_key", c.public_key},
                                   {"verified", c.verified}};
                 return http::JsonResponse(200, http::JsonText(out));
               });
}

}  // namespace cordon::purges
