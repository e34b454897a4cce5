#include "base/id_number.h"

#include <array>
#include <optional>
#include <utility>

#include "base/check.h"
#include "base/internal/utf8.h"
#include "base/local_time.h"

namespace cordon::base {
namespace {

using internal::AllDigits;
using internal::IsDigit;

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";
constexpr int kMaxPlausibleAge = 120;

int TwoDigits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

// What Excel shows for a long number: "1.10105E+17", "1.10105E17", "110105E+12". Pandas and some
// exporters also write a float as "110105194912310000.0".
bool LooksLikeExcelNumber(std::string_view s) {
  const std::size_t e = s.find('E');
  if (e != std::string_view::npos) {
    std::string_view mantissa = s.substr(0, e);
    std::string_view exponent = s.substr(e + 1);
    if (!exponent.empty() && exponent[0] == '+') {
      exponent.remove_prefix(1);
    }
    const std::size_t dot = mantissa.find('.');
    if (dot != std::string_view::npos) {
      if (!AllDigits(mantissa.substr(dot + 1))) {
        return false;
      }
      mantissa = mantissa.substr(0, dot);
    }
    return AllDigits(mantissa) && AllDigits(exponent);
  }
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot < 15) {
    return false;
  }
  const std::string_view fraction = s.substr(dot + 1);
  return AllDigits(s.substr(0, dot)) && fraction.find_first_not_of('0') == std::string_view::npos;
}

// GB/T 2260 province-level codes, plus the fixed codes of the residence permits for Hong Kong,
// Macau (810000, 820000, which also fall under 81/82) and Taiwan residents (830000).
bool IsProvinceCode(std::string_view address) {
  const int p = TwoDigits(address);
  if (p == 83) {
    return address == "830000";
  }
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82;
}

std::optional<std::chrono::year_month_day> BirthDate(std::string_view yyyymmdd) {
  const int y = TwoDigits(yyyymmdd.substr(0, 2)) * 100 + TwoDigits(yyyymmdd.substr(2, 2));
  const std::chrono::year_month_day date{
      std::chrono::year(y),
      std::chrono::month(static_cast<unsigned>(TwoDigits(yyyymmdd.substr(4)))),
      std::chrono::day(static_cast<unsigned>(TwoDigits(yyyymmdd.substr(6))))};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

// Brings the normalised text to 18 characters, or says why it cannot be an ID number. The order
// of the tests decides which message a user sees, so Excel damage is recognised before the
// generic shape messages.
Status CheckShape(std::string* s, bool* upgraded) {
  if (s->empty()) {
    return InvalidArgument("身份证号为空");
  }
  if (LooksLikeExcelNumber(*s)) {
    return InvalidArgument(std::string(kIdExcelMangledMessage));
  }
  const bool all_digits = AllDigits(*s);
  if (all_digits && (s->size() == 16 || s->size() == 17)) {
    return InvalidArgument(std::string(kIdExcelMangledMessage));
  }
  if (all_digits && s->size() == 15) {
    s->insert(6, "19");
    s->push_back(GbCheckCharacter(*s));
    *upgraded = true;
    return Status::Ok();
  }
  const std::string_view body = std::string_view(*s).substr(0, s->size() - 1);
  const char last = s->back();
  if (body.find_first_not_of("0123456789") != std::string_view::npos ||
      (!IsDigit(last) && last != 'X')) {
    return InvalidArgument("身份证号只能包含数字，最后一位可以是 X");
  }
  if (s->size() != 18) {
    return InvalidArgument("身份证号应为 18 位（旧版为 15 位），实际为 " +
                           std::to_string(s->size()) + " 位");
  }
  return Status::Ok();
}

Result<ResidentId> Parse(std::string_view raw, std::chrono::year_month_day today,
                         const CountyCodeLookup* known_county) {
  std::optional<std::string> normalised = internal::NormalizeIdentifier(raw);
  if (!normalised) {
    return InvalidArgument("身份证号含有无法识别的字符编码");
  }
  std::string s = std::move(*normalised);
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  ResidentId id;
  CORDON_RETURN_IF_ERROR(CheckShape(&s, &id.upgraded_from_15));

  // The check character comes before region and date although §5.1 lists it after them: when it
  // fails, the number was mistyped or damaged, and a "bad birth date" caused by two swapped digits
  // would send the user to the wrong digits (the §5.1 vector 11010519492131002X expects the
  // check-character message). When it passes, region and date errors are real.
  const char expected = GbCheckCharacter(std::string_view(s).substr(0, 17));
  if (s[17] != expected) {
    // Excel keeps 15 significant digits, so the last three of an 18-digit number become 000.
    if (s.ends_with("000")) {
      return InvalidArgument(std::string(kIdExcelMangledMessage));
    }
    return InvalidArgument(std::string("身份证号码校验位错误：按 GB 11643 计算应为 ") + expected +
                           "，实际为 " + s[17]);
  }

  const std::string_view address = std::string_view(s).substr(0, 6);
  if (!IsProvinceCode(address)) {
    return InvalidArgument("身份证号前两位 " + std::string(address.substr(0, 2)) +
                           " 不是有效的省级行政区划代码");
  }

  const std::string_view birth = std::string_view(s).substr(6, 8);
  const std::optional<std::chrono::year_month_day> date = BirthDate(birth);
  if (!date) {
    return InvalidArgument("身份证号中的出生日期 " + std::string(birth) + " 不是有效日期");
  }
  if (*date > today) {
    return InvalidArgument("身份证号中的出生日期 " + FormatDate(*date) + " 晚于今天");
  }

  if (AgeOn(*date, today) > kMaxPlausibleAge) {
    id.warnings.push_back("年龄超过 " + std::to_string(kMaxPlausibleAge) + " 岁，请核对出生日期");
  }
  const int province = TwoDigits(address);
  if (province >= 81 && address.substr(2) != "0000") {
    id.warnings.push_back("港澳台居民居住证的地址码应为 810000、820000 或 830000，实际为 " +
                          std::string(address));
  } else if (province < 81 && address.substr(2, 2) == "00") {
    id.warnings.push_back("地址码 " + std::string(address) + " 不是县级行政区划代码");
  } else if (known_county != nullptr && *known_county && !(*known_county)(address)) {
    // A warning only: county codes change and old numbers keep their old codes.
    id.warnings.push_back("地址码 " + std::string(address) + " 不在 GB/T 2260 行政区划代码表中");
  }

  id.sex = (s[16] - '0') % 2 == 1 ? 'M' : 'F';
  id.birth_date = FormatDate(*date);
  id.number = std::move(s);
  return id;
}

}  // namespace

char GbCheckCharacter(std::string_view first17) {
  CORDON_DCHECK(first17.size() == 17 && AllDigits(first17));
  int sum = 0;
  for (std::size_t k = 0; k < kWeights.size() && k < first17.size(); ++k) {
    // Stay in bounds even if the precondition is broken in a release build.
    const int digit = IsDigit(first17[k]) ? first17[k] - '0' : 0;
    sum += digit * kWeights[k];
  }
  return kCheckCharacters[static_cast<std::size_t>(sum % 11)];
}

Result<ResidentId> ParseResidentId(std::string_view raw, std::chrono::year_month_day today) {
  return Parse(raw, today, nullptr);
}

Result<ResidentId> ParseResidentId(std::string_view raw, std::chrono::year_month_day today,
                                   const CountyCodeLookup& known_county) {
  return Parse(raw, today, &known_county);
}

}  // namespace cordon::base
