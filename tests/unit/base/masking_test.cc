#include "base/masking.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/internal/utf8.h"

namespace cordon::base {
namespace {

TEST(MaskIdNumberTest, EighteenCharactersKeepAddressCodeAndLastFour) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
}

TEST(MaskIdNumberTest, OtherLengthsKeepTwoAtEachEnd) {
  EXPECT_EQ(MaskIdNumber("110105491231002"), "11***********02");
  EXPECT_EQ(MaskIdNumber("E12345678"), "E1*****78");  // a passport number
  EXPECT_EQ(MaskIdNumber("12345"), "12*45");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
  EXPECT_EQ(MaskIdNumber("1"), "*");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(MaskIdNumberTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(MaskIdNumber("１１０１０５１９４９１２３１００２Ｘ"), "１１０１０５********００２Ｘ");
  EXPECT_EQ(MaskIdNumber("护照号码是"), "护照*码是");
}

TEST(MaskPhoneTest, ElevenDigitsKeepThreeAndFour) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("+8613812345678"), "+8**********78");
  EXPECT_EQ(MaskPhone("123"), "***");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(MaskNameTest, KeepsTheFirstCodePoint) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("John Smith"), "J*********");
  EXPECT_EQ(MaskName("阿卜杜热合曼·买买提"), "阿*********");
  EXPECT_EQ(MaskName("\U0001F600ab"), "\U0001F600**");  // four-byte code point kept whole
  EXPECT_EQ(MaskName("e\u0301mile"), "e*****");         // combining accent is one code point
  EXPECT_EQ(MaskName("张"), "*");
  EXPECT_EQ(MaskName(""), "");
}

TEST(MaskNameTest, InvalidUtf8NeverSplitsAndIsReplaced) {
  EXPECT_EQ(MaskName("张\xe4\xb8"), "张**");   // a truncated character: two stray bytes
  EXPECT_EQ(MaskName("\xe4\xb8\x89"), "*");    // 三 alone
  EXPECT_EQ(MaskName("\xff\xfe"), "\uFFFD*");  // kept stray byte becomes U+FFFD
  EXPECT_EQ(MaskName("\xc0\xaf"
                     "a"),
            "\uFFFD**");  // overlong '/' is two stray bytes
  EXPECT_EQ(MaskName("\xed\xa0\x80"
                     "a"),
            "\uFFFD***");  // an encoded surrogate
}

TEST(MaskAddressTest, KeepsUpToTheLastMarkerBeforeADigit) {
  EXPECT_EQ(MaskAddress("天河区体育西路123号5栋2单元301室"), "天河区体育西路****");
  EXPECT_EQ(MaskAddress("北京市朝阳区建国路88号SOHO现代城"), "北京市朝阳区建国路****");
  EXPECT_EQ(MaskAddress("武昌区中南路街道办事处12号"), "武昌区中南路街道****");
  EXPECT_EQ(MaskAddress("张家村3组"), "张家村****");
  EXPECT_EQ(MaskAddress("花园巷７号"), "花园巷****");  // full-width digit
  EXPECT_EQ(MaskAddress("上海市浦东新区"), "上海市浦东新区****");
  EXPECT_EQ(MaskAddress("东城区8号院西区"), "东城区****");  // 区 after a digit does not count
}

TEST(MaskAddressTest, WithoutAMarkerKeepsSixCharactersButNoDigits) {
  EXPECT_EQ(MaskAddress("广东省广州市天河北"), "广东省广州市****");
  EXPECT_EQ(MaskAddress("中山大学１２３"), "中山大学****");
  EXPECT_EQ(MaskAddress("123号"), "****");
  EXPECT_EQ(MaskAddress("北京"), "北京****");
  EXPECT_EQ(MaskAddress(""), "");
}

TEST(MaskAddressTest, InvalidUtf8IsSafe) {
  EXPECT_EQ(MaskAddress("\xe8\xb7"
                        "12"),
            "\uFFFD\uFFFD****");  // 路 cut in half
  EXPECT_EQ(MaskAddress("天河区\xff体育路"), "天河区\uFFFD体育路****");
}

TEST(MaskingTest, RandomBytesAlwaysGiveValidUtf8) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> len(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s(static_cast<std::size_t>(len(rng)), '\0');
    for (char& c : s) {
      c = static_cast<char>(byte(rng));
    }
    for (const std::string& masked : {MaskIdNumber(s), MaskPhone(s), MaskName(s), MaskAddress(s)}) {
      EXPECT_TRUE(internal::IsValidUtf8(masked));
    }
  }
}

}  // namespace
}  // namespace cordon::base
