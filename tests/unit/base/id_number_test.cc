#include "base/id_number.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::base {
namespace {

using std::chrono::June;
using std::chrono::year_month_day;
using namespace std::chrono_literals;

constexpr year_month_day kToday{2024y, June, 1d};

std::string WithCheck(const std::string& first17) { return first17 + GbCheckCharacter(first17); }

// Expects a rejection and returns its message.
std::string ErrorOf(std::string_view raw) {
  const Result<ResidentId> r = ParseResidentId(raw, kToday);
  EXPECT_FALSE(r.has_value()) << raw;
  if (r.has_value()) {
    return "";
  }
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  return r.error().message();
}

TEST(GbCheckCharacterTest, MatchesTheStandardsExamples) {
  EXPECT_EQ(GbCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(GbCheckCharacter("44052418800101001"), '4');
  EXPECT_EQ(GbCheckCharacter("11010519492131002"), '1');
  EXPECT_EQ(GbCheckCharacter("00000000000000000"), '1');  // S mod 11 == 0
}

// ---- security.md §5.1 test vectors, row by row. ----

TEST(ResidentIdVectorsTest, StandardExampleIsValidFemale) {
  const Result<ResidentId> r = ParseResidentId("11010519491231002X", kToday);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->number, "11010519491231002X");
  EXPECT_EQ(r->sex, 'F');
  EXPECT_EQ(r->birth_date, "1949-12-31");
  EXPECT_FALSE(r->upgraded_from_15);
  EXPECT_TRUE(r->warnings.empty());
}

TEST(ResidentIdVectorsTest, LowerCaseAndFullWidthAreValidAfterNormalisation) {
  for (std::string_view raw : {"11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ",
                               "１１０１０５１９４９１２３１００２ｘ"}) {
    const Result<ResidentId> r = ParseResidentId(raw, kToday);
    ASSERT_TRUE(r.has_value()) << raw;
    EXPECT_EQ(r->number, "11010519491231002X");
  }
}

TEST(ResidentIdVectorsTest, WrongCheckCharacterNamesBothCharacters) {
  EXPECT_EQ(ErrorOf("110105194912310021"),
            "身份证号码校验位错误：按 GB 11643 计算应为 X，实际为 1");
}

TEST(ResidentIdVectorsTest, SwappedDigitsFailTheChecksum) {
  EXPECT_EQ(ErrorOf("11010519492131002X"),
            "身份证号码校验位错误：按 GB 11643 计算应为 1，实际为 X");
}

TEST(ResidentIdVectorsTest, MonthThirteenIsAnInvalidDate) {
  EXPECT_EQ(ErrorOf("110105194913320019"), "身份证号中的出生日期 19491332 不是有效日期");
}

TEST(ResidentIdVectorsTest, FutureBirthDateIsRejected) {
  EXPECT_EQ(ErrorOf("110105209912310010"), "身份证号中的出生日期 2099-12-31 晚于今天");
}

TEST(ResidentIdVectorsTest, UnknownProvinceIsRejected) {
  EXPECT_EQ(ErrorOf("990105194912310015"), "身份证号前两位 99 不是有效的省级行政区划代码");
}

TEST(ResidentIdVectorsTest, AgeOver120IsAWarning) {
  const Result<ResidentId> r = ParseResidentId("440524188001010014", kToday);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->sex, 'M');
  EXPECT_EQ(r->birth_date, "1880-01-01");
  EXPECT_EQ(r->warnings, std::vector<std::string>{"年龄超过 120 岁，请核对出生日期"});
}

TEST(ResidentIdVectorsTest, FifteenDigitIdIsUpgraded) {
  const Result<ResidentId> r = ParseResidentId("110105491231002", kToday);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->number, "11010519491231002X");
  EXPECT_TRUE(r->upgraded_from_15);
  EXPECT_EQ(r->sex, 'F');
  EXPECT_EQ(r->birth_date, "1949-12-31");
}

TEST(ResidentIdVectorsTest, ExcelMangledNumbersGetTheSetColumnToTextMessage) {
  for (std::string_view raw : {"1.10105E+17", "110105194912310000", "1.10105e+17", "1.10105E17",
                               "110105194912310000.0", "1101051949123100", "11010519491231002"}) {
    EXPECT_EQ(ErrorOf(raw), kIdExcelMangledMessage) << raw;
  }
  EXPECT_EQ(kIdExcelMangledMessage,
            "身份证号被 Excel 截断或转成科学计数法，请将该列设为文本格式后重新导出");
}

// ---- Further cases. ----

TEST(ResidentIdTest, PublishedStyleNumbersWithComputedChecksAreValid) {
  struct Case {
    std::string first17;
    char sex;
    std::string birth;
  };
  const std::vector<Case> cases = {
      {"31010419900307001", 'M', "1990-03-07"},  // Shanghai Xuhui
      {"44030619850615002", 'F', "1985-06-15"},  // Shenzhen Bao'an
      {"51010719720228003", 'M', "1972-02-28"},  // Chengdu Wuhou
      {"65010220000229004", 'F', "2000-02-29"},  // Urumqi, a leap day
      {"33010619881111999", 'M', "1988-11-11"},
      {"81000019900101001", 'M', "1990-01-01"},  // Hong Kong residents' permit
      {"82000019850505002", 'F', "1985-05-05"},  // Macau residents' permit
      {"83000019900101001", 'M', "1990-01-01"},  // Taiwan residents' permit
      {"11010520240601001", 'M', "2024-06-01"},  // born today
  };
  for (const Case& c : cases) {
    const std::string id = WithCheck(c.first17);
    const Result<ResidentId> r = ParseResidentId(id, kToday);
    ASSERT_TRUE(r.has_value()) << id << ": " << r.error().message();
    EXPECT_EQ(r->number, id);
    EXPECT_EQ(r->sex, c.sex) << id;
    EXPECT_EQ(r->birth_date, c.birth) << id;
    EXPECT_TRUE(r->warnings.empty()) << id << ": " << r->warnings.front();
  }
}

TEST(ResidentIdTest, EverySingleDigitSubstitutionIsCaught) {
  const std::string valid = "11010519491231002X";
  for (std::size_t pos = 0; pos < 17; ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[pos]) {
        continue;
      }
      std::string changed = valid;
      changed[pos] = d;
      EXPECT_NE(ErrorOf(changed).find("校验位错误"), std::string::npos) << changed;
    }
  }
}

TEST(ResidentIdTest, EveryAdjacentTranspositionIsCaught) {
  const std::string valid = WithCheck("44030619850615002");
  for (std::size_t pos = 0; pos + 1 < valid.size(); ++pos) {
    if (valid[pos] == valid[pos + 1]) {
      continue;
    }
    std::string changed = valid;
    std::swap(changed[pos], changed[pos + 1]);
    EXPECT_FALSE(ParseResidentId(changed, kToday).has_value()) << changed;
  }
}

TEST(ResidentIdTest, SeparatorsAndInvisibleCharactersAreStripped) {
  for (std::string_view raw :
       {" 110105 19491231 002X ", "110105-19491231-002x", "110105\u300019491231\u3000002X",
        "\u200b11010519491231002X\u200d", "\ufeff11010519491231002X", "110105\t19491231002X\r\n",
        "１１０１０５－１９４９１２３１－００２Ｘ"}) {
    const Result<ResidentId> r = ParseResidentId(raw, kToday);
    ASSERT_TRUE(r.has_value()) << raw;
    EXPECT_EQ(r->number, "11010519491231002X");
  }
}

TEST(ResidentIdTest, ShapeErrorsHaveTheirOwnMessages) {
  EXPECT_EQ(ErrorOf(""), "身份证号为空");
  EXPECT_EQ(ErrorOf("  \u3000 "), "身份证号为空");
  EXPECT_EQ(ErrorOf("11010519491231002Y"), "身份证号只能包含数字，最后一位可以是 X");
  EXPECT_EQ(ErrorOf("1101051949X231002X"), "身份证号只能包含数字，最后一位可以是 X");
  EXPECT_EQ(ErrorOf("张三"), "身份证号只能包含数字，最后一位可以是 X");
  EXPECT_EQ(ErrorOf("5"), "身份证号应为 18 位（旧版为 15 位），实际为 1 位");
  EXPECT_EQ(ErrorOf("1101051949123100231"), "身份证号应为 18 位（旧版为 15 位），实际为 19 位");
  EXPECT_EQ(ErrorOf("11010519491231X"), "身份证号应为 18 位（旧版为 15 位），实际为 15 位");
  EXPECT_EQ(ErrorOf("110105\xff"
                    "19491231002X"),
            "身份证号含有无法识别的字符编码");
}

TEST(ResidentIdTest, DatesAreCheckedAgainstTheCalendarAndToday) {
  EXPECT_NE(ErrorOf(WithCheck("11010519900229001")).find("不是有效日期"), std::string::npos);
  EXPECT_NE(ErrorOf(WithCheck("11010519900431001")).find("不是有效日期"), std::string::npos);
  EXPECT_NE(ErrorOf(WithCheck("11010519900001001")).find("不是有效日期"), std::string::npos);
  EXPECT_EQ(ErrorOf(WithCheck("11010520240602001")), "身份证号中的出生日期 2024-06-02 晚于今天");
}

TEST(ResidentIdTest, NonCountyAddressCodeIsAWarning) {
  const Result<ResidentId> r = ParseResidentId(WithCheck("11000019900101001"), kToday);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->warnings, std::vector<std::string>{"地址码 110000 不是县级行政区划代码"});
  const Result<ResidentId> hk = ParseResidentId(WithCheck("81010219900101001"), kToday);
  ASSERT_TRUE(hk.has_value());
  ASSERT_EQ(hk->warnings.size(), 1u);
  EXPECT_NE(hk->warnings[0].find("810000"), std::string::npos);
  EXPECT_NE(ErrorOf(WithCheck("83010219900101001")).find("前两位 83"), std::string::npos);
}

TEST(ResidentIdTest, CountyLookupUnknownCodeIsAWarningOnly) {
  const CountyCodeLookup only_chaoyang = [](std::string_view code) { return code == "110105"; };
  const Result<ResidentId> known = ParseResidentId("11010519491231002X", kToday, only_chaoyang);
  ASSERT_TRUE(known.has_value());
  EXPECT_TRUE(known->warnings.empty());
  const Result<ResidentId> unknown =
      ParseResidentId(WithCheck("44052419800101001"), kToday, only_chaoyang);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->warnings,
            std::vector<std::string>{"地址码 440524 不在 GB/T 2260 行政区划代码表中"});
}

TEST(ResidentIdTest, MessagesNeverContainTheNumber) {
  for (std::string_view raw : {"110105194912310021", "11010519492131002X", "110105194913320019",
                               "110105209912310010", "990105194912310015", "1101051949123100231"}) {
    EXPECT_EQ(ErrorOf(raw).find(raw.substr(0, 12)), std::string::npos) << raw;
  }
}

TEST(ResidentIdTest, ReparsingTheNormalisedNumberGivesTheSameResult) {
  const Result<ResidentId> first = ParseResidentId("110105491231002", kToday);
  ASSERT_TRUE(first.has_value());
  const Result<ResidentId> second = ParseResidentId(first->number, kToday);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->number, first->number);
  EXPECT_EQ(second->sex, first->sex);
  EXPECT_EQ(second->birth_date, first->birth_date);
  EXPECT_FALSE(second->upgraded_from_15);
}

}  // namespace
}  // namespace cordon::base
