// Pure decisions about roles, permissions, jurisdiction and login throttling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/model.h"

namespace cordon::auth {

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
bool Can(Role role, Permission permission);

// The half-open range [lo, hi) of region paths inside a jurisdiction path: every descendant's
// path starts with `path`. An empty path gives an empty range, so a user without a jurisdiction
// sees nothing (security.md A7).
struct PathRange {
  std::string lo;
  std::string hi;
};
PathRange SubtreeRange(std::string_view path);
bool InSubtree(std::string_view path, std::string_view jurisdiction_path);
// Region codes are 6 to 30 ASCII digits. Anything else from a request is refused before it is
// used or written to the audit trail.
bool IsRegionCode(std::string_view code);

// Login throttling (security.md D3): `max_failures` failures within `window` lock the key for
// `lock` seconds.
struct ThrottlePolicy {
  int max_failures = 5;
  std::int64_t window_seconds = 15 * 60;
  std::int64_t lock_seconds = 15 * 60;
};
struct ThrottleState {
  int failures = 0;
  std::int64_t window_start = 0;
  std::int64_t locked_until = 0;
};
bool IsLocked(const ThrottleState& state, std::int64_t now);
// The state after one more failure at `now`.
ThrottleState AfterFailure(ThrottleState state, std::int64_t now, const ThrottlePolicy& policy);

// Password policy for new passwords: 8 to 128 characters, not the username.
// Returns an empty string when acceptable, else the reason.
std::string PasswordProblem(std::string_view password, std::string_view username);
// The block list part of the policy (password_policy.cc): the commonest passwords, repeats and
// runs, and passwords built on the system's name, its purpose or the username. Empty when fine.
std::string CommonPasswordProblem(std::string_view password, std::string_view username);

// Roles that must log in with a TOTP second factor (security.md D4): the city-wide ones
// (administrator, command centre, epidemiologist) and the auditor. Others may enrol.
bool MfaMandatory(Role role);

}  // namespace cordon::auth
