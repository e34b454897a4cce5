#include "cases/internal/checks.h"

#include "auth/rules.h"
#include "base/text.h"

namespace cordon::cases::internal {

namespace {
// A browser's clock a little ahead of the server's is not an error of the user's.
constexpr std::int64_t kClockSkew = 300;
constexpr std::int64_t kYear = std::int64_t{366} * 24 * 3600;
}  // namespace

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

Status Text(std::string_view field, std::string_view value, std::size_t min, std::size_t max) {
  if (!base::IsValidUtf8(value) || base::CodePoints(value) < min || base::CodePoints(value) > max) {
    return FieldInvalid(std::string(field),
                        "应为 " + std::to_string(min) + "-" + std::to_string(max) + " 个字 (" +
                            std::to_string(min) + " to " + std::to_string(max) + " characters)");
  }
  return Status::Ok();
}

Status PastTime(std::string_view field, std::int64_t at, std::int64_t now) {
  if (at > now + kClockSkew) {
    return FieldInvalid(std::string(field), "不能晚于当前时间 (must not be in the future)");
  }
  if (at < now - kYear) {
    return FieldInvalid(std::string(field), "不能早于一年前 (must be within the last year)");
  }
  return Status::Ok();
}

const Status& CaseNotFound() {
  static const Status* status =
      new Status(NotFound("病例不存在或不在管辖范围内 (no such case in your jurisdiction)"));
  return *status;
}

}  // namespace cordon::cases::internal
