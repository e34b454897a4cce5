// The first administrator of a fresh installation (security.md D6): no default account exists;
// a one-time, expiring token that only the server's operator can read creates the first one.
#include <chrono>

#include "auth/password.h"
#include "auth/rules.h"
#include "auth/service.h"
#include "auth/store.h"
#include "base/text.h"

namespace cordon::auth {

Result<bool> AuthService::BootstrapNeeded() {
  std::int64_t users = 0;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(users, s.QueryInt("SELECT COUNT(*) FROM users", {}));
    return Status::Ok();
  }));
  return users == 0;
}

Result<std::optional<std::string>> AuthService::IssueBootstrapToken() {
  std::optional<std::string> token;
  const std::int64_t now = Now();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::int64_t users, s.QueryInt("SELECT COUNT(*) FROM users", {}));
    if (users > 0) {
      return Status::Ok();
    }
    // One token at a time: a restart makes a new one and the old stops working.
    CORDON_RETURN_IF_ERROR(
        s.Exec("DELETE FROM bootstrap_tokens WHERE used_at IS NULL", {}).status());
    token = NewToken();
    return s
        .Exec("INSERT INTO bootstrap_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
              {Sha256Hex(*token), now, now + kBootstrapSeconds})
        .status();
  }));
  return token;
}

Result<User> AuthService::Bootstrap(const Principal& who, std::string_view token, const User& admin,
                                    std::string_view password) {
  CORDON_RETURN_IF_ERROR(CheckNewUser(admin, password));
  if (!base::IsValidUtf8(admin.display_name) || base::CodePoints(admin.display_name) < 1 ||
      base::CodePoints(admin.display_name) > 64) {
    return FieldInvalid("display_name", "姓名应为 1-64 个字 (1 to 64 characters)");
  }
  CORDON_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const std::int64_t now = Now();
  User created = admin;
  created.role = Role::kAdmin;
  bool refused = false;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::int64_t users, s.QueryInt("SELECT COUNT(*) FROM users", {}));
    if (users > 0) {
      return FailedPrecondition("系统已初始化，请用已有账号登录 (already set up: log in)");
    }
    CORDON_ASSIGN_OR_RETURN(
        std::int64_t valid,
        s.QueryInt("SELECT COUNT(*) FROM bootstrap_tokens WHERE token_hash = ? AND used_at IS NULL "
                   "AND expires_at > ?",
                   {Sha256Hex(token), now}));
    if (valid == 0) {
      refused = true;
      return PermissionDenied(
          "引导令牌无效、已使用或已过期 (the bootstrap token is wrong, used or expired)");
    }
    CORDON_RETURN_IF_ERROR(s.Exec("UPDATE bootstrap_tokens SET used_at = ? WHERE token_hash = ?",
                                  {now, Sha256Hex(token)})
                               .status());
    // The whole installation: the root of the region tree, when there is one yet.
    created.region_code.clear();
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1", {},
                [&](const store::Row& row) {
                  created.region_code = row.Text(0);
                  return Status::Ok();
                }));
    CORDON_ASSIGN_OR_RETURN(created.id, InsertUser(s, created, hash, now));
    return audit_.Append(
        s, who, {"bootstrap.admin", "user", std::to_string(created.id), "ok", "", "role,region"});
  });
  if (refused) {
    // On record even though nothing was written: someone holds a wrong or old token.
    CORDON_RETURN_IF_ERROR(audit_.Record(who, {"bootstrap.admin", "user", "", "refused", "", ""}));
  }
  if (!status.ok()) {
    return status;
  }
  return created;
}

}  // namespace cordon::auth
