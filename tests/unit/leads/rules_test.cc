// Lead intake rules: columns by header, row validation, idempotence keys, building routing.
#include "leads/rules.h"

#include <gtest/gtest.h>

namespace cordon::leads {
namespace {

using std::chrono::system_clock;

system_clock::time_point Now() {
  return system_clock::time_point(std::chrono::seconds(1651277700));  // 2022-04-30 08:15 +08
}

base::CsvRow Row(std::vector<std::string> fields, std::size_t line = 2) {
  return {line, std::move(fields)};
}

TEST(LeadRulesTest, ColumnsAreFoundByChineseOrEnglishHeadersInAnyOrder) {
  auto c = FindColumns({"备注", "Phone", " 身份证号 ", "姓名", "category"});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->id_number, 2);
  EXPECT_EQ(c->name, 3);
  EXPECT_EQ(c->phone, 1);
  EXPECT_EQ(c->category, 4);
  EXPECT_EQ(c->address, -1);
}

TEST(LeadRulesTest, AHeaderThatCannotIdentifyAnyoneIsRefused) {
  auto none = FindColumns({"姓名", "备注"});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().details()[0].field, "header");
  EXPECT_TRUE(FindColumns({"姓名", "手机号"}).has_value());          // name and phone suffice
  EXPECT_FALSE(FindColumns({"身份证号", "id_number"}).has_value());  // named twice
}

TEST(LeadRulesTest, CategoriesByCodeOrChineseAndTheStrongerWins) {
  EXPECT_EQ(CategoryCode("密接"), "close_contact");
  EXPECT_EQ(CategoryCode("密切接触者"), "close_contact");
  EXPECT_EQ(CategoryCode(" Secondary_Contact "), "secondary_contact");
  EXPECT_EQ(CategoryCode(""), "unclassified");
  EXPECT_EQ(CategoryCode("外星人"), std::nullopt);
  EXPECT_GT(CategoryRank("close_contact"), CategoryRank("secondary_contact"));
  EXPECT_GT(CategoryRank("confirmed"), CategoryRank("close_contact"));
  EXPECT_EQ(CategoryRank("nonsense"), -1);
}

TEST(LeadRulesTest, RowsAreValidatedFieldByField) {
  std::vector<std::string> header = {"姓名", "身份证号", "手机号", "人员类别", "报告时间", "航班"};
  auto columns = *FindColumns(header);
  base::UtcOffset offset;
  auto ok = ReadRow(Row({"张三", "11010519491231002x", "+86 138-0013-8000", "密接",
                         "2022-04-01 08:30", "MU5101"}),
                    header, columns, Now(), offset);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->id_number, "11010519491231002X");
  EXPECT_EQ(ok->sex, "F");
  EXPECT_EQ(ok->birth_date, "1949-12-31");
  EXPECT_EQ(ok->phone, "13800138000");
  EXPECT_EQ(ok->category, "close_contact");
  EXPECT_EQ(ok->reported_at, 1648773000);  // 2022-04-01T08:30+08:00
  EXPECT_EQ(ok->notes.at("航班"), "MU5101");

  auto field_of = [&](std::vector<std::string> fields) {
    auto r = ReadRow(Row(std::move(fields)), header, columns, Now(), offset);
    return r.has_value() ? std::string("ok") : r.error().details()[0].field;
  };
  EXPECT_EQ(field_of({"张三", "110105194912310021", "", "", "", ""}), "id_number");
  EXPECT_EQ(field_of({"张三", "", "12345", "", "", ""}), "phone");
  EXPECT_EQ(field_of({"张三", "", "", "", "", ""}), "id_number");  // nobody identifiable
  EXPECT_EQ(field_of({"张三", "11010519491231002X", "", "外星人", "", ""}), "category");
  EXPECT_EQ(field_of({"张三", "11010519491231002X", "", "", "2022-13-01", ""}), "reported_at");
  EXPECT_EQ(field_of({"张三", "11010519491231002X", "", "", "2030-01-01", ""}), "reported_at");
  EXPECT_EQ(field_of({"", "", "", "", "", ""}), "");        // an empty row, said so
  EXPECT_EQ(field_of({"张三", "11010519491231002X"}), "");  // too few columns
  EXPECT_EQ(field_of({"张三", "", "13800138000", "", "", ""}), "ok");
}

TEST(LeadRulesTest, TheSameLeadHasTheSameKeyAndAnotherSourceAnother) {
  LeadRow row;
  row.id_number = "11010519491231002X";
  row.category = "close_contact";
  row.reported_at = 1648773000;
  LeadRow same = row;
  same.name = "张三";  // names are not part of the key when the ID is known
  EXPECT_EQ(RowKey("assist_notice", row), RowKey("assist_notice", same));
  EXPECT_NE(RowKey("assist_notice", row), RowKey("data_push", row));
  LeadRow later = row;
  later.reported_at += 1;
  EXPECT_NE(RowKey("assist_notice", row), RowKey("assist_notice", later));
}

TEST(LeadRulesTest, TheBuildingOfAnAddressRoutesItsPeopleToOneGrid) {
  EXPECT_EQ(BuildingOf("中城区五一路15号1栋1单元101室"), "中城区五一路15号1栋");
  EXPECT_EQ(BuildingOf("翠岭区百花街28号3幢201室"), "翠岭区百花街28号3幢");
  EXPECT_EQ(BuildingOf("滨江路9号"), "滨江路9号");
  EXPECT_EQ(BuildingOf("火车站广场"), "");
}

TEST(LeadRulesTest, OverdueTasksClimbToTheCommunityThenTheStreet) {
  const std::int64_t due = 1'000'000;
  EXPECT_EQ(TaskLevel("open", due, due), "grid");
  EXPECT_EQ(TaskLevel("open", due, due + 1), "community");
  EXPECT_EQ(TaskLevel("open", due, due + 86'399), "community");
  EXPECT_EQ(TaskLevel("open", due, due + 86'400), "street");
  EXPECT_EQ(TaskLevel("checked", due, due + 86'400), "grid");
}

TEST(LeadRulesTest, ANewFileForAMinorNeedsAGuardianToCall) {
  const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::November,
                                          std::chrono::day{24}};
  LeadRow child;
  child.birth_date = "2015-03-01";
  Status missing = GuardianOfMinor(child, today);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.details().front().field, "guardian");
  child.notes["监护人"] = "王建国";
  EXPECT_FALSE(GuardianOfMinor(child, today).ok());  // and the guardian's phone
  child.notes["监护人电话"] = "12345";
  EXPECT_EQ(GuardianOfMinor(child, today).details().front().field, "guardian_phone");
  child.notes["监护人电话"] = "13800138000";
  EXPECT_TRUE(GuardianOfMinor(child, today).ok());

  LeadRow adult;  // 18 on the day: no guardian needed
  adult.birth_date = "2008-11-24";
  EXPECT_TRUE(GuardianOfMinor(adult, today).ok());
  adult.birth_date = "2008-11-25";  // 17 for one more day
  EXPECT_FALSE(GuardianOfMinor(adult, today).ok());
  EXPECT_TRUE(GuardianOfMinor(LeadRow{}, today).ok());  // no birth date: nothing to say
}

// Found by fuzzing (lead_import_fuzz): a plain date outside system_clock's range (about
// 1678-2261) overflowed its conversion to nanoseconds instead of being refused.
TEST(LeadRulesTest, ReportDatesOutsideTheClockRangeAreRefusedNotOverflowed) {
  std::vector<std::string> header = {"身份证号", "报告时间"};
  auto columns = *FindColumns(header);
  for (const char* when : {"9999-12-31", "1600-01-01", "0001-01-01"}) {
    auto r = ReadRow(Row({"11010519491231002X", when}), header, columns, Now(), {});
    ASSERT_FALSE(r.has_value()) << when;
    EXPECT_EQ(r.error().details()[0].field, "reported_at") << when;
  }
  auto ok = ReadRow(Row({"11010519491231002X", "2022-04-01"}), header, columns, Now(), {});
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->reported_at, 1648742400);  // 2022-04-01T00:00+08:00
}

}  // namespace
}  // namespace cordon::leads
