// security.md H6: a file we persist is written to a part file, synced, renamed and its directory
// synced; a failed sync fails the operation, leaves no part file, keeps the old file whole and
// is not retried behind the caller's back.
#include "base/secret_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/field_keys.h"
#include "store/test_database.h"
#include "support/fail_fsync.h"

namespace cordon::base {
namespace {

TEST(SecretFileTest, AFailedSyncFailsTheWriteAndLeavesTheOldFileWhole) {
  testdb::TempDir dir;
  ASSERT_TRUE(dir.Created());
  const std::string path = dir.File("secret");
  ASSERT_TRUE(WriteSecretFile(path, "old\n").ok());
  {
    testing::FailingFsync fault("secret.part");
    Status written = WriteSecretFile(path, "new\n");
    EXPECT_EQ(written.code(), StatusCode::kUnavailable);
    EXPECT_NE(written.message().find("secret.part"), std::string::npos) << written.message();
    EXPECT_NE(written.message().find("Input/output error"), std::string::npos) << written.message();
    EXPECT_EQ(fault.failed(), 1) << "tried once, not again";
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));
  EXPECT_EQ(ReadSecretFile(path).value(), "old\n");
  ASSERT_TRUE(WriteSecretFile(path, "new\n").ok());
  EXPECT_EQ(ReadSecretFile(path).value(), "new\n");
}

TEST(SecretFileTest, ANewInstallationWhoseKeyCannotBeSyncedDoesNotStart) {
  testdb::TempDir dir;
  ASSERT_TRUE(dir.Created());
  auto db = store::Open("sqlite:" + dir.File("cordon.db"), store::OpenOptions{.readers = 1});
  ASSERT_TRUE(db.has_value());
  {
    testing::FailingFsync fault("field-keys");
    Status loaded = store::LoadFieldCipher(**db, dir.File("field-keys"));
    EXPECT_EQ(loaded.code(), StatusCode::kUnavailable) << loaded.message();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("field-keys")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("field-keys.part")));
  EXPECT_EQ((*db)->field_cipher(), nullptr) << "nothing may be sealed with a key not on disk";
  ASSERT_TRUE(store::LoadFieldCipher(**db, dir.File("field-keys")).ok());
  EXPECT_TRUE(store::Migrate(**db).ok());
}

}  // namespace
}  // namespace cordon::base
