#include "auth/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "auth/rules.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::auth {
namespace {

using nlohmann::json;

json UserJson(const Principal& p) {
  return {{"id", p.user.id},
          {"username", p.user.username},
          {"display_name", p.user.display_name},
          {"role", RoleName(p.user.role)},
          {"region", p.user.region_code},
          {"region_name", p.region_name}};
}

std::string Cookie(std::string_view token, bool secure, bool clear) {
  std::string c = secure ? "__Host-cordon_session=" : "cordon_session=";
  c += clear ? "" : std::string(token);
  c += "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) {
    c += "; Secure";
  }
  if (clear) {
    c += "; Max-Age=0";
  }
  return c;
}

json AuditJson(const AuditRecord& r, base::UtcOffset offset) {
  return {{"id", r.id},
          {"at", http::IsoTime(r.at, offset)},
          {"actor", r.actor},
          {"role", r.role},
          {"scope", r.scope},
          {"action", r.entry.action},
          {"object_type", r.entry.object_type},
          {"object_id", r.entry.object_id},
          {"outcome", r.entry.outcome},
          {"reason", r.entry.reason},
          {"fields", r.entry.fields},
          {"request_id", r.request_id},
          {"ip", r.ip},
          {"hash", r.hash}};
}

}  // namespace

void RegisterRoutes(http::Server& server, AuthService& auth, AuditLog& audit, bool secure_cookie,
                    base::UtcOffset offset) {
  using http::Access;
  server.Route("POST", "/api/v1/session", Access::kPublic,
               [&auth, secure_cookie](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto username = in.String("username", true, 64);
                 auto password = in.String("password", true, 1024);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(LoginResult login,
                                         auth.Login(*username, *password, ctx.ip, ctx.request_id));
                 json out = {{"token", login.token}, {"user", UserJson(login.principal)}};
                 http::Response r = http::JsonResponse(200, http::JsonText(out));
                 r.headers.emplace_back("Set-Cookie", Cookie(login.token, secure_cookie, false));
                 return http::Personal(r);
               });
  server.Route("GET", "/api/v1/session", Access::kAuthenticated,
               [](http::Context& ctx) -> Result<http::Response> {
                 http::Response r = http::JsonResponse(
                     200, http::JsonText(json{{"user", UserJson(*ctx.principal)}}));
                 return http::Personal(r);
               });
  server.Route("DELETE", "/api/v1/session", Access::kAuthenticated,
               [&auth, secure_cookie](http::Context& ctx) -> Result<http::Response> {
                 CORDON_RETURN_IF_ERROR(auth.Logout(*ctx.principal, ctx.token));
                 http::Response r = http::NoContent();
                 r.headers.emplace_back("Set-Cookie", Cookie("", secure_cookie, true));
                 return r;
               });
  server.Route("DELETE", "/api/v1/sessions", Access::kAuthenticated,
               [&auth, secure_cookie](http::Context& ctx) -> Result<http::Response> {
                 CORDON_RETURN_IF_ERROR(auth.LogoutEverywhere(*ctx.principal));
                 http::Response r = http::NoContent();
                 r.headers.emplace_back("Set-Cookie", Cookie("", secure_cookie, true));
                 return r;
               });
  server.Route("DELETE", "/api/v1/users/{id}/sessions", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "用户不存在 (no such user)"));
                 CORDON_ASSIGN_OR_RETURN(std::int64_t ended, auth.KillSessions(*ctx.principal, id));
                 return http::JsonResponse(200, http::JsonText(json{{"ended", ended}}));
               });
  server.Route("POST", "/api/v1/session/password", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto old_password = in.String("old_password", true, 1024);
                 auto new_password = in.String("new_password", true, 1024);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_RETURN_IF_ERROR(
                     auth.ChangePassword(*ctx.principal, ctx.token, *old_password, *new_password));
                 return http::NoContent();
               });
  server.Route(
      "GET", "/api/v1/audit", Access::kAuthenticated,
      [&audit, offset](http::Context& ctx) -> Result<http::Response> {
        if (!Can(ctx.principal->user.role, Permission::kAuditRead)) {
          return PermissionDenied("只有审计员和管理员可以查看审计日志 (auditors and admins only)");
        }
        AuditQuery q;
        CORDON_ASSIGN_OR_RETURN(q.after, http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
        // `before` pages newest first, as an auditor reads; `after` oldest first.
        CORDON_ASSIGN_OR_RETURN(q.before, http::IntParam(ctx.request, "before", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 500));
        q.limit = static_cast<int>(limit);
        q.actor = ctx.request.Param("actor");
        q.action = ctx.request.Param("action");
        q.object_id = ctx.request.Param("object_id");
        CORDON_ASSIGN_OR_RETURN(auto records, audit.List(q));
        // Reading the audit trail is itself audited.
        CORDON_RETURN_IF_ERROR(
            audit.Record(*ctx.principal, {"audit.list", "audit", "", "ok", "", ""}));
        json items = json::array();
        for (const auto& r : records) {
          items.push_back(AuditJson(r, offset));
        }
        json next = records.size() == static_cast<std::size_t>(q.limit)
                        ? json(std::to_string(records.back().id))
                        : json(nullptr);
        return http::JsonResponse(200, http::JsonText(json{{"items", items}, {"next", next}}));
      });
}

}  // namespace cordon::auth
