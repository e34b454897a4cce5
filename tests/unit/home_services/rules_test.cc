// Money as officials type it: yuan with at most two decimals, to cents.
#include <gtest/gtest.h>

#include "home_services/model.h"

namespace cordon::home_services {
namespace {

TEST(YuanTest, WholeAndDecimalYuanBecomeCents) {
  std::int64_t cents = -1;
  EXPECT_TRUE(ParseYuan("12", &cents));
  EXPECT_EQ(cents, 1200);
  EXPECT_TRUE(ParseYuan("12.5", &cents));
  EXPECT_EQ(cents, 1250);
  EXPECT_TRUE(ParseYuan("0.05", &cents));
  EXPECT_EQ(cents, 5);
  EXPECT_TRUE(ParseYuan("100000", &cents));
  EXPECT_EQ(cents, 10'000'000);
}

TEST(YuanTest, AnythingElseIsRefused) {
  std::int64_t cents = 0;
  for (const char* bad :
       {"", ".5", "12.", "12.345", "-3", "1,000", "1e3", "100000.01", "¥12", "1000000"}) {
    EXPECT_FALSE(ParseYuan(bad, &cents)) << bad;
  }
}

}  // namespace
}  // namespace cordon::home_services
