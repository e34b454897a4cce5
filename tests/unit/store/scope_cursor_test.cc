// Keyset cursors over (region_path, id): what a list gives is what it takes back.
#include "store/scope_cursor.h"

#include <gtest/gtest.h>

namespace cordon::store {
namespace {

TEST(ScopeCursorTest, RoundTripsAndStartsEmpty) {
  auto start = ParseScopeCursor("");
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(start->region_path, "");
  EXPECT_EQ(start->id, 0);
  std::string text = FormatScopeCursor({"/650500/650502/650502001/", 1234});
  EXPECT_EQ(text, "/650500/650502/650502001/,1234");
  auto back = ParseScopeCursor(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->region_path, "/650500/650502/650502001/");
  EXPECT_EQ(back->id, 1234);
}

TEST(ScopeCursorTest, AnythingElseIsRefusedOnTheAfterField) {
  for (const char* bad : {"12", ",12", "/6505/,", "/6505/,x", "/6505/,-1", "/65' OR 1=1/,3",
                          "/6505/,99999999999999999999"}) {
    auto parsed = ParseScopeCursor(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().details()[0].field, "after") << bad;
  }
}

// The cursor bound in SQL never lies before the jurisdiction, so an index scan starts inside it.
TEST(ScopeCursorTest, TheBoundStartsWithinTheJurisdiction) {
  const std::string grid = "/650500/650502/650502001/650502001001/";
  ScopeCursor first = StartWithin({}, grid);
  EXPECT_EQ(first.region_path, grid);
  EXPECT_EQ(first.id, 0);
  ScopeCursor later = StartWithin({grid, 42}, grid);
  EXPECT_EQ(later.region_path, grid);
  EXPECT_EQ(later.id, 42);
  ScopeCursor beyond = StartWithin({"/650500/650503/", 7}, "/650500/650502/");
  EXPECT_EQ(beyond.region_path, "/650500/650503/");
  EXPECT_EQ(beyond.id, 7);
}

}  // namespace
}  // namespace cordon::store
