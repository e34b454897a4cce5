// The TOTP second factor of AuthService (security.md D4): the second step of a login,
// enrolment from the account menu, and the administrator's reset. Secrets and codes are never
// logged or audited; audit rows carry the user id and an outcome.
#include <chrono>

#include "auth/mfa_store.h"
#include "auth/password.h"
#include "auth/service.h"
#include "auth/store.h"
#include "auth/totp.h"

namespace cordon::auth {
namespace {

const Status& ChallengeGone() {
  static const Status status(
      StatusCode::kUnauthenticated,
      "验证已过期，请重新登录 (the sign-in step expired or was used; log in again)");
  return status;
}

const Status& WrongCode() {
  static const Status status(StatusCode::kUnauthenticated,
                             "动态验证码错误 (wrong or already used authentication code)");
  return status;
}

Status Locked() {
  return ResourceExhausted(
      "登录失败次数过多，请15分钟后再试 (too many failed logins; try again in 15 minutes)");
}

// Codes are typed as "123 456" or "123456"; spaces are not part of them.
std::string Digits(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != ' ') {
      out += c;
    }
  }
  return out;
}

}  // namespace

Status AuthService::RecordFailure(const Principal& who, std::string_view username,
                                  const AuditEntry& entry) {
  const std::int64_t now = Now();
  const std::string account_key = "user:" + std::string(username);
  const std::string ip_key = "ip:" + who.ip;
  return db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, account_key));
    CORDON_RETURN_IF_ERROR(
        SaveThrottle(s, account_key, AfterFailure(account, now, policy_.per_account)));
    CORDON_ASSIGN_OR_RETURN(ThrottleState address, LoadThrottle(s, ip_key));
    CORDON_RETURN_IF_ERROR(SaveThrottle(s, ip_key, AfterFailure(address, now, policy_.per_ip)));
    return audit_.Append(s, who, entry);
  });
}

Result<LoginResult> AuthService::LoginWithCode(std::string_view challenge, std::string_view code,
                                               const std::string& ip,
                                               const std::string& request_id) {
  if (challenge.empty() || challenge.size() > 128) {
    return ChallengeGone();
  }
  const std::string challenge_hash = Sha256Hex(challenge);
  const std::int64_t now = Now();
  std::optional<ChallengeRow> pending;
  std::optional<UserRow> row;
  std::optional<TotpRow> totp;
  bool locked = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(pending, FindChallenge(s, challenge_hash));
    if (!pending) return Status::Ok();
    CORDON_ASSIGN_OR_RETURN(row, FindUserById(s, pending->user_id));
    CORDON_ASSIGN_OR_RETURN(totp, FindTotp(s, pending->user_id));
    if (!row) return Status::Ok();
    CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, "user:" + row->user.username));
    CORDON_ASSIGN_OR_RETURN(ThrottleState address, LoadThrottle(s, "ip:" + ip));
    locked = IsLocked(account, now) || IsLocked(address, now);
    return Status::Ok();
  }));
  const bool enrol = pending && pending->purpose == "enroll";
  // A challenge no longer matches its user's state when an administrator reset the TOTP, or
  // another login enrolled it, in the meantime.
  const bool consistent = totp && (enrol ? totp->enrolled_at == 0 : totp->enrolled_at != 0);
  if (!pending || pending->expires_at <= now || !row || row->user.disabled || !consistent) {
    return ChallengeGone();
  }
  Principal who = PrincipalOf(*row, ip, request_id);
  const std::string user_id = std::to_string(row->user.id);
  if (locked) {
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"session.login", "user", user_id, "locked", "", ""}));
    return Locked();
  }
  std::optional<std::int64_t> step =
      MatchTotp(totp->secret, Digits(code), TotpStep(now), totp->last_step);
  LoginResult result;
  bool used = false;
  if (step) {
    result.token = NewToken();
    result.principal = who;
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(used, UseTotpStep(s, row->user.id, *step, now));
      if (!used) return Status::Ok();  // another request took this step first: a replay
      CORDON_RETURN_IF_ERROR(DeleteChallenge(s, challenge_hash));
      CORDON_RETURN_IF_ERROR(ClearThrottle(s, "user:" + row->user.username));
      CORDON_RETURN_IF_ERROR(InsertSession(s, Sha256Hex(result.token), row->user.id, now,
                                           now + policy_.absolute_seconds));
      if (enrol) {
        CORDON_RETURN_IF_ERROR(
            audit_.Append(s, who, {"session.mfa_enrolled", "user", user_id, "ok", "", ""}));
      }
      return audit_.Append(s, who, {"session.login", "user", user_id, "ok", "", "totp"});
    }));
  }
  if (!used) {
    CORDON_RETURN_IF_ERROR(RecordFailure(
        who, row->user.username, {"session.mfa_failed", "user", user_id, "failed", "", ""}));
    return WrongCode();
  }
  return result;
}

Result<MfaEnrolment> AuthService::StartEnrolment(const Principal& who) {
  MfaEnrolment out;
  const std::string user_id = std::to_string(who.user.id);
  Status status = db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(std::optional<TotpRow> totp, FindTotp(s, who.user.id));
    if (totp && totp->enrolled_at != 0) {
      return AlreadyExists("已启用双因素认证 (two-factor authentication is already on)");
    }
    out.secret = NewTotpSecret();
    CORDON_RETURN_IF_ERROR(SavePendingTotp(s, who.user.id, out.secret, Now()));
    return audit_.Append(s, who, {"session.mfa_enroll", "user", user_id, "started", "", ""});
  });
  if (!status.ok()) {
    return status;
  }
  out.otpauth_uri = OtpauthUri("Cordon", who.user.username, out.secret);
  return out;
}

Status AuthService::ConfirmEnrolment(const Principal& who, std::string_view code) {
  const std::int64_t now = Now();
  const std::string user_id = std::to_string(who.user.id);
  std::optional<TotpRow> totp;
  bool locked = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(totp, FindTotp(s, who.user.id));
    CORDON_ASSIGN_OR_RETURN(ThrottleState account, LoadThrottle(s, "user:" + who.user.username));
    locked = IsLocked(account, now);
    return Status::Ok();
  }));
  if (!totp || totp->enrolled_at != 0) {
    return FailedPrecondition(
        "没有待确认的双因素认证，请重新开始 (no enrolment to confirm; start again)");
  }
  if (locked) {
    return ResourceExhausted(
        "尝试次数过多，请15分钟后再试 (too many attempts; try again in 15 minutes)");
  }
  std::optional<std::int64_t> step =
      MatchTotp(totp->secret, Digits(code), TotpStep(now), totp->last_step);
  bool used = false;
  if (step) {
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(used, UseTotpStep(s, who.user.id, *step, now));
      if (!used) return Status::Ok();
      return audit_.Append(s, who, {"session.mfa_enrolled", "user", user_id, "ok", "", ""});
    }));
  }
  if (!used) {
    CORDON_RETURN_IF_ERROR(RecordFailure(
        who, who.user.username, {"session.mfa_failed", "user", user_id, "failed", "", ""}));
    return FieldInvalid("code", "动态验证码错误 (wrong authentication code)");
  }
  return Status::Ok();
}

Result<MfaStatus> AuthService::GetMfaStatus(const Principal& who) {
  MfaStatus out;
  out.required = MfaMandatory(who.user.role);
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(std::optional<TotpRow> totp, FindTotp(s, who.user.id));
    out.enrolled = totp && totp->enrolled_at != 0;
    return Status::Ok();
  }));
  return out;
}

Result<std::int64_t> AuthService::ResetMfa(const Principal& who, std::int64_t user_id) {
  if (!Can(who.user.role, Permission::kUsersManage)) {
    return PermissionDenied("只有管理员可以重置双因素认证 (administrators only)");
  }
  std::int64_t ended = 0;
  bool found = false;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(auto user, FindUserById(s, user_id));
    if (!user) return Status::Ok();
    found = true;
    CORDON_ASSIGN_OR_RETURN(
        ended, s.QueryInt("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {user_id}));
    CORDON_RETURN_IF_ERROR(DeleteTotp(s, user_id));
    CORDON_RETURN_IF_ERROR(DeleteUserChallenges(s, user_id));
    // Whoever holds a session opened with the old factor is out too.
    CORDON_RETURN_IF_ERROR(DeleteUserSessions(s, user_id, ""));
    return audit_.Append(s, who,
                         {"users.mfa_reset", "user", std::to_string(user_id), "ok", "", ""});
  }));
  if (!found) {
    return NotFound("用户不存在 (no such user)");
  }
  return ended;
}

}  // namespace cordon::auth
