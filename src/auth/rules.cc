#include "auth/rules.h"

#include <array>
#include <utility>

#include "base/text.h"

namespace cordon::auth {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 9> kRoleNames = {{
    {Role::kAdmin, "admin"},
    {Role::kCommander, "commander"},
    {Role::kEpidemiologist, "epidemiologist"},
    {Role::kSiteManager, "site_manager"},
    {Role::kGridWorker, "grid_worker"},
    {Role::kTesting, "testing"},
    {Role::kLogistics, "logistics"},
    {Role::kInspector, "inspector"},
    {Role::kAuditor, "auditor"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) {
      return r;
    }
  }
  return std::nullopt;
}

bool Can(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRegionsRead:
      return true;
    case Permission::kAuditRead:
      return role == Role::kAuditor || role == Role::kAdmin;
    case Permission::kUsersManage:
      return role == Role::kAdmin;
    case Permission::kPeopleRead:
    case Permission::kPeopleReveal:
      // Auditors see the log and never person records; logistics and inspectors work with
      // things and places, not people.
      return role != Role::kAuditor && role != Role::kLogistics && role != Role::kInspector;
    case Permission::kPeopleWrite:
      return role == Role::kAdmin || role == Role::kEpidemiologist || role == Role::kGridWorker ||
             role == Role::kSiteManager;
    case Permission::kPeopleMerge:
      // Those who keep the files one person each; the command centre reads, it does not merge.
      return role == Role::kAdmin || role == Role::kEpidemiologist || role == Role::kGridWorker;
    case Permission::kLeadsImport:
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist;
    case Permission::kTasksRead:
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist ||
             role == Role::kGridWorker;
    case Permission::kTasksCheck:
      return role == Role::kAdmin || role == Role::kEpidemiologist || role == Role::kGridWorker;
    case Permission::kMeasuresRead:
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist ||
             role == Role::kGridWorker || role == Role::kSiteManager;
    case Permission::kMeasuresWrite:
      return role == Role::kAdmin || role == Role::kEpidemiologist || role == Role::kGridWorker ||
             role == Role::kSiteManager;
    case Permission::kCasesRead:
      // Grid workers see their grids' cases (masked), auditors read them (cases-api.md).
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist ||
             role == Role::kGridWorker || role == Role::kAuditor;
    case Permission::kCasesWrite:
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist;
    case Permission::kCheckinsWrite:
      return role == Role::kAdmin || role == Role::kEpidemiologist;
    case Permission::kExport:
      // Those who send lists up the chain. Site managers, testing, logistics, inspectors and
      // auditors read within their work and take no copies away (security.md E1).
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist ||
             role == Role::kGridWorker;
    case Permission::kExportApprove:
      // The command centre answers for what leaves it (GB/T 35273 §7.1: approval of bulk copies).
      return role == Role::kAdmin || role == Role::kCommander;
    case Permission::kRetention:
      // Deleting person data for good is the system administrator's (PIPL art. 47).
      return role == Role::kAdmin;
    case Permission::kPurgeApprove:
      // The command centre answers for ending the incident, with the administrator who asks.
      return role == Role::kAdmin || role == Role::kCommander;
    case Permission::kTrace:
      // Where everyone went is the most sensitive data here: the tracing team and command only.
      return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist;
  }
  return false;
}

namespace {
// A jurisdiction path is "/code/.../code/". Anything else (empty, or cut short) contains nothing:
// "/440100/44010" as a prefix would cover every district starting 44010 (fail closed, A7).
bool WellFormedPath(std::string_view path) {
  return path.size() >= 2 && path.front() == '/' && path.back() == '/';
}
}  // namespace

PathRange SubtreeRange(std::string_view path) {
  if (!WellFormedPath(path)) {
    return {};
  }
  std::string hi(path);
  hi.back() = static_cast<char>(hi.back() + 1);  // '/' + 1 == '0': just past every descendant
  return {std::string(path), std::move(hi)};
}

bool InSubtree(std::string_view path, std::string_view jurisdiction_path) {
  return WellFormedPath(jurisdiction_path) && path.starts_with(jurisdiction_path);
}

bool IsRegionCode(std::string_view code) {
  if (code.size() < 6 || code.size() > 30) {
    return false;
  }
  for (char c : code) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool IsLocked(const ThrottleState& state, std::int64_t now) { return state.locked_until > now; }

ThrottleState AfterFailure(ThrottleState state, std::int64_t now, const ThrottlePolicy& policy) {
  if (now - state.window_start >= policy.window_seconds) {
    state.failures = 0;
    state.window_start = now;
  }
  ++state.failures;
  if (state.failures >= policy.max_failures) {
    state.locked_until = now + policy.lock_seconds;
    state.failures = 0;
    state.window_start = now;
  }
  return state;
}

std::string PasswordProblem(std::string_view password, std::string_view username) {
  std::size_t length = base::CodePoints(password);
  if (length < 8) {
    return "密码至少 8 个字符 (at least 8 characters)";
  }
  if (length > 128) {
    return "密码最多 128 个字符 (at most 128 characters)";
  }
  if (password == username) {
    return "密码不能与用户名相同 (must differ from the username)";
  }
  return CommonPasswordProblem(password, username);
}

bool MfaMandatory(Role role) {
  return role == Role::kAdmin || role == Role::kCommander || role == Role::kEpidemiologist ||
         role == Role::kAuditor;
}

}  // namespace cordon::auth
