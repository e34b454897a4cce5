#include "base/phone.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "base/internal/utf8.h"

namespace cordon::base {
namespace {

using internal::AllDigits;

// Three-digit segments allocated to personal numbers per the MIIT lists collected in
// ChinaMobilePhoneNumberRegex (README-CN, 2020-05): the four carriers and the MVNOs. 174 is
// handled apart because only 17400-17405 are allocated.
constexpr auto kAllocatedSegments = std::to_array<int>(
    {130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157,
     158, 159, 162, 165, 166, 167, 170, 171, 172, 173, 175, 176, 177, 178, 180, 181, 182,
     183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 195, 196, 197, 198, 199});
constexpr auto kDataOnlySegments = std::to_array<int>({145, 147, 149});

bool Contains(const auto& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Drops a country prefix. Returns nullopt for a foreign "+NN" prefix.
std::optional<std::string_view> StripCountryCode(std::string_view s) {
  if (s.starts_with("+86")) {
    return s.substr(3);
  }
  if (s.starts_with('+')) {
    return std::nullopt;
  }
  if (s.starts_with("0086")) {
    return s.substr(4);
  }
  // "86" alone is ambiguous with a domestic number, so it counts only before a full mobile number.
  if (s.size() == 13 && s.starts_with("861")) {
    return s.substr(2);
  }
  return s;
}

std::optional<std::string> SegmentWarning(std::string_view number) {
  const int segment = (number[0] - '0') * 100 + (number[1] - '0') * 10 + (number[2] - '0');
  const std::string name(number.substr(0, 3));
  if (Contains(kDataOnlySegments, segment)) {
    return "号段 " + name + " 为上网卡（数据卡）号段，可能无法接听电话，请核对";
  }
  if (Contains(kAllocatedSegments, segment)) {
    return std::nullopt;
  }
  if (segment == 174 && number[3] == '0' && number[4] >= '0' && number[4] <= '5') {
    return std::nullopt;
  }
  return "号段 " + name + " 不在已知的号段表中，请核对";
}

}  // namespace

Result<Mobile> ParseMobile(std::string_view raw) {
  const std::optional<std::string> normalised = internal::NormalizeIdentifier(raw);
  if (!normalised) {
    return InvalidArgument("手机号含有无法识别的字符编码");
  }
  if (normalised->empty()) {
    return InvalidArgument("手机号为空");
  }
  const std::optional<std::string_view> national = StripCountryCode(*normalised);
  if (!national) {
    return InvalidArgument("只支持中国大陆手机号（+86）");
  }
  const std::string_view s = *national;
  if (!AllDigits(s)) {
    return InvalidArgument("手机号只能包含数字（可带 +86 前缀、空格或短横线）");
  }
  if (s.size() == 13 && s.starts_with("14")) {
    return InvalidArgument("13 位物联网卡号码不是个人手机号");
  }
  if (s[0] == '0') {
    return InvalidArgument("这是固定电话号码，不是手机号");
  }
  if (s.size() != 11) {
    return InvalidArgument("手机号应为 11 位，实际为 " + std::to_string(s.size()) + " 位");
  }
  if (s[0] != '1') {
    return InvalidArgument("手机号应以 1 开头");
  }
  if (s[1] < '3') {
    return InvalidArgument("手机号第二位应为 3–9");
  }

  Mobile mobile;
  mobile.number = std::string(s);
  if (std::optional<std::string> warning = SegmentWarning(s)) {
    mobile.warnings.push_back(std::move(*warning));
  }
  return mobile;
}

}  // namespace cordon::base
