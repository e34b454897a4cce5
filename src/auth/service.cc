#include "auth/service.h"

#include <chrono>

#include "auth/mfa_store.h"
#include "auth/password.h"
#include "auth/store.h"
#include "auth/totp.h"

namespace cordon::auth {
namespace {

Principal Anonymous(std::string_view username, const std::string& ip,
                    const std::string& request_id) {
  Principal p;
  p.user.username = std::string(username.substr(0, 64));
  p.ip = ip;
  p.request_id = request_id;
  return p;
}

const Status& BadLogin() {
  static const Status status(StatusCode::kUnauthenticated,
                             "用户名或密码错误 (wrong username or password)");
  return status;
}

}  // namespace

std::int64_t AuthService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                       const std::string& ip, const std::string& request_id) {
  const std::int64_t now = Now();
  const std::string account_key = "user:" + std::string(username);
  const std::string ip_key = "ip:" + ip;
  std::optional<UserRow> row;
  bool locked = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(row, FindUserByName(s, username));
    CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, account_key));
    CORDON_ASSIGN_OR_RETURN(ThrottleState address, LoadThrottle(s, ip_key));
    locked = IsLocked(account, now) || IsLocked(address, now);
    return Status::Ok();
  }));
  Principal who = row ? PrincipalOf(*row, ip, request_id) : Anonymous(username, ip, request_id);
  if (locked) {
    CORDON_RETURN_IF_ERROR(audit_.Record(who, {"session.login", "user", "", "locked", "", ""}));
    return ResourceExhausted(
        "登录失败次数过多，请15分钟后再试 (too many failed logins; try again in 15 minutes)");
  }
  // Hash work is done for unknown users too, so that timing does not tell whether one exists.
  bool good = false;
  if (row) {
    good = VerifyPassword(row->password_hash, password) && !row->user.disabled;
  } else {
    VerifyDummyPassword(password);
  }
  if (!good) {
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, account_key));
      CORDON_RETURN_IF_ERROR(
          SaveThrottle(s, account_key, AfterFailure(account, now, policy_.per_account)));
      CORDON_ASSIGN_OR_RETURN(ThrottleState address, LoadThrottle(s, ip_key));
      CORDON_RETURN_IF_ERROR(SaveThrottle(s, ip_key, AfterFailure(address, now, policy_.per_ip)));
      return audit_.Append(
          s, who,
          {"session.login", "user", row ? std::to_string(row->user.id) : "", "failed", "", ""});
    }));
    return BadLogin();
  }
  LoginResult result;
  result.principal = who;
  const std::string user_id = std::to_string(row->user.id);
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(std::optional<TotpRow> totp, FindTotp(s, row->user.id));
    const bool enrolled = totp && totp->enrolled_at != 0;
    if (enrolled || MfaMandatory(row->user.role)) {
      // A second step is owed. The failure counter stays as it is until that step succeeds:
      // a right password must not buy an attacker fresh guesses at the code.
      result.mfa = enrolled ? MfaStep::kRequired : MfaStep::kEnroll;
      result.challenge = NewToken();
      if (!enrolled) {
        // A pending secret is kept across attempts, so that a phone that scanned it stays good.
        result.secret = totp ? totp->secret : NewTotpSecret();
        if (!totp) {
          CORDON_RETURN_IF_ERROR(SavePendingTotp(s, row->user.id, result.secret, now));
        }
        result.otpauth_uri = OtpauthUri("Cordon", row->user.username, result.secret);
      }
      CORDON_RETURN_IF_ERROR(InsertChallenge(s, Sha256Hex(result.challenge), row->user.id,
                                             enrolled ? "verify" : "enroll", now,
                                             now + policy_.challenge_seconds));
      return audit_.Append(
          s, who,
          {"session.login", "user", user_id, enrolled ? "mfa_required" : "mfa_enroll", "", ""});
    }
    result.token = NewToken();
    CORDON_RETURN_IF_ERROR(ClearThrottle(s, account_key));
    CORDON_RETURN_IF_ERROR(InsertSession(s, Sha256Hex(result.token), row->user.id, now,
                                         now + policy_.absolute_seconds));
    return audit_.Append(s, who, {"session.login", "user", user_id, "ok", "", ""});
  }));
  return result;
}

Result<Principal> AuthService::Authenticate(std::string_view token, const std::string& ip,
                                            const std::string& request_id) {
  static const Status no_session(StatusCode::kUnauthenticated,
                                 "请先登录 (not logged in or session expired)");
  if (token.empty() || token.size() > 128) {
    return no_session;
  }
  const std::string hash = Sha256Hex(token);
  const std::int64_t now = Now();
  std::optional<SessionRow> session;
  std::optional<UserRow> user;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(session, FindSession(s, hash));
    if (session) {
      CORDON_ASSIGN_OR_RETURN(user, FindUserById(s, session->user_id));
    }
    return Status::Ok();
  }));
  if (!session || !user) {
    return no_session;
  }
  bool expired = now >= session->expires_at || now - session->last_seen_at > policy_.idle_seconds;
  if (expired || user->user.disabled) {
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) { return DeleteSession(s, hash); }));
    return no_session;
  }
  if (now - session->last_seen_at >= policy_.touch_every_seconds) {
    CORDON_RETURN_IF_ERROR(
        db_.Write([&](store::Session& s) { return TouchSession(s, hash, now); }));
  }
  return PrincipalOf(*user, ip, request_id);
}

Status AuthService::Logout(const Principal& who, std::string_view token) {
  return db_.Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(DeleteSession(s, Sha256Hex(token)));
    return audit_.Append(s, who,
                         {"session.logout", "user", std::to_string(who.user.id), "ok", "", ""});
  });
}

Status AuthService::LogoutEverywhere(const Principal& who) {
  return db_.Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(DeleteUserSessions(s, who.user.id, ""));
    return audit_.Append(s, who,
                         {"session.logout_all", "user", std::to_string(who.user.id), "ok", "", ""});
  });
}

Result<std::int64_t> AuthService::KillSessions(const Principal& who, std::int64_t user_id) {
  if (!Can(who.user.role, Permission::kUsersManage)) {
    return PermissionDenied("只有管理员可以强制下线 (administrators only)");
  }
  std::int64_t ended = 0;
  bool found = false;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(auto user, FindUserById(s, user_id));
    if (!user) return Status::Ok();
    found = true;
    CORDON_ASSIGN_OR_RETURN(
        ended, s.QueryInt("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {user_id}));
    CORDON_RETURN_IF_ERROR(DeleteUserSessions(s, user_id, ""));
    return audit_.Append(s, who, {"session.kill", "user", std::to_string(user_id), "ok", "", ""});
  }));
  if (!found) {
    return NotFound("用户不存在 (no such user)");
  }
  return ended;
}

Status AuthService::ChangePassword(const Principal& who, std::string_view token,
                                   std::string_view old_password, std::string_view new_password) {
  // Guesses of the current password count against the account like failed logins, so that a
  // stolen session cannot be used to find the password.
  const std::string account_key = "user:" + who.user.username;
  const std::int64_t now = Now();
  std::optional<UserRow> row;
  bool locked = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(row, FindUserById(s, who.user.id));
    CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, account_key));
    locked = IsLocked(account, now);
    return Status::Ok();
  }));
  if (locked) {
    return ResourceExhausted(
        "尝试次数过多，请15分钟后再试 (too many attempts; try again in 15 minutes)");
  }
  if (!row || !VerifyPassword(row->password_hash, old_password)) {
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, account_key));
      CORDON_RETURN_IF_ERROR(
          SaveThrottle(s, account_key, AfterFailure(account, now, policy_.per_account)));
      return audit_.Append(
          s, who, {"user.password", "user", std::to_string(who.user.id), "failed", "", ""});
    }));
    return FieldInvalid("old_password", "原密码不正确 (the current password is wrong)");
  }
  if (auto problem = PasswordProblem(new_password, who.user.username); !problem.empty()) {
    return FieldInvalid("new_password", problem);
  }
  CORDON_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  return db_.Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(UpdatePasswordHash(s, who.user.id, hash, Now()));
    // Every other session of this user ends: whoever knew the old password is out.
    CORDON_RETURN_IF_ERROR(DeleteUserSessions(s, who.user.id, Sha256Hex(token)));
    return audit_.Append(s, who,
                         {"user.password", "user", std::to_string(who.user.id), "ok", "", ""});
  });
}

Status AuthService::CheckNewUser(const User& user, std::string_view password) {
  if (user.username.empty() || user.username.size() > 64) {
    return FieldInvalid("username", "用户名长度应为 1-64 个字符 (1 to 64 characters)");
  }
  for (char c : user.username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      return FieldInvalid("username",
                          "用户名只能包含字母、数字、_ - . (letters, digits, _ - . only)");
    }
  }
  if (auto problem = PasswordProblem(password, user.username); !problem.empty()) {
    return FieldInvalid("password", problem);
  }
  return Status::Ok();
}

Result<User> AuthService::AddUser(const User& user, std::string_view password) {
  CORDON_RETURN_IF_ERROR(CheckNewUser(user, password));
  CORDON_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  User created = user;
  Principal cli;
  cli.user.username = "cli";
  cli.request_id = "cli";
  Status status = db_.Write([&](store::Session& s) {
    if (!user.region_code.empty()) {
      CORDON_ASSIGN_OR_RETURN(bool exists, RegionExists(s, user.region_code));
      if (!exists) {
        return FieldInvalid("region", "区划代码不存在 (no region with this code)");
      }
    }
    CORDON_ASSIGN_OR_RETURN(auto existing, FindUserByName(s, user.username));
    if (existing) {
      return AlreadyExists("用户名已存在 (username taken): " + user.username);
    }
    CORDON_ASSIGN_OR_RETURN(created.id, InsertUser(s, user, hash, Now()));
    return audit_.Append(
        s, cli, {"user.create", "user", std::to_string(created.id), "ok", "", "role,region"});
  });
  if (!status.ok()) {
    return status;
  }
  return created;
}

}  // namespace cordon::auth
