// Encryption at rest of identifiers (security.md B3) and key rotation (J2): the cipher, the key
// file, the migration that seals a database's bare identifiers, and a rotation.
#include "store/field_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/secret_file.h"
#include "store/field_cipher.h"
#include "test_database.h"

namespace cordon::store {
namespace {

constexpr const char* kId = "11010519491231002X";
constexpr const char* kPhone = "13812345678";

TEST(FieldCipherTest, ASealedValueOpensOnlyInItsOwnColumnAndUnaltered) {
  auto cipher = FieldCipher::Ephemeral();
  const std::string a = cipher->Seal(SealedField::kIdNumber, kId);
  const std::string b = cipher->Seal(SealedField::kIdNumber, kId);
  EXPECT_EQ(a.find(kId), std::string::npos);
  EXPECT_NE(a, b) << "a fresh nonce each time: equal values must not look equal";
  EXPECT_EQ(FieldCipher::KeyOf(a), 1u);
  auto opened = cipher->Open(SealedField::kIdNumber, a);
  ASSERT_TRUE(opened.has_value()) << opened.error().message();
  EXPECT_EQ(*opened, kId);
  // Copied into the phone column, it does not open.
  EXPECT_FALSE(cipher->Open(SealedField::kPhone, a).has_value());
  // Altered by one character, it does not open.
  std::string altered = a;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(cipher->Open(SealedField::kIdNumber, altered).has_value());
  // Under another installation's key, it does not open.
  EXPECT_FALSE(FieldCipher::Ephemeral()->Open(SealedField::kIdNumber, a).has_value());
  // The empty value (no phone) stays empty both ways.
  EXPECT_EQ(cipher->Seal(SealedField::kPhone, ""), "");
  EXPECT_EQ(cipher->Open(SealedField::kPhone, "").value(), "");
}

TEST(FieldCipherTest, TheBlindIndexIsKeyedAndPerColumn) {
  auto cipher = FieldCipher::Ephemeral();
  const std::string index = cipher->Index(SealedField::kIdNumber, kId);
  EXPECT_EQ(index.size(), 32u);
  EXPECT_EQ(index, cipher->Index(SealedField::kIdNumber, kId));
  EXPECT_NE(index, cipher->Index(SealedField::kIdNumber, "110105194912310037"));
  EXPECT_NE(index, cipher->Index(SealedField::kPhone, kId));
  EXPECT_NE(index, FieldCipher::Ephemeral()->Index(SealedField::kIdNumber, kId))
      << "without the key the index cannot be computed from a guessed number";
}

class FieldKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.Created());
    keys_ = dir_.File("field-keys");
    path_ = dir_.File("cordon.db");
    auto db = Open("sqlite:" + path_, OpenOptions{.readers = 2});
    ASSERT_TRUE(db.has_value()) << db.error().message();
    db_ = std::move(*db);
  }

  // A database at the schema of before field encryption, with a person, a TOTP secret, a tip-off
  // and a merge record holding identifiers bare, then migrated with the cipher of `keys_`.
  void BareThenSealed() {
    db_->SetFieldCipher(testdb::Fields());  // migrations up to 0023 seal nothing
    ASSERT_TRUE(MigrateTo(*db_, 23).ok());
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    Status bare = db_->Write([&](Session& s) {
      CORDON_RETURN_IF_ERROR(
          s.Exec("INSERT INTO people (id, id_type, id_number, name, sex, birth_date, phone, "
                 "region_code, region_path, created_at, updated_at) VALUES (1, 'resident_id', "
                 "?, '张三', 'M', '1949-12-31', ?, ?, ?, 0, 0)",
                 {std::string(kId), std::string(kPhone), std::string(testdb::kG1),
                  std::string(testdb::kG1Path)})
              .status());
      CORDON_RETURN_IF_ERROR(
          s.Exec("INSERT INTO users (id, username, display_name, password_hash, role, "
                 "region_code, created_at, updated_at) VALUES (1, 'a', 'A', 'x', 'admin', ?, 0, 0)",
                 {std::string(testdb::kCity)})
              .status());
      CORDON_RETURN_IF_ERROR(s.Exec("INSERT INTO user_totp (user_id, secret, created_at) "
                                    "VALUES (1, 'JBSWY3DPEHPK3PXPJBSWY3DP', 0)",
                                    {})
                                 .status());
      CORDON_RETURN_IF_ERROR(
          s.Exec("INSERT INTO tip_offs (address, detail, contact_phone, region_code, region_path, "
                 "status, created_at) VALUES ('1栋', '外出', '13987654321', ?, ?, 'open', 0)",
                 {std::string(testdb::kG1), std::string(testdb::kG1Path)})
              .status());
      return s
          .Exec(
              "INSERT INTO person_merges (kept_id, merged_id, kept_before, merged_before, "
              "moved, kept_version, actor, at, reason) VALUES (1, 1, ?, ?, '{}', 1, 'a', 0, 'x')",
              {std::string(R"({"id_number":")") + kId + R"(","phone":")" + kPhone + R"("})",
               std::string(R"({"id_number":"E1","phone":""})")})
          .status();
    });
    ASSERT_TRUE(bare.ok()) << bare.message();
    ASSERT_GT(testdb::Occurrences(path_, kId) + testdb::Occurrences(path_ + "-wal", kId), 0);
    Status loaded = LoadFieldCipher(*db_, keys_);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    Status migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.message();
  }

  std::string Text(const std::string& sql) {
    std::string out;
    EXPECT_TRUE(db_->Read([&](Session& s) {
                     return s.Query(sql, {}, [&](const Row& row) {
                       out = row.Text(0);
                       return Status::Ok();
                     });
                   })
                    .ok());
    return out;
  }

  testdb::TempDir dir_;
  std::string keys_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(FieldKeysTest, AnOlderDatabaseIsSealedByItsMigrationAndNoBareCopyIsLeft) {
  BareThenSealed();
  if (HasFatalFailure()) {
    return;
  }
  struct stat st {};
  ASSERT_EQ(::stat(keys_.c_str(), &st), 0) << "the first start makes the key file";
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const FieldCipher& c = *db_->field_cipher();
  EXPECT_EQ(c.Open(SealedField::kIdNumber, Text("SELECT id_number_sealed FROM people")).value(),
            kId);
  EXPECT_EQ(c.Open(SealedField::kPhone, Text("SELECT phone_sealed FROM people")).value(), kPhone);
  EXPECT_EQ(Text("SELECT id_number_index FROM people"), c.Index(SealedField::kIdNumber, kId));
  EXPECT_EQ(Text("SELECT id_number_masked FROM people"), "110105********002X");
  EXPECT_EQ(Text("SELECT phone_masked FROM people"), "138****5678");
  EXPECT_EQ(c.Open(SealedField::kTotpSecret, Text("SELECT secret_sealed FROM user_totp")).value(),
            "JBSWY3DPEHPK3PXPJBSWY3DP");
  EXPECT_EQ(Text("SELECT contact_phone_masked FROM tip_offs"), "139****4321");
  EXPECT_EQ(Text("SELECT active_key FROM field_key_state"), "1");
  // The merge record's copy is sealed too.
  EXPECT_EQ(Text("SELECT kept_before FROM person_merges").find(kId), std::string::npos);
  // The old columns are gone, and the files hold no bare number or phone any more.
  EXPECT_FALSE(db_->Read([](Session& s) {
                    return s.Query("SELECT id_number FROM people", {},
                                   [](const Row&) { return Status::Ok(); });
                  })
                   .ok());
  for (const char* needle : {kId, kPhone, "13987654321", "JBSWY3DPEHPK3PXP"}) {
    EXPECT_EQ(testdb::Occurrences(path_, needle), 0) << needle;
    EXPECT_EQ(testdb::Occurrences(path_ + "-wal", needle), 0) << needle;
  }
  // A backup holds what the database holds: sealed values only.
  ASSERT_TRUE(db_->Backup(dir_.File("backup.db")).ok());
  EXPECT_EQ(testdb::Occurrences(dir_.File("backup.db"), kId), 0);
  EXPECT_GT(testdb::Occurrences(dir_.File("backup.db"), "张三"), 0) << "the check has teeth";
}

TEST_F(FieldKeysTest, ADatabaseWhoseKeyIsMissingIsRefusedNotGivenANewKey) {
  BareThenSealed();
  if (HasFatalFailure()) {
    return;
  }
  std::filesystem::rename(keys_, keys_ + ".away");
  Status missing = LoadFieldCipher(*db_, keys_);
  EXPECT_EQ(missing.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("field key 1"), std::string::npos) << missing.message();
  EXPECT_FALSE(std::filesystem::exists(keys_)) << "no new key may be made over sealed data";
  std::filesystem::rename(keys_ + ".away", keys_);
  // A key file others may read is not used.
  ::chmod(keys_.c_str(), 0644);
  EXPECT_EQ(LoadFieldCipher(*db_, keys_).code(), StatusCode::kFailedPrecondition);
  ::chmod(keys_.c_str(), 0600);
  // Another installation's key file, with a key of the same number, is refused by its check
  // value, and would open nothing.
  ASSERT_TRUE(WriteFieldKeys(dir_.File("other-keys"), {FieldKey{1, {}}}).ok());
  Status other = LoadFieldCipher(*db_, dir_.File("other-keys"));
  EXPECT_EQ(other.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("another key"), std::string::npos) << other.message();
  EXPECT_FALSE(db_->field_cipher()
                   ->Open(SealedField::kIdNumber, Text("SELECT id_number_sealed FROM people"))
                   .has_value());
}

TEST_F(FieldKeysTest, ARotationSealsEverythingAgainAndKeepsTheOldKeyApart) {
  BareThenSealed();
  if (HasFatalFailure()) {
    return;
  }
  const std::string index_before = Text("SELECT id_number_index FROM people");
  auto rotated = RotateFieldKey(*db_, keys_, 100);
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message();
  EXPECT_EQ(rotated->from, 1u);
  EXPECT_EQ(rotated->to, 2u);
  EXPECT_EQ(rotated->values, 4) << "ID number, phone, TOTP secret, tip-off phone";
  EXPECT_EQ(Text("SELECT active_key FROM field_key_state"), "2");
  // Only the new key is in the file; the old one is kept apart, for older backups.
  auto keys = ReadFieldKeys(keys_);
  ASSERT_TRUE(keys.has_value());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->front().id, 2u);
  auto retired = ReadFieldKeys(rotated->retired_file);
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(retired->front().id, 1u);
  // What the database holds opens with the file as it is now, indexes included.
  ASSERT_TRUE(LoadFieldCipher(*db_, keys_).ok());
  const FieldCipher& c = *db_->field_cipher();
  const std::string sealed = Text("SELECT id_number_sealed FROM people");
  EXPECT_EQ(FieldCipher::KeyOf(sealed), 2u);
  EXPECT_EQ(c.Open(SealedField::kIdNumber, sealed).value(), kId);
  EXPECT_NE(Text("SELECT id_number_index FROM people"), index_before);
  EXPECT_EQ(Text("SELECT id_number_index FROM people"), c.Index(SealedField::kIdNumber, kId));
  EXPECT_EQ(c.Open(SealedField::kTotpSecret, Text("SELECT secret_sealed FROM user_totp")).value(),
            "JBSWY3DPEHPK3PXPJBSWY3DP");
  auto snapshot = Text("SELECT kept_before FROM person_merges");
  EXPECT_NE(snapshot.find("\"2$"), std::string::npos) << snapshot;
}

TEST_F(FieldKeysTest, ARotationInterruptedBeforeTheDatabaseChangedOverTakesUpItsNewKey) {
  BareThenSealed();
  if (HasFatalFailure()) {
    return;
  }
  // The new key reached the file, then the process died: the database still says key 1.
  auto keys = ReadFieldKeys(keys_);
  ASSERT_TRUE(keys.has_value());
  FieldKey second{2, {}};
  second.secret[0] = 7;
  keys->push_back(second);
  ASSERT_TRUE(WriteFieldKeys(keys_, *keys).ok());
  ASSERT_TRUE(LoadFieldCipher(*db_, keys_).ok());
  EXPECT_EQ(db_->field_cipher()->active_key(), 1u) << "the database, not the file, says which";
  auto rotated = RotateFieldKey(*db_, keys_, 100);
  ASSERT_TRUE(rotated.has_value()) << rotated.error().message();
  EXPECT_EQ(rotated->to, 2u) << "the key already written is used, not a third";
  ASSERT_TRUE(LoadFieldCipher(*db_, keys_).ok());
  EXPECT_EQ(db_->field_cipher()
                ->Open(SealedField::kPhone, Text("SELECT phone_sealed FROM people"))
                .value(),
            kPhone);
}

}  // namespace
}  // namespace cordon::store
