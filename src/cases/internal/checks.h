// Checks shared by the files of the case service.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "auth/model.h"
#include "base/status.h"

namespace cordon::cases::internal {

Status Require(const auth::Principal& who, auth::Permission permission);
// Valid UTF-8 of `min` to `max` characters, else kInvalidArgument naming `field`.
Status Text(std::string_view field, std::string_view value, std::size_t min, std::size_t max);
// A time of the past (a little skew allowed) and within a year, else kInvalidArgument.
Status PastTime(std::string_view field, std::int64_t at, std::int64_t now);

const Status& CaseNotFound();

}  // namespace cordon::cases::internal
