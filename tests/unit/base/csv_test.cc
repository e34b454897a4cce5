#include "base/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::base {
namespace {

using Fields = std::vector<std::string>;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// "姓名,身份证号\r\n张三,11010519491231002X\r\n", produced with `iconv -f UTF-8 -t GBK`.
constexpr std::string_view kGbkHex =
    "d0d5c3fb2cc9edb7ddd6a4bac50d0ad5c5c8fd2c3131303130353139343931323331303032580d0a";
// The same text in UTF-16LE (iconv -t UTF-16LE), without a BOM.
constexpr std::string_view kUtf16LeHex =
    "d3590d542c00ab8efd4ec18bf7530d000a00205f094e2c0031003100300031003000350031003900340039003100"
    "32003300310030003000320058000d000a00";
std::string Gbk() { return FromHex(kGbkHex); }
std::string Utf16Le() { return FromHex(kUtf16LeHex); }
Fields Header() { return {"姓名", "身份证号"}; }
Fields Row() { return {"张三", "11010519491231002X"}; }

CsvDocument Parse(std::string_view bytes) {
  Result<CsvDocument> r = ParseCsv(bytes);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r.has_value() ? std::move(r).value() : CsvDocument{};
}

// Expects a kInvalidArgument and returns its first detail.
FieldError FirstError(std::string_view bytes) {
  const Result<CsvDocument> r = ParseCsv(bytes);
  EXPECT_FALSE(r.has_value());
  if (r.has_value()) {
    return {};
  }
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(r.error().details().empty());
  return r.error().details().empty() ? FieldError{} : r.error().details().front();
}

TEST(ParseCsvEncodingTest, Utf8) {
  const CsvDocument doc = Parse("姓名,身份证号\r\n张三,11010519491231002X\r\n");
  EXPECT_EQ(doc.encoding, "UTF-8");
  EXPECT_EQ(doc.delimiter, ",");
  EXPECT_EQ(doc.header, Header());
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(doc.rows[0].line, 2u);
  EXPECT_EQ(doc.rows[0].fields, Row());
}

TEST(ParseCsvEncodingTest, Utf8WithBom) {
  const CsvDocument doc = Parse("\xEF\xBB\xBF姓名,身份证号\n张三,11010519491231002X\n");
  EXPECT_EQ(doc.encoding, "UTF-8-BOM");
  EXPECT_EQ(doc.header, Header());
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(doc.rows[0].fields, Row());
}

TEST(ParseCsvEncodingTest, GbkFromChineseExcel) {
  const CsvDocument doc = Parse(Gbk());
  EXPECT_EQ(doc.encoding, "GB18030");
  EXPECT_EQ(doc.header, Header());
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(doc.rows[0].fields, Row());
}

TEST(ParseCsvEncodingTest, GbkWithFullWidthComma) {
  // "姓名，身份证号\r\n" in GBK: the full-width comma is A3 AC.
  const CsvDocument doc = Parse(FromHex("d0d5c3fba3acc9edb7ddd6a4bac50d0a"));
  EXPECT_EQ(doc.encoding, "GB18030");
  EXPECT_EQ(doc.delimiter, "，");
  EXPECT_EQ(doc.header, Header());
}

TEST(ParseCsvEncodingTest, Utf16LittleAndBigEndian) {
  const CsvDocument le = Parse("\xFF\xFE" + Utf16Le());
  EXPECT_EQ(le.encoding, "UTF-16LE");
  EXPECT_EQ(le.header, Header());
  ASSERT_EQ(le.rows.size(), 1u);
  EXPECT_EQ(le.rows[0].fields, Row());

  std::string be = Utf16Le();
  for (std::size_t i = 0; i + 1 < be.size(); i += 2) {
    std::swap(be[i], be[i + 1]);
  }
  const CsvDocument doc = Parse("\xFE\xFF" + be);
  EXPECT_EQ(doc.encoding, "UTF-16BE");
  EXPECT_EQ(doc.header, Header());
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(doc.rows[0].fields, Row());
}

TEST(ParseCsvEncodingTest, Utf16SurrogatePairs) {
  // "a\n😀\n": U+1F600 is D83D DE00.
  const CsvDocument doc = Parse(FromHex("fffe61000a003dd800de0a00"));
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(doc.rows[0].fields, Fields{"\U0001F600"});
}

TEST(ParseCsvEncodingTest, BrokenUtf16IsAnError) {
  EXPECT_EQ(FirstError(FromHex("fffe61000a00620063")).field, "line 2");            // odd byte count
  EXPECT_EQ(FirstError(FromHex("fffe61000a0062000a003dd86100")).field, "line 3");  // lone D83D
}

TEST(ParseCsvEncodingTest, BytesThatAreNeitherUtf8NorGb18030NameTheLine) {
  // GBK lines, then a 0xFF byte (invalid in both) on line 3.
  const FieldError e = FirstError(Gbk() + "\xFF,1\r\n");
  EXPECT_EQ(e.field, "line 3");
  EXPECT_NE(e.message.find("GB18030"), std::string::npos);
  // An ASCII line, then a GBK line that stops decoding on line 3.
  EXPECT_EQ(FirstError("name,id\n" + FromHex("d5c5c8fd") + ",1\n\xFF\xFF,2\n").field, "line 3");
}

TEST(ParseCsvEncodingTest, DamagedUtf8IsAnErrorNotMojibake) {
  // Valid UTF-8 up to line 4, then a stray 0x80. As GB18030 these bytes would decode into
  // nonsense without any error, so the UTF-8 evidence must win.
  const FieldError e = FirstError("姓名,电话\n张三,1\n李四,2\n王\x80,3\n");
  EXPECT_EQ(e.field, "line 4");
  EXPECT_NE(e.message.find("UTF-8"), std::string::npos);
  // With a GBK row pasted into a UTF-8 file, the first GBK line is named.
  EXPECT_EQ(FirstError("姓名,电话\n张三,1\n" + FromHex("c0eecbc4") + ",2\n").field, "line 3");
  // A UTF-8 BOM promises UTF-8: no GB18030 fallback.
  EXPECT_EQ(FirstError("\xEF\xBB\xBF"
                       "a,b\n" +
                       Gbk())
                .field,
            "line 2");
}

TEST(ToUtf8Test, ReportsTheEncoding) {
  std::string encoding;
  Result<std::string> text = ToUtf8("\x81\x30\x81\x30", &encoding);  // GB18030 four-byte form
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, "\u0080");
  EXPECT_EQ(encoding, "GB18030");
  ASSERT_TRUE(ToUtf8("plain ascii", &encoding).has_value());
  EXPECT_EQ(encoding, "UTF-8");
  EXPECT_TRUE(ToUtf8("", nullptr).has_value());
}

TEST(ParseCsvDelimiterTest, SniffsFromTheHeaderLine) {
  struct Case {
    std::string text;
    std::string delimiter;
  };
  for (const Case& c : std::vector<Case>{{"姓名，身份证号\n张三，1\n", "，"},
                                         {"姓名\t身份证号\n张三\t1\n", "\t"},
                                         {"姓名;身份证号\n张三;1\n", ";"},
                                         {"姓名,身份证号\n张三,1\n", ","}}) {
    const CsvDocument doc = Parse(c.text);
    EXPECT_EQ(doc.delimiter, c.delimiter) << c.text;
    EXPECT_EQ(doc.header, (Fields{"姓名", "身份证号"})) << c.text;
    ASSERT_EQ(doc.rows.size(), 1u);
    EXPECT_EQ(doc.rows[0].fields, (Fields{"张三", "1"})) << c.text;
  }
}

TEST(ParseCsvDelimiterTest, OtherCandidatesAreDataAndQuotedOnesAreNotCounted) {
  const CsvDocument doc = Parse("a;b;\"c,d,e\"\n1,5;2;x\n");
  EXPECT_EQ(doc.delimiter, ";");
  EXPECT_EQ(doc.header, (Fields{"a", "b", "c,d,e"}));
  EXPECT_EQ(doc.rows[0].fields, (Fields{"1,5", "2", "x"}));
  EXPECT_EQ(Parse("only\nx\n").delimiter, ",");
  EXPECT_EQ(Parse("a,b;c\n").delimiter, ",");  // a tie goes to the comma
}

TEST(ParseCsvQuotingTest, EmbeddedNewlinesDelimitersAndDoubledQuotes) {
  const CsvDocument doc = Parse(
      "name,note\r\n\"张三\",\"line1\r\nline2\"\r\n\"李,四\",\"say \"\"hi\"\"\"\r\n王五,\"\"\r\n");
  ASSERT_EQ(doc.rows.size(), 3u);
  EXPECT_EQ(doc.rows[0].line, 2u);
  EXPECT_EQ(doc.rows[0].fields, (Fields{"张三", "line1\r\nline2"}));
  EXPECT_EQ(doc.rows[1].line, 4u);
  EXPECT_EQ(doc.rows[1].fields, (Fields{"李,四", "say \"hi\""}));
  EXPECT_EQ(doc.rows[2].line, 5u);
  EXPECT_EQ(doc.rows[2].fields, (Fields{"王五", ""}));
}

TEST(ParseCsvQuotingTest, SpacesAroundQuotedFieldsAreTolerated) {
  const CsvDocument doc = Parse("a,b\n1, \"x,y\" \n");
  EXPECT_EQ(doc.rows[0].fields, (Fields{"1", "x,y"}));
}

TEST(ParseCsvLinesTest, CrlfLfAndCrGiveTheSameRecords) {
  for (std::string_view eol : {"\r\n", "\n", "\r"}) {
    const std::string text = "a,b" + std::string(eol) + "1,2" + std::string(eol) + "3,\"x" +
                             std::string(eol) + "y\"" + std::string(eol) + "5,6";
    const CsvDocument doc = Parse(text);
    ASSERT_EQ(doc.rows.size(), 3u) << eol.size();
    EXPECT_EQ(doc.rows[0].line, 2u);
    EXPECT_EQ(doc.rows[1].line, 3u);
    EXPECT_EQ(doc.rows[1].fields, (Fields{"3", "x" + std::string(eol) + "y"}));
    EXPECT_EQ(doc.rows[2].line, 5u);
    EXPECT_EQ(doc.rows[2].fields, (Fields{"5", "6"}));
  }
}

TEST(ParseCsvLinesTest, BlankAndTrailingEmptyLinesAreSkipped) {
  for (std::string_view text :
       {"a,b\n1,2", "a,b\n1,2\n", "a,b\r\n1,2\r\n\r\n", "\na,b\n1,2\n\n\n"}) {
    const CsvDocument doc = Parse(text);
    EXPECT_EQ(doc.header, (Fields{"a", "b"})) << text;
    ASSERT_EQ(doc.rows.size(), 1u) << text;
    EXPECT_EQ(doc.rows[0].fields, (Fields{"1", "2"}));
  }
  const CsvDocument doc = Parse("a,b\n\n1,2\n");
  EXPECT_EQ(doc.rows[0].line, 3u);  // line numbers still count the blank line
}

TEST(ParseCsvLinesTest, HeaderCellsAreTrimmedButDataIsNot) {
  const CsvDocument doc = Parse(" 姓名 ,\u3000身份证号\u3000,\t电话\ufeff\n 张三 ,1,2\n");
  EXPECT_EQ(doc.header, (Fields{"姓名", "身份证号", "电话"}));
  EXPECT_EQ(doc.rows[0].fields, (Fields{" 张三 ", "1", "2"}));
}

TEST(ParseCsvLinesTest, FieldCountMismatchIsKeptForTheCaller) {
  const CsvDocument doc = Parse("a,b,c\n1,2\n1,2,3,4\n1,2,\n");
  ASSERT_EQ(doc.rows.size(), 3u);
  EXPECT_EQ(doc.rows[0].fields, (Fields{"1", "2"}));
  EXPECT_EQ(doc.rows[1].fields, (Fields{"1", "2", "3", "4"}));
  EXPECT_EQ(doc.rows[2].fields, (Fields{"1", "2", ""}));
}

TEST(ParseCsvErrorsTest, UnterminatedQuoteNamesTheLineWhereItOpened) {
  const FieldError e = FirstError("a,b\n1,2\n3,\"never closed\n4,5\n");
  EXPECT_EQ(e.field, "line 3");
  EXPECT_NE(e.message.find("引号未闭合"), std::string::npos);
}

TEST(ParseCsvErrorsTest, StrayQuotesAreReportedPerLine) {
  const Result<CsvDocument> r = ParseCsv("a,b\n1,x\"y\n2,ok\n3,\"z\"w\n");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details().size(), 2u);
  EXPECT_EQ(r.error().details()[0].field, "line 2");
  EXPECT_NE(r.error().details()[0].message.find("未加引号的字段中出现引号"), std::string::npos);
  EXPECT_EQ(r.error().details()[1].field, "line 4");
  EXPECT_NE(r.error().details()[1].message.find("结束引号后"), std::string::npos);
  EXPECT_NE(r.error().message().find("第 2 行"), std::string::npos);
}

TEST(ParseCsvErrorsTest, EmptyFileHasNoHeader) {
  EXPECT_EQ(FirstError("").field, "line 1");
  EXPECT_EQ(FirstError("\r\n\r\n").field, "line 1");
  EXPECT_EQ(FirstError("\xEF\xBB\xBF").field, "line 1");
}

TEST(ParseCsvErrorsTest, RowCapIsResourceExhausted) {
  const std::string text = "a\n1\n2\n3\n";
  EXPECT_EQ(ParseCsv(text, 3)->rows.size(), 3u);
  const Result<CsvDocument> r = ParseCsv(text, 2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
}

TEST(CsvCellTest, PrefixesFormulaStarters) {
  EXPECT_EQ(CsvCell("=1+2"), "'=1+2");
  EXPECT_EQ(CsvCell("+8613800138000"), "'+8613800138000");
  EXPECT_EQ(CsvCell("-5"), "'-5");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "\"'\tx\"");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvCell(std::string_view("\0x", 2)), std::string("'\0x", 3));
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvCell("a=b"), "a=b");
}

TEST(CsvCellTest, QuotesPerRfc4180) {
  EXPECT_EQ(CsvCell("张三"), "张三");
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(CsvCell("a\nb"), "\"a\nb\"");
  EXPECT_EQ(CsvCell("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvCell("a，b"), "\"a，b\"");
}

TEST(CsvCellTest, RoundTripsThroughParseCsv) {
  const std::vector<std::string> values = {
      "张三",        "O'Brien, Jr.", "say \"hi\"", "two\nlines",
      "crlf\r\nend", "，全角",       "a;b",        "tab\there",
      "  spaces  ",  "\"",           "\"\"",       "=HYPERLINK(\"http://x\",\"y\")",
      "-1",          "@x",           "x\r"};
  std::string csv = "name,note\r\n";
  for (const std::string& v : values) {
    csv += CsvCell(v) + "," + CsvCell("n") + "\r\n";
  }
  const CsvDocument doc = Parse(csv);
  EXPECT_EQ(doc.delimiter, ",");
  ASSERT_EQ(doc.rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& v = values[i];
    const bool injected = v[0] == '=' || v[0] == '-' || v[0] == '@';
    EXPECT_EQ(doc.rows[i].fields, (Fields{injected ? "'" + v : v, "n"})) << v;
  }
}

}  // namespace
}  // namespace cordon::base
