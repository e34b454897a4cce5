// Encryption at rest (security.md B3) and key rotation (J2) on a real server: a person's ID
// number and phone are in no file of the installation (database, WAL, backup; on PostgreSQL a
// dump), yet search by the whole number, the reveal and matching work; a rotation by
// `cordon keys rotate` keeps them working; a database without its key is refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr const char* kPhone = "13566778899";
constexpr const char* kName = "封存测试员";

class FieldEncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
    int status = 0;
    json made = Post("/api/v1/people",
                     {{"id_number", number_},
                      {"name", kName},
                      {"phone", kPhone},
                      {"address", "封存路1号"},
                      {"region", grid_}},
                     &status);
    ASSERT_EQ(status, 201) << made.dump();
    id_ = made["id"];
  }

  json Post(const std::string& path, const json& body, int* status) {
    auto res = server_.Client().Post(path, Bearer(admin_), body.dump(), "application/json");
    *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  // Searches by the whole ID number and by the whole phone find the one file.
  void ExpectFoundAndRevealed() {
    int status = 0;
    for (const std::string& q : {number_, std::string(kPhone)}) {
      json found = Post("/api/v1/people/search", {{"q", q}}, &status);
      ASSERT_EQ(status, 200) << found.dump();
      ASSERT_EQ(found["items"].size(), 1u) << q << " " << found.dump();
      EXPECT_EQ(found["items"][0]["id"], id_);
      EXPECT_EQ(found["items"][0]["id_number"],
                number_.substr(0, 6) + "********" + number_.substr(14));
    }
    EXPECT_EQ(Revealed(server_, admin_, id_, "id_number"), number_);
    EXPECT_EQ(Revealed(server_, admin_, id_, "phone"), kPhone);
    // The same number again is refused as a second file: the blind index is the uniqueness key.
    json again = Post("/api/v1/people",
                      {{"id_number", number_}, {"name", "重复"}, {"region", grid_}}, &status);
    EXPECT_EQ(status, 409) << again.dump();
  }

  // How often each needle is in the installation's files: on SQLite the database, its WAL and a
  // fresh backup; on PostgreSQL a plain-text dump of the database.
  int InFiles(const std::string& needle) {
    if (server_.backend() == "sqlite") {
      const std::string db = server_.data_dir() + "/cordon.db";
      return Occurrences(db, needle) + Occurrences(db + "-wal", needle) +
             Occurrences(backup_, needle);
    }
    return Occurrences(backup_, needle);
  }

  void TakeBackup() {
    backup_ = server_.data_dir() + "/../field-encryption-backup-" + std::to_string(++backups_) +
              (server_.backend() == "sqlite" ? ".db" : ".sql");
    std::string out;
    int status = 0;
    if (server_.backend() == "sqlite") {
      status = server_.Run("backup --to " + ShellQuote(backup_), "", &out);
    } else {
      out = Shell("pg_dump --data-only -f " + ShellQuote(backup_) + " " +
                      ShellQuote(server_.db_url()) + " 2>&1",
                  &status);
    }
    ASSERT_EQ(status, 0) << out;
  }

  std::string One(const std::string& sql) const {
    std::string out = server_.Sql(sql);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
      out.pop_back();
    }
    return out;
  }

  void TearDown() override {
    std::error_code ignored;
    for (int i = 1; i <= backups_; ++i) {
      for (const char* ext : {".db", ".sql"}) {
        std::filesystem::remove(
            server_.data_dir() + "/../field-encryption-backup-" + std::to_string(i) + ext, ignored);
      }
    }
  }

  const std::string number_ = WithCheckDigit("11010519820715777");
  CordonServer server_;
  std::string admin_;
  std::string grid_;
  std::int64_t id_ = 0;
  std::string backup_;
  int backups_ = 0;
};

TEST_F(FieldEncryptionTest, NoFileHoldsTheNumberOrPhoneYetSearchRevealAndRotationWork) {
  ExpectFoundAndRevealed();
  TakeBackup();
  EXPECT_EQ(InFiles(number_), 0);
  EXPECT_EQ(InFiles(kPhone), 0);
  EXPECT_GT(InFiles(kName), 0) << "the check has teeth: the unsealed name is found";
  // The key is beside the data, readable by the service alone, and not in the database.
  const std::string keys = server_.data_dir() + "/field-keys";
  ASSERT_TRUE(std::filesystem::exists(keys));
  EXPECT_EQ(std::filesystem::status(keys).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(One("SELECT active_key FROM field_key_state"), "1");

  // Rotation: refused while the server runs on an SQLite directory, done once it is stopped.
  std::string out;
  if (server_.backend() == "sqlite") {
    EXPECT_NE(server_.Run("keys rotate", "", &out), 0) << out;
    EXPECT_NE(out.find("stop it first"), std::string::npos) << out;
  }
  ASSERT_EQ(server_.Stop(), 0);
  ASSERT_EQ(server_.Run("keys rotate", "", &out), 0) << out;
  EXPECT_NE(out.find("field key 1 -> 2"), std::string::npos) << out;
  EXPECT_TRUE(std::filesystem::exists(keys + ".retired-1"));
  EXPECT_EQ(One("SELECT active_key FROM field_key_state"), "2");
  EXPECT_EQ(One("SELECT COUNT(*) FROM audit WHERE action = 'field_keys.rotate'"), "1");
  server_.CrashAndRestart();  // stopped already: this starts it again
  admin_ = server_.Login("admin");
  ExpectFoundAndRevealed();
  TakeBackup();
  EXPECT_EQ(InFiles(number_), 0);
  EXPECT_EQ(InFiles(kPhone), 0);

  // Without its key file the installation does not start, and no new key is made.
  ASSERT_EQ(server_.Stop(), 0);
  std::filesystem::rename(keys, keys + ".away");
  EXPECT_NE(server_.Run("migrate", "", &out), 0);
  EXPECT_NE(out.find("field key 2"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(keys));
  std::filesystem::rename(keys + ".away", keys);
}

}  // namespace
}  // namespace cordon::testing
