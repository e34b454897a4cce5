// security.md D6: no default account. A fresh installation has no login until its first
// administrator is made with the one-time token; the token expires after 60 minutes, works once,
// and no token is made once any user exists.
#include <gtest/gtest.h>

#include "../store/test_database.h"
#include "auth/service.h"

namespace cordon::auth {
namespace {

constexpr const char* kPassword = "Kq7-Hilltop-Ferry-29";

class BootstrapTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    audit_ = std::make_unique<AuditLog>(*db_, clock_);
    auth_ = std::make_unique<AuthService>(*db_, *audit_, clock_, SessionPolicy{});
    who_.ip = "10.0.0.9";
    who_.request_id = "req";
  }

  User Admin(const std::string& name) {
    User u;
    u.username = name;
    u.display_name = "首任管理员";
    return u;
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuthService> auth_;
  Principal who_;
};

TEST_F(BootstrapTest, TheFirstAdministratorNeedsTheTokenWhichWorksOnceAndNotAfterAnHour) {
  EXPECT_TRUE(*auth_->BootstrapNeeded());
  // No account at all: nobody logs in.
  EXPECT_FALSE(auth_->Login("admin", kPassword, "10.0.0.9", "req").has_value());

  auto stale = auth_->IssueBootstrapToken();
  ASSERT_TRUE(stale.has_value() && stale->has_value());
  clock_.Advance(std::chrono::minutes(61));
  auto late = auth_->Bootstrap(who_, **stale, Admin("boss"), kPassword);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code(), StatusCode::kPermissionDenied);

  // A restart makes a new token; the old one stops working even inside its hour.
  auto first = auth_->IssueBootstrapToken();
  auto token = auth_->IssueBootstrapToken();
  ASSERT_TRUE(token.has_value() && token->has_value());
  EXPECT_NE(**first, **token);
  EXPECT_EQ(auth_->Bootstrap(who_, **first, Admin("boss"), kPassword).error().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(auth_->Bootstrap(who_, "0123", Admin("boss"), kPassword).error().code(),
            StatusCode::kPermissionDenied);
  // The rules of every account hold: a common password is refused naming the field.
  auto weak = auth_->Bootstrap(who_, **token, Admin("boss"), "password1");
  ASSERT_FALSE(weak.has_value());
  EXPECT_EQ(weak.error().details().at(0).field, "password");

  auto admin = auth_->Bootstrap(who_, **token, Admin("boss"), kPassword);
  ASSERT_TRUE(admin.has_value()) << admin.error().message();
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_EQ(admin->region_code, testdb::kCity);  // the whole installation
  EXPECT_FALSE(*auth_->BootstrapNeeded());
  // Used: neither the token again nor a new one makes a second administrator.
  EXPECT_EQ(auth_->Bootstrap(who_, **token, Admin("boss2"), kPassword).error().code(),
            StatusCode::kFailedPrecondition);
  auto none = auth_->IssueBootstrapToken();
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  // The administrator logs in (the second factor is owed next, as for every administrator).
  auto login = auth_->Login("boss", kPassword, "10.0.0.9", "req");
  ASSERT_TRUE(login.has_value()) << login.error().message();
  EXPECT_EQ(login->mfa, MfaStep::kEnroll);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE action = 'bootstrap.admin' AND outcome = 'ok' "
                  "AND ip = '10.0.0.9'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bootstrap_tokens WHERE token_hash = ?", {**token}), 0);
}

}  // namespace
}  // namespace cordon::auth
