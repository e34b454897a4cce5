// Use cases of authentication: log in and out, authenticate a request, change a password, add a
// user. Every one is audited.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/rules.h"
#include "base/local_time.h"
#include "store/database.h"

namespace cordon::auth {

struct SessionPolicy {
  std::int64_t idle_seconds = 30 * 60;  // security.md D5
  std::int64_t absolute_seconds = 12 * 3600;
  std::int64_t touch_every_seconds = 60;  // last-seen is written at most once a minute
  ThrottlePolicy per_account;
  ThrottlePolicy per_ip{20, 15 * 60, 15 * 60};
};

struct LoginResult {
  std::string token;  // give to the client once; only its hash is stored
  Principal principal;
};

class AuthService {
 public:
  AuthService(store::Database& db, AuditLog& audit, const base::Clock& clock,
              SessionPolicy policy = {})
      : db_(db), audit_(audit), clock_(clock), policy_(policy) {}

  // Errors: kUnauthenticated for a wrong name or password (the same for both),
  // kResourceExhausted while the account or the address is locked.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const std::string& ip, const std::string& request_id);

  // The principal of a session token. Errors: kUnauthenticated when the token is unknown, expired
  // (idle or absolute), or the user is disabled.
  Result<Principal> Authenticate(std::string_view token, const std::string& ip,
                                 const std::string& request_id);

  Status Logout(const Principal& who, std::string_view token);
  // Ends every session of the caller, this one included ("log out everywhere").
  Status LogoutEverywhere(const Principal& who);
  // An administrator ends every session of another user. Errors: kPermissionDenied for other
  // roles; kNotFound for an unknown user. Returns the number of sessions ended.
  Result<std::int64_t> KillSessions(const Principal& who, std::int64_t user_id);

  // Errors: kInvalidArgument naming old_password or new_password.
  Status ChangePassword(const Principal& who, std::string_view token, std::string_view old_password,
                        std::string_view new_password);

  // Bootstraps a user from the command line (actor "cli"). Errors: kInvalidArgument naming the
  // field, kAlreadyExists for a taken username.
  Result<User> AddUser(const User& user, std::string_view password);

 private:
  std::int64_t Now() const;

  store::Database& db_;
  AuditLog& audit_;
  const base::Clock& clock_;
  SessionPolicy policy_;
};

}  // namespace cordon::auth
