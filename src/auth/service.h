// Use cases of authentication: log in and out, authenticate a request, change a password, add a
// user. Every one is audited.
#pragma once

#include <cstdint>
#include <optional>
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
  std::int64_t touch_every_seconds = 60;    // last-seen is written at most once a minute
  std::int64_t challenge_seconds = 5 * 60;  // the second step of a login (D4)
  ThrottlePolicy per_account;
  ThrottlePolicy per_ip{20, 15 * 60, 15 * 60};
};

// What a right password leads to: a session, or a second step (security.md D4).
enum class MfaStep {
  kNone,      // no second factor: `token` is the session
  kRequired,  // TOTP enrolled: POST the challenge with a code
  kEnroll,    // a role that must have TOTP has none: show the secret, then a code enrols
};

struct LoginResult {
  std::string token;  // give to the client once; only its hash is stored. Empty with a step owed
  Principal principal;
  MfaStep mfa = MfaStep::kNone;
  std::string challenge;    // with a step owed: 256 random bits, 5 minutes, single-use
  std::string secret;       // kEnroll: the pending TOTP secret (base32), shown to this login only
  std::string otpauth_uri;  // kEnroll: the secret as an otpauth:// URI, for a QR code
};

struct MfaEnrolment {
  std::string secret;
  std::string otpauth_uri;
};

struct MfaStatus {
  bool enrolled = false;
  bool required = false;  // the role must have it (MfaMandatory)
};

class AuthService {
 public:
  AuthService(store::Database& db, AuditLog& audit, const base::Clock& clock,
              SessionPolicy policy = {})
      : db_(db), audit_(audit), clock_(clock), policy_(policy) {}

  // Errors: kUnauthenticated for a wrong name or password (the same for both),
  // kResourceExhausted while the account or the address is locked. With a right password, a
  // user with TOTP, or of a role that must have it (MfaMandatory), gets a challenge instead of a
  // session; the failure counter is cleared only when the second step succeeds.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const std::string& ip, const std::string& request_id);

  // The second step of a login: a challenge from Login and a 6-digit code (one step of clock
  // skew either way; a step once used is refused). For an "enroll" challenge, a code for the
  // pending secret enrols it. Errors: kUnauthenticated for an unknown, used or expired challenge
  // and for a wrong or replayed code (which counts as a failed login towards the lock);
  // kResourceExhausted while the account or the address is locked. (service_mfa.cc)
  Result<LoginResult> LoginWithCode(std::string_view challenge, std::string_view code,
                                    const std::string& ip, const std::string& request_id);
  // A signed-in user without TOTP starts enrolling: a new pending secret replaces any earlier
  // pending one. Errors: kAlreadyExists when enrolled.
  Result<MfaEnrolment> StartEnrolment(const Principal& who);
  // Confirms the pending secret with a code. Errors: kFailedPrecondition without a pending
  // secret; kInvalidArgument naming "code" for a wrong code (counted towards the lock);
  // kResourceExhausted while locked.
  Status ConfirmEnrolment(const Principal& who, std::string_view code);
  Result<MfaStatus> GetMfaStatus(const Principal& who);
  // An administrator removes a user's TOTP and ends their sessions; the user enrols again at the
  // next login. The administrator never sees a secret. Errors: kPermissionDenied for other
  // roles; kNotFound for an unknown user. Returns the number of sessions ended.
  Result<std::int64_t> ResetMfa(const Principal& who, std::int64_t user_id);

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

  // The first administrator (security.md D6). While no user exists, IssueBootstrapToken makes a
  // one-time token valid for kBootstrapSeconds (earlier unused ones stop working) and returns it;
  // once a user exists it returns nothing.
  Result<std::optional<std::string>> IssueBootstrapToken();
  Result<bool> BootstrapNeeded();
  // Creates the first administrator, over the whole region tree, with the token. Errors:
  // kInvalidArgument naming username, display_name or password; kPermissionDenied for a wrong,
  // used or expired token (audited); kFailedPrecondition once any user exists.
  Result<User> Bootstrap(const Principal& who, std::string_view token, const User& admin,
                         std::string_view password);
  static constexpr std::int64_t kBootstrapSeconds = 3600;

  const SessionPolicy& policy() const { return policy_; }

 private:
  std::int64_t Now() const;
  // The username and password rules of every new account.
  static Status CheckNewUser(const User& user, std::string_view password);
  // Counts a failed attempt against the account and the address and appends `entry`.
  Status RecordFailure(const Principal& who, std::string_view username, const AuditEntry& entry);

  store::Database& db_;
  AuditLog& audit_;
  const base::Clock& clock_;
  SessionPolicy policy_;
};

}  // namespace cordon::auth
