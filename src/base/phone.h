// Mainland China mobile numbers (security.md §5.2). Pure and thread-safe. Messages never contain
// the number itself, at most its three-digit segment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::base {

struct Mobile {
  std::string number;                 // 11 digits, national form, e.g. "13800138000"
  std::vector<std::string> warnings;  // e.g. an unallocated or data-only segment
};

// Normalises and validates a personal mobile number.
//
// Normalisation: full-width digits to ASCII; white space (including U+3000), hyphens/dashes and
// zero-width characters removed; then one country prefix "+86", "0086", or "86" (the last only
// when 11 digits follow) is dropped.
// Accepts ^1[3-9]\d{9}$. Number portability (2019) means the segment no longer names a carrier
// and new segments keep appearing, so a segment outside the 2020 allocation list, or a data-only
// segment (145, 147, 149), is a warning, not an error.
// Errors (kInvalidArgument, Chinese message each): empty; not UTF-8 or characters other than
// digits; a foreign country code; a 13-digit IoT number (14x...); a landline (leading 0); a
// wrong length; a first digit other than 1 or a second digit outside 3-9.
Result<Mobile> ParseMobile(std::string_view raw);

}  // namespace cordon::base
