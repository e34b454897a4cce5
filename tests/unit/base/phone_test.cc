#include "base/phone.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::base {
namespace {

std::string ErrorOf(std::string_view raw) {
  const Result<Mobile> r = ParseMobile(raw);
  EXPECT_FALSE(r.has_value()) << raw;
  if (r.has_value()) {
    return "";
  }
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  return r.error().message();
}

TEST(ParseMobileTest, NormalisesPrefixesSeparatorsAndFullWidth) {
  for (std::string_view raw :
       {"13800138000", "+86 138-0013-8000", "+8613800138000", "0086 138 0013 8000", "8613800138000",
        "138 0013 8000", "１３８００１３８０００", "＋８６　１３８００１３８０００",
        "\u200b13800138000", "138\u20130013\u20138000", " 13800138000\r\n"}) {
    const Result<Mobile> r = ParseMobile(raw);
    ASSERT_TRUE(r.has_value()) << raw << ": " << r.error().message();
    EXPECT_EQ(r->number, "13800138000") << raw;
    EXPECT_TRUE(r->warnings.empty()) << raw;
  }
}

TEST(ParseMobileTest, IotNumbersAreRejectedWithTheirOwnMessage) {
  EXPECT_EQ(ErrorOf("1440123456789"), "13 位物联网卡号码不是个人手机号");
  EXPECT_EQ(ErrorOf("+86 1460123456789"), "13 位物联网卡号码不是个人手机号");
  EXPECT_EQ(ErrorOf("1410012345678"), "13 位物联网卡号码不是个人手机号");
}

TEST(ParseMobileTest, StructuralErrorsHaveDistinctMessages) {
  EXPECT_EQ(ErrorOf("12012345678"), "手机号第二位应为 3–9");
  EXPECT_EQ(ErrorOf("11012345678"), "手机号第二位应为 3–9");
  EXPECT_EQ(ErrorOf("23800138000"), "手机号应以 1 开头");
  EXPECT_EQ(ErrorOf("1380013800"), "手机号应为 11 位，实际为 10 位");
  EXPECT_EQ(ErrorOf("138001380001"), "手机号应为 11 位，实际为 12 位");
  EXPECT_EQ(ErrorOf("1380013800012"), "手机号应为 11 位，实际为 13 位");
  EXPECT_EQ(ErrorOf("010-12345678"), "这是固定电话号码，不是手机号");
  EXPECT_EQ(ErrorOf("+1 415 555 2671"), "只支持中国大陆手机号（+86）");
  EXPECT_EQ(ErrorOf("138O0138000"), "手机号只能包含数字（可带 +86 前缀、空格或短横线）");
  EXPECT_EQ(ErrorOf("138.0013.8000"), "手机号只能包含数字（可带 +86 前缀、空格或短横线）");
  EXPECT_EQ(ErrorOf(""), "手机号为空");
  EXPECT_EQ(ErrorOf(" - "), "手机号为空");
  EXPECT_EQ(ErrorOf("138\xff"), "手机号含有无法识别的字符编码");
}

TEST(ParseMobileTest, AllocatedSegmentsGiveNoWarning) {
  for (std::string_view raw :
       {"13012345678", "13412345678", "13491234567", "16212345678", "17012345678", "17400123456",
        "17405123456", "19212345678", "19612345678", "19912345678", "18912345678"}) {
    const Result<Mobile> r = ParseMobile(raw);
    ASSERT_TRUE(r.has_value()) << raw;
    EXPECT_TRUE(r->warnings.empty()) << raw << ": " << r->warnings.front();
  }
}

TEST(ParseMobileTest, UnknownSegmentIsOnlyAWarning) {
  for (std::string_view raw :
       {"15412345678", "17406123456", "17912345678", "19412345678", "14012345678", "16012345678"}) {
    const Result<Mobile> r = ParseMobile(raw);
    ASSERT_TRUE(r.has_value()) << raw;
    ASSERT_EQ(r->warnings.size(), 1u) << raw;
    EXPECT_EQ(r->warnings[0],
              "号段 " + std::string(raw.substr(0, 3)) + " 不在已知的号段表中，请核对");
  }
}

TEST(ParseMobileTest, DataOnlySegmentIsAWarning) {
  const Result<Mobile> r = ParseMobile("14512345678");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("上网卡"), std::string::npos);
}

TEST(ParseMobileTest, MessagesNeverContainTheNumber) {
  for (std::string_view raw : {"12012345678", "1440123456789", "138001380001", "01012345678"}) {
    EXPECT_EQ(ErrorOf(raw).find(raw.substr(3, 6)), std::string::npos) << raw;
  }
}

}  // namespace
}  // namespace cordon::base
