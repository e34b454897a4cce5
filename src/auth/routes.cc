#include "auth/routes.h"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>

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

// The answer of a login step: a session (token, cookie, user) or the next step owed.
http::Response LoginAnswer(const LoginResult& login, bool secure_cookie,
                           std::int64_t challenge_seconds) {
  if (login.mfa != MfaStep::kNone) {
    json out = {{"mfa", login.mfa == MfaStep::kEnroll ? "enroll" : "required"},
                {"challenge", login.challenge},
                {"expires_in", challenge_seconds}};
    if (login.mfa == MfaStep::kEnroll) {
      out["secret"] = login.secret;
      out["otpauth_uri"] = login.otpauth_uri;
    }
    http::Response r = http::JsonResponse(200, http::JsonText(out));
    return http::Personal(r);
  }
  json out = {{"token", login.token}, {"user", UserJson(login.principal)}};
  http::Response r = http::JsonResponse(200, http::JsonText(out));
  r.headers.emplace_back("Set-Cookie", Cookie(login.token, secure_cookie, false));
  return http::Personal(r);
}

// A route without fields takes no body, "{}" or a JSON object whose every field is refused.
Status NoFields(const std::string& body) {
  if (body.empty()) {
    return Status::Ok();
  }
  CORDON_ASSIGN_OR_RETURN(json object, http::ParseJsonObject(body));
  http::ObjectReader in(object);
  return in.Finish();
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
                 return LoginAnswer(login, secure_cookie, auth.policy().challenge_seconds);
               });
  // The second step of a login (security.md D4). The challenge is what authenticates this
  // request: without one it is 401 like any route that needs a session.
  server.Route("POST", "/api/v1/session/mfa", Access::kPublic,
               [&auth, secure_cookie](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 if (!body.contains("challenge") || !body["challenge"].is_string()) {
                   return Unauthenticated(
                       "验证已过期，请重新登录 (the sign-in step expired or was used; log in "
                       "again)");
                 }
                 http::ObjectReader in(body);
                 auto challenge = in.String("challenge", true, 128);
                 auto code = in.String("code", true, 16);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(
                     LoginResult login,
                     auth.LoginWithCode(*challenge, *code, ctx.ip, ctx.request_id));
                 return LoginAnswer(login, secure_cookie, auth.policy().challenge_seconds);
               });
  server.Route("GET", "/api/v1/session/mfa", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(MfaStatus status, auth.GetMfaStatus(*ctx.principal));
                 return http::JsonResponse(
                     200, http::JsonText(
                              json{{"enrolled", status.enrolled}, {"required", status.required}}));
               });
  server.Route("POST", "/api/v1/session/mfa/enroll", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_RETURN_IF_ERROR(NoFields(ctx.request.body));
                 CORDON_ASSIGN_OR_RETURN(MfaEnrolment e, auth.StartEnrolment(*ctx.principal));
                 http::Response r = http::JsonResponse(
                     200,
                     http::JsonText(json{{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}}));
                 return http::Personal(r);
               });
  server.Route("POST", "/api/v1/session/mfa/confirm", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto code = in.String("code", true, 16);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_RETURN_IF_ERROR(auth.ConfirmEnrolment(*ctx.principal, *code));
                 return http::JsonResponse(200, http::JsonText(json{{"enrolled", true}}));
               });
  server.Route("DELETE", "/api/v1/users/{id}/mfa", Access::kAuthenticated,
               [&auth](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "用户不存在 (no such user)"));
                 CORDON_ASSIGN_OR_RETURN(std::int64_t ended, auth.ResetMfa(*ctx.principal, id));
                 return http::JsonResponse(200, http::JsonText(json{{"ended", ended}}));
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
        q.object_type = ctx.request.Param("object_type");
        q.object_id = ctx.request.Param("object_id");
        // `from` and `to` are local dates, both days included (security.md C5: "last week").
        for (const char* name : {"from", "to"}) {
          const std::string text = ctx.request.Param(name);
          if (text.empty()) {
            continue;
          }
          auto day = base::ParseDate(text);
          if (!day.has_value()) {
            return FieldInvalid(name, "应为日期 YYYY-MM-DD (a date)");
          }
          const std::int64_t midnight =
              std::chrono::duration_cast<std::chrono::seconds>(
                  (std::chrono::sys_days(*day) - offset.minutes).time_since_epoch())
                  .count();
          (std::string_view(name) == "from" ? q.since : q.until) =
              std::string_view(name) == "from" ? midnight : midnight + 86400;
        }
        CORDON_ASSIGN_OR_RETURN(auto records, audit.List(q));
        // Reading the audit trail is itself audited, with what was searched for.
        std::string searched;
        for (const char* name : {"actor", "action", "object_type", "object_id", "from", "to"}) {
          if (!ctx.request.Param(name).empty()) {
            searched += (searched.empty() ? "" : ",") + std::string(name);
          }
        }
        CORDON_RETURN_IF_ERROR(
            audit.Record(*ctx.principal, {"audit.list", "audit", "", "ok", "", searched}));
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
