// 四包一: which responsible person may take which of the four duties.
#include <gtest/gtest.h>

#include "home_quarantine/model.h"

namespace cordon::home_quarantine {
namespace {

TEST(FourStaffTest, EachDutyTakesItsOwnRoles) {
  EXPECT_TRUE(RoleFits("cadre", "社区书记"));
  EXPECT_TRUE(RoleFits("cadre", "社区主任"));
  EXPECT_TRUE(RoleFits("cadre", "街道书记"));
  EXPECT_TRUE(RoleFits("grid_worker", "网格员"));
  EXPECT_TRUE(RoleFits("doctor", "家庭医生"));
  EXPECT_TRUE(RoleFits("police", "社区民警"));
  EXPECT_FALSE(RoleFits("police", "家庭医生"));
  EXPECT_FALSE(RoleFits("doctor", "网格员"));
  EXPECT_FALSE(RoleFits("cadre", "指挥长"));  // the district's commander does not 包保 a flat
  EXPECT_FALSE(RoleFits("janitor", "网格员"));
}

TEST(FourStaffTest, ThereAreExactlyFourDuties) {
  EXPECT_EQ(kDuties.size(), 4u);
  for (auto duty : kDuties) {
    EXPECT_TRUE(IsDuty(duty));
  }
  EXPECT_FALSE(IsDuty("volunteer"));
}

}  // namespace
}  // namespace cordon::home_quarantine
