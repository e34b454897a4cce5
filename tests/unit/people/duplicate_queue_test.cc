// The region a doubtful pair belongs to: the lowest one holding both files.
#include "people/duplicate_queue.h"

#include <gtest/gtest.h>

namespace cordon::people {
namespace {

constexpr const char* kGridA = "/440100/440106/440106001/440106001001/440106001001001/";
constexpr const char* kGridB = "/440100/440106/440106001/440106001001/440106001001002/";
constexpr const char* kOtherStreet = "/440100/440106/440106002/440106002001/440106002001001/";

TEST(CommonRegionPathTest, TwoGridsOfOneCommunityBelongToTheCommunity) {
  EXPECT_EQ(CommonRegionPath(kGridA, kGridB), "/440100/440106/440106001/440106001001/");
}

TEST(CommonRegionPathTest, OneGridIsItsOwnCommonRegion) {
  EXPECT_EQ(CommonRegionPath(kGridA, kGridA), kGridA);
}

TEST(CommonRegionPathTest, TwoStreetsMeetAtTheDistrict) {
  EXPECT_EQ(CommonRegionPath(kGridA, kOtherStreet), "/440100/440106/");
}

TEST(CommonRegionPathTest, ACodeThatSharesOnlyDigitsIsNotAnAncestor) {
  // "/440106001/" and "/440106002/" share the digits "44010600", not a node.
  EXPECT_EQ(CommonRegionPath("/440100/440106001/", "/440100/440106002/"), "/440100/");
}

TEST(CommonRegionPathTest, NothingSharedOrNoRegionMeansNoOne) {
  EXPECT_EQ(CommonRegionPath("/440100/", "/310100/"), "");
  EXPECT_EQ(CommonRegionPath("", kGridA), "");
  EXPECT_EQ(CommonRegionPath(kGridA, ""), "");
}

}  // namespace
}  // namespace cordon::people
