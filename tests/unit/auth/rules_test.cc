// Pure auth decisions: roles, the permission matrix, jurisdiction ranges (security.md A1, A7),
// login throttling (D3) and the password policy.
#include "auth/rules.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace cordon::auth {
namespace {

constexpr std::array kAllRoles = {
    Role::kAdmin,   Role::kCommander, Role::kEpidemiologist, Role::kSiteManager, Role::kGridWorker,
    Role::kTesting, Role::kLogistics, Role::kInspector,      Role::kAuditor,
};

TEST(RoleTest, EveryRoleNameRoundTrips) {
  for (Role role : kAllRoles) {
    std::string_view name = RoleName(role);
    EXPECT_NE(name, "unknown");
    auto parsed = ParseRole(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, role) << name;
  }
  EXPECT_EQ(RoleName(Role::kGridWorker), "grid_worker");
  EXPECT_EQ(RoleName(Role::kSiteManager), "site_manager");
}

TEST(RoleTest, UnknownNamesDoNotParse) {
  for (std::string_view bad : {"", "Admin", "ADMIN", "root", "grid-worker", "admin ", "unknown"}) {
    EXPECT_FALSE(ParseRole(bad).has_value()) << bad;
  }
}

TEST(PermissionTest, AuditorReadsAuditButNeverPeople) {
  EXPECT_TRUE(Can(Role::kAuditor, Permission::kAuditRead));
  EXPECT_FALSE(Can(Role::kAuditor, Permission::kPeopleRead));
  EXPECT_FALSE(Can(Role::kAuditor, Permission::kPeopleReveal));
  EXPECT_FALSE(Can(Role::kAuditor, Permission::kPeopleWrite));
  EXPECT_FALSE(Can(Role::kAuditor, Permission::kUsersManage));
}

TEST(PermissionTest, LogisticsAndInspectorsCannotReadPeople) {
  for (Role role : {Role::kLogistics, Role::kInspector}) {
    EXPECT_FALSE(Can(role, Permission::kPeopleRead)) << RoleName(role);
    EXPECT_FALSE(Can(role, Permission::kPeopleReveal)) << RoleName(role);
    EXPECT_FALSE(Can(role, Permission::kPeopleWrite)) << RoleName(role);
    EXPECT_FALSE(Can(role, Permission::kAuditRead)) << RoleName(role);
  }
}

TEST(PermissionTest, OnlyAdminManagesUsers) {
  for (Role role : kAllRoles) {
    EXPECT_EQ(Can(role, Permission::kUsersManage), role == Role::kAdmin) << RoleName(role);
  }
}

TEST(PermissionTest, OnlyAdminAndAuditorReadTheAuditLog) {
  for (Role role : kAllRoles) {
    EXPECT_EQ(Can(role, Permission::kAuditRead), role == Role::kAdmin || role == Role::kAuditor)
        << RoleName(role);
  }
}

TEST(PermissionTest, EveryRoleReadsRegionsAndPeopleReadersAreTheExpectedOnes) {
  for (Role role : kAllRoles) {
    EXPECT_TRUE(Can(role, Permission::kRegionsRead)) << RoleName(role);
    const bool reads_people =
        role != Role::kAuditor && role != Role::kLogistics && role != Role::kInspector;
    EXPECT_EQ(Can(role, Permission::kPeopleRead), reads_people) << RoleName(role);
    EXPECT_EQ(Can(role, Permission::kPeopleReveal), reads_people) << RoleName(role);
  }
  for (Role role : {Role::kAdmin, Role::kEpidemiologist, Role::kGridWorker, Role::kSiteManager}) {
    EXPECT_TRUE(Can(role, Permission::kPeopleWrite)) << RoleName(role);
  }
  for (Role role : {Role::kCommander, Role::kTesting}) {
    EXPECT_FALSE(Can(role, Permission::kPeopleWrite)) << RoleName(role);
  }
}

TEST(PermissionTest, OnlyThoseWhoKeepTheFilesMergeThem) {
  for (Role role : kAllRoles) {
    const bool merges =
        role == Role::kAdmin || role == Role::kEpidemiologist || role == Role::kGridWorker;
    EXPECT_EQ(Can(role, Permission::kPeopleMerge), merges) << RoleName(role);
  }
}

// ---- Jurisdiction ranges ----

bool InRange(const PathRange& r, const std::string& path) { return path >= r.lo && path < r.hi; }

constexpr const char* kCommunity = "/440100/440106/440106001/440106001001/";
constexpr const char* kGrid = "/440100/440106/440106001/440106001001/440106001001001/";
constexpr const char* kSiblingCommunity = "/440100/440106/440106001/440106001002/";

TEST(SubtreeTest, GridIsInsideItsCommunityAndASiblingIsNot) {
  PathRange range = SubtreeRange(kCommunity);
  EXPECT_TRUE(InRange(range, kCommunity));  // the node itself
  EXPECT_TRUE(InRange(range, kGrid));
  EXPECT_FALSE(InRange(range, kSiblingCommunity));
  EXPECT_FALSE(InRange(range, "/440100/440106/440106001/"));  // the parent
  EXPECT_FALSE(InRange(range, "/440100/"));

  EXPECT_TRUE(InSubtree(kGrid, kCommunity));
  EXPECT_TRUE(InSubtree(kCommunity, kCommunity));
  EXPECT_FALSE(InSubtree(kSiblingCommunity, kCommunity));
  EXPECT_FALSE(InSubtree(kCommunity, kGrid));  // a child does not see its parent
}

TEST(SubtreeTest, RangeIsThePathUpToTheNextCharacterAfterSlash) {
  PathRange range = SubtreeRange("/440100/440106/");
  EXPECT_EQ(range.lo, "/440100/440106/");
  EXPECT_EQ(range.hi, "/440100/4401060");
}

// A code that extends another code's digits (4401061 after 440106) is a sibling, not a child:
// the trailing '/' of the jurisdiction path keeps it out of both the range and InSubtree.
TEST(SubtreeTest, LongerSiblingCodeIsNotInsideAShorterOne) {
  PathRange range = SubtreeRange("/440100/440106/");
  for (const char* outside : {"/440100/4401061/", "/440100/4401060/", "/440100/44010/",
                              "/440100/440107/", "/440100/4401061/440106/"}) {
    EXPECT_FALSE(InRange(range, outside)) << outside;
    EXPECT_FALSE(InSubtree(outside, "/440100/440106/")) << outside;
  }
  for (const char* inside : {"/440100/440106/", "/440100/440106/4401061/"}) {
    EXPECT_TRUE(InRange(range, inside)) << inside;
    EXPECT_TRUE(InSubtree(inside, "/440100/440106/")) << inside;
  }
  // And the other way round: '/440100/4401061/' does not contain '/440100/440106/...'.
  EXPECT_FALSE(InRange(SubtreeRange("/440100/4401061/"), "/440100/440106/1/"));
}

// Regression test, fixed (hardening, src/auth/rules.cc SubtreeRange/InSubtree): a jurisdiction path
// without its trailing '/' (e.g. '/440100/44010', from a malformed regions row) is used as a bare
// prefix, so it contains '/440100/440106/' and '/440100/440107/': fail open instead of closed (A7).
//
TEST(SubtreeTest, JurisdictionWithoutTrailingSlashContainsNothing) {
  PathRange range = SubtreeRange("/440100/44010");
  EXPECT_FALSE(InRange(range, "/440100/440106/"));
  EXPECT_FALSE(InRange(range, "/440100/44010/"));
  EXPECT_FALSE(InSubtree("/440100/440106/", "/440100/44010"));
}

TEST(SubtreeTest, EmptyJurisdictionContainsNothing) {
  PathRange range = SubtreeRange("");
  EXPECT_EQ(range.lo, "");
  EXPECT_EQ(range.hi, "");
  for (const char* path : {"", "/", "/440100/", kGrid}) {
    EXPECT_FALSE(InRange(range, path)) << path;
    EXPECT_FALSE(InSubtree(path, "")) << path;
  }
}

// ---- Login throttling ----

constexpr std::int64_t kT0 = 1'651'276'800;  // 2022-04-30 00:00 UTC
constexpr std::int64_t kFifteenMinutes = 900;

TEST(ThrottleTest, FourFailuresDoNotLock) {
  ThrottlePolicy policy;
  ThrottleState state;
  for (std::int64_t i = 0; i < 4; ++i) {
    state = AfterFailure(state, kT0 + i * 10, policy);
  }
  EXPECT_EQ(state.failures, 4);
  EXPECT_FALSE(IsLocked(state, kT0 + 40));
}

TEST(ThrottleTest, FifthFailureLocksForFifteenMinutes) {
  ThrottlePolicy policy;
  ThrottleState state;
  for (std::int64_t i = 0; i < 5; ++i) {
    state = AfterFailure(state, kT0 + i * 10, policy);
  }
  const std::int64_t fifth = kT0 + 40;
  EXPECT_TRUE(IsLocked(state, fifth));
  EXPECT_TRUE(IsLocked(state, fifth + kFifteenMinutes - 1));
  EXPECT_FALSE(IsLocked(state, fifth + kFifteenMinutes));
  EXPECT_EQ(state.locked_until, fifth + kFifteenMinutes);
}

TEST(ThrottleTest, AfterTheLockEndsItTakesFiveNewFailuresToLockAgain) {
  ThrottlePolicy policy;
  ThrottleState state;
  for (int i = 0; i < 5; ++i) {
    state = AfterFailure(state, kT0, policy);
  }
  std::int64_t later = kT0 + kFifteenMinutes;
  ASSERT_FALSE(IsLocked(state, later));
  for (int i = 0; i < 4; ++i) {
    state = AfterFailure(state, later, policy);
  }
  EXPECT_FALSE(IsLocked(state, later));
  state = AfterFailure(state, later, policy);
  EXPECT_TRUE(IsLocked(state, later));
}

TEST(ThrottleTest, FailuresOutsideTheWindowReset) {
  ThrottlePolicy policy;
  ThrottleState state;
  for (int i = 0; i < 4; ++i) {
    state = AfterFailure(state, kT0 + i, policy);
  }
  // The fifth failure comes after the 15-minute window opened by the first: a new window.
  state = AfterFailure(state, kT0 + kFifteenMinutes, policy);
  EXPECT_EQ(state.failures, 1);
  EXPECT_EQ(state.window_start, kT0 + kFifteenMinutes);
  EXPECT_FALSE(IsLocked(state, kT0 + kFifteenMinutes));
}

TEST(ThrottleTest, FollowsACustomPolicy) {
  ThrottlePolicy policy{3, 60, 600};
  ThrottleState state;
  state = AfterFailure(state, kT0, policy);
  state = AfterFailure(state, kT0 + 1, policy);
  EXPECT_FALSE(IsLocked(state, kT0 + 1));
  state = AfterFailure(state, kT0 + 2, policy);
  EXPECT_TRUE(IsLocked(state, kT0 + 2));
  EXPECT_EQ(state.locked_until, kT0 + 2 + 600);
}

// ---- Password policy ----

TEST(PasswordPolicyTest, LengthIsCountedInCharacters) {
  EXPECT_FALSE(PasswordProblem("1234567", "alice").empty());
  EXPECT_TRUE(PasswordProblem("7h2k9m4q", "alice").empty());
  EXPECT_TRUE(PasswordProblem("防疫密码很长很长", "alice").empty());  // 8 characters, 24 bytes
  EXPECT_FALSE(PasswordProblem("防疫密码", "alice").empty());         // 4 characters, 12 bytes
  std::string long_one;
  for (int i = 0; i < 32; ++i) {
    long_one += "q7Z!";
  }
  EXPECT_TRUE(PasswordProblem(long_one, "alice").empty());  // 128: allowed
  EXPECT_FALSE(PasswordProblem(long_one + "x", "alice").empty());
  EXPECT_FALSE(PasswordProblem("", "alice").empty());
}

TEST(PasswordPolicyTest, PasswordMayNotBeTheUsername) {
  EXPECT_FALSE(PasswordProblem("gridworker1", "gridworker1").empty());
  EXPECT_FALSE(PasswordProblem("gridworker1!", "gridworker1").empty());  // the name inside
  EXPECT_FALSE(PasswordProblem("My-Zhangwei-2022", "zhangwei").empty());
  EXPECT_TRUE(PasswordProblem("长江大桥晚霞很美", "zhangwei").empty());
}

// security.md D2: no composition rules; a block list of common and context passwords.
TEST(PasswordPolicyTest, CommonAndGuessablePasswordsAreRefused) {
  struct Case {
    const char* password;
    bool accepted;
  };
  const Case cases[] = {
      {"12345678", false},
      {"87654321", false},
      {"abcdefgh", false},
      {"aaaaaaaa", false},
      {"88888888", false},
      {"Password", false},
      {"P@ssw0rd", false},
      {"1qaz2wsx", false},
      {"woaini1314", false},
      {"Cordon2022!", false},
      {"cordon@@@123", false},
      {"yiqing2022", false},
      {"疫情防控2022", false},
      {"Admin12345", false},
      {"iloveyou!!", false},
      {"correct horse battery", true},
      {"Demo-Passw0rd-2022", true},
      {"N3w-password!", true},
      {"tianhe-grid-7-night", true},
      {"防疫一线的夜班很长", true},
      {"abcdefgj", true},  // not a run
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PasswordProblem(c.password, "alice").empty(), c.accepted) << c.password;
  }
}

}  // namespace
}  // namespace cordon::auth
