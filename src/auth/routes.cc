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
  // The first administrator of a fresh installation (security.md D6), with the one-time token
  // the server wrote into its data directory.
  server.Route("GET", "/api/v1/bootstrap", Access::kPublic,
               [&auth](http::Context&) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(bool needed, auth.BootstrapNeeded());
                 return http::JsonResponse(200, http::JsonText(json{{"needed", needed}}));
               });
  server.Route(
      "POST", "/api/v1/bootstrap", Access::kPublic,
      [&auth](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto token = in.String("token", true, 128);
        auto username = in.String("username", true, 64);
        auto display_name = in.String("display_name", true, 256);
        auto password = in.String("password", true, 1024);
        CORDON_RETURN_IF_ERROR(in.Finish());
        Principal who;
        who.ip = ctx.ip;
        who.request_id = ctx.request_id;
        who.user.username = *username;
        User admin;
        admin.username = *username;
        admin.display_name = *display_name;
        CORDON_ASSIGN_OR_RETURN(User created, auth.Bootstrap(who, *token, admin, *password));
        return http::JsonResponse(201, http::JsonText(json{{"username", created.username},
                                                           {"role", RoleName(created.role)}}));
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
  RegisterAuditRoutes(server, audit, offset);
}

}  // namespace cordon::auth
