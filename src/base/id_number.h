// Chinese resident identity numbers (公民身份号码, GB 11643-1999), validated per
// security.md §5.1: normalise -> shape -> check character -> region -> birth date.
//
// Messages never contain the number itself (security.md B2): at most the check character, the
// province code or the birth date are quoted. All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::base {

// The message for a number that Excel stored as a number: scientific notation, 15 significant
// digits with a "000" tail, or 16-17 digits left after truncation.
inline constexpr std::string_view kIdExcelMangledMessage =
    "身份证号被 Excel 截断或转成科学计数法，请将该列设为文本格式后重新导出";

// The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') for the first 17 digits.
// REQUIRES: first17 is 17 ASCII digits.
char GbCheckCharacter(std::string_view first17);

struct ResidentId {
  std::string number;      // 18 characters, normalised, upper-case X
  char sex = 'M';          // 'M' odd sequence, 'F' even
  std::string birth_date;  // YYYY-MM-DD
  bool upgraded_from_15 = false;
  std::vector<std::string> warnings;  // e.g. age over 120, unknown county code
};

// Answers whether a six-digit address code is in GB/T 2260 (current or withdrawn). Supplied by
// whoever holds the code table; the validator itself has none.
using CountyCodeLookup = std::function<bool(std::string_view six_digits)>;

// Normalises and validates a resident ID number.
//
// Normalisation: full-width digits and letters to ASCII (the NFKC mapping), white space
// (including U+3000 and NBSP), hyphens/dashes and zero-width characters removed, 'x' upper-cased.
// A 15-digit number (GB 11643-1989) is upgraded: "19" is inserted before the year and the check
// character computed; upgraded_from_15 is then set.
// `today` is the local date for the future-birth-date check and the age warning.
//
// Errors, each kInvalidArgument with its own Chinese message, in this order:
//   empty or not UTF-8; kIdExcelMangledMessage for "1.10105E+17", "110105194912310000.0" or 16-17
//   digits; characters other than digits and a final X; a length other than 15 or 18; a wrong
//   check character ("身份证号码校验位错误：按 GB 11643 计算应为 X，实际为 1"), or
//   kIdExcelMangledMessage if the wrong number ends in "000"; a province code outside GB/T 2260
//   (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, and 830000 for Taiwan residents'
//   permits); a birth date that is not a calendar date or is after `today`.
//   The check character is tested before region and date, unlike the list in §5.1, because its
//   own test vectors require it (11010519492131002X: a bad month, reported as a bad check).
// Warnings (the number is still accepted): age over 120 on `today`; an address code that is not
// county level (digits 3-4 "00"); with `known_county`, a code it does not know.
Result<ResidentId> ParseResidentId(std::string_view raw, std::chrono::year_month_day today);
Result<ResidentId> ParseResidentId(std::string_view raw, std::chrono::year_month_day today,
                                   const CountyCodeLookup& known_county);

}  // namespace cordon::base
