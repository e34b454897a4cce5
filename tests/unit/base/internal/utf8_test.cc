#include "base/internal/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon::base::internal {
namespace {

TEST(Utf8Test, AcceptsTheBoundariesOfEachForm) {
  for (std::string_view s :
       {"", "a", "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
        "张三 and ascii long enough to take the fast path"}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(Utf8Test, RejectsOverlongSurrogatesAndOutOfRange) {
  struct Case {
    std::string_view bytes;
    std::size_t offset;
  };
  for (const Case& c :
       {Case{"\xC0\xAF", 0}, Case{"\xC1\xBF", 0}, Case{"\xE0\x9F\xBF", 0}, Case{"\xED\xA0\x80", 0},
        Case{"\xF0\x8F\xBF\xBF", 0}, Case{"\xF4\x90\x80\x80", 0}, Case{"\xF5\x80\x80\x80", 0},
        Case{"abcdefghij\x80", 10}, Case{"ab\xE4\xB8", 2}, Case{"\xFF", 0}}) {
    std::size_t offset = 99;
    EXPECT_FALSE(IsValidUtf8(c.bytes, &offset));
    EXPECT_EQ(offset, c.offset);
  }
}

TEST(Utf8Test, DecodeAdvancesOneByteOnInvalidInput) {
  const std::string_view s =
      "\xE4\xB8\x89\xE4\xB8"
      "a";
  std::size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(s, &pos), U'三');
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(DecodeUtf8(s, &pos), kInvalidCodePoint);
  EXPECT_EQ(pos, 4u);
  EXPECT_EQ(DecodeUtf8(s, &pos), kInvalidCodePoint);
  EXPECT_EQ(DecodeUtf8(s, &pos), U'a');
  EXPECT_EQ(pos, s.size());
}

TEST(Utf8Test, AppendRoundTripsThroughDecode) {
  for (char32_t cp : {U'\0', U'a', U'\u00E9', U'\u4E09', U'\uFFFD', U'\U0001F600', U'\U0010FFFF'}) {
    std::string s;
    AppendUtf8(cp, &s);
    std::size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(s, &pos), cp);
    EXPECT_EQ(pos, s.size());
  }
}

TEST(Utf8Test, NormalizeIdentifierFoldsWidthAndDropsSeparators) {
  EXPECT_EQ(*NormalizeIdentifier("１２３ｘ－4\u30005\u200b6\u00A07"), "123x4567");
  EXPECT_EQ(*NormalizeIdentifier("+86 (10)"), "+86(10)");
  EXPECT_FALSE(NormalizeIdentifier("12\xFF").has_value());
}

}  // namespace
}  // namespace cordon::base::internal
