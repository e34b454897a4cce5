// The printable investigation report: escaped, masked, people outside the jurisdiction hidden,
// and a file name a browser saves in Chinese.
#include "cases/report.h"

#include <gtest/gtest.h>

#include <regex>

namespace cordon::cases {
namespace {

TEST(InvestigationReportTest, TextIsEscapedAndPeopleAreMasked) {
  ReportInput in;
  in.c.id = 12;
  in.c.person_id = 1;
  in.c.name = "张三丰";
  in.c.id_number = "11010519491231002X";
  in.c.sex = "M";
  in.c.birth_date = "1949-12-31";
  in.c.classification = "confirmed";
  in.c.outcome = "under_treatment";
  in.c.positive_at = 1'700'000'000;
  in.c.hospital = "<script>alert(1)</script>";
  in.c.clock.reported = Leg::kLate;
  Entry e;
  e.at = 1'699'900'000;
  e.kind = "person";
  e.person_id = 2;
  e.person_name = "李四";
  e.text = "共同就餐 & 聊天 \"很久\"";
  in.entries.push_back(e);
  Exposure inside;
  inside.source_person_id = 2;
  inside.source_name = "李四";
  inside.source_path = "/440100/440106/";
  inside.target_person_id = 1;
  inside.kind = "household";
  Exposure outside = inside;
  outside.source_person_id = 3;
  outside.source_name = "王五";
  outside.source_path = "/440100/440199/";
  in.exposures = {inside, outside};
  in.scope = auth::SubtreeRange("/440100/440106/");
  in.exporter = "epi";
  in.exported_at = 1'700'000'100;

  const std::string html = InvestigationHtml(in);
  EXPECT_NE(html.find("病例 12 流行病学调查报告"), std::string::npos);
  EXPECT_NE(html.find("张**"), std::string::npos);
  EXPECT_EQ(html.find("张三丰"), std::string::npos);
  EXPECT_NE(html.find("110105********002X"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex("\\d{17}[\\dX]")));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("共同就餐 &amp; 聊天 &quot;很久&quot;"), std::string::npos);
  EXPECT_NE(html.find("李*"), std::string::npos);
  EXPECT_EQ(html.find("王五"), std::string::npos);
  EXPECT_EQ(html.find("王*"), std::string::npos);
  EXPECT_NE(html.find("已脱敏"), std::string::npos);
  EXPECT_NE(html.find("超时"), std::string::npos);
  EXPECT_NE(html.find("导出人：epi"), std::string::npos);
}

TEST(InvestigationReportTest, TheFileNameIsPercentEncodedUtf8) {
  EXPECT_EQ(ReportFileName(7), "%E7%97%85%E4%BE%8B7%E6%B5%81%E8%B0%83%E6%8A%A5%E5%91%8A.html");
  EXPECT_EQ(HtmlEscape("a<b>'c'"), "a&lt;b&gt;&#39;c&#39;");
}

}  // namespace
}  // namespace cordon::cases
