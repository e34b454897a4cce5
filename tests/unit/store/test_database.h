// Test support shared by the store, auth and people unit tests: a temporary directory removed at
// the end, a migrated SQLite database inside it, and a small region tree.
//
// Tree (codes are made up but shaped like the real ones):
//   440100 city          /440100/
//   440106 district      /440100/440106/
//   440106001 street     /440100/440106/440106001/
//   440106001001 community  .../440106001001/
//   kG1, kG2: two sibling grids under the community.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "base/masking.h"
#include "store/database.h"

namespace cordon::testdb {

// One field key for the whole test process, held in memory only (store/field_cipher.h): a test
// that opens a database file again reads what it sealed before.
inline std::shared_ptr<const store::FieldCipher> Fields() {
  static const std::shared_ptr<const store::FieldCipher> cipher = store::FieldCipher::Ephemeral();
  return cipher;
}

// The identifier columns of a person file as tests write them by hand: "id_number_sealed, ..."
// with six `?`, and the values sealed with Fields() (store/field_keys.h).
inline constexpr const char* kIdentifierColumns =
    "id_number_sealed, id_number_index, id_number_masked, phone_sealed, phone_index, phone_masked";
inline constexpr const char* kIdentifierValues = "?, ?, ?, ?, ?, ?";
inline store::Params Identifiers(std::string_view id_number, std::string_view phone = "") {
  const store::FieldCipher& c = *Fields();
  auto masked = [](std::string_view v, bool id) {
    return v.empty() ? std::string() : id ? base::MaskIdNumber(v) : base::MaskPhone(v);
  };
  return {c.Seal(store::SealedField::kIdNumber, id_number),
          c.Index(store::SealedField::kIdNumber, id_number),
          masked(id_number, true),
          c.Seal(store::SealedField::kPhone, phone),
          c.Index(store::SealedField::kPhone, phone),
          masked(phone, false)};
}
// `before`, the six identifier values, then `after`: the parameters of such an INSERT.
inline store::Params WithIdentifiers(store::Params before, std::string_view id_number,
                                     std::string_view phone, const store::Params& after) {
  store::Params ids = Identifiers(id_number, phone);
  before.insert(before.end(), ids.begin(), ids.end());
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

// How many times `needle` occurs in the bytes of the file at `path` (0 for a missing file): the
// check that a value is, or is not, anywhere in a database, its WAL or a backup.
inline int Occurrences(const std::string& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int n = 0;
  for (auto at = bytes.find(needle); at != std::string::npos; at = bytes.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

inline constexpr const char* kCity = "440100";
inline constexpr const char* kDistrict = "440106";
inline constexpr const char* kStreet = "440106001";
inline constexpr const char* kCommunity = "440106001001";
inline constexpr const char* kG1 = "440106001001001";
inline constexpr const char* kG2 = "440106001001002";
inline constexpr const char* kCityPath = "/440100/";
inline constexpr const char* kCommunityPath = "/440100/440106/440106001/440106001001/";
inline constexpr const char* kG1Path = "/440100/440106/440106001/440106001001/440106001001001/";
inline constexpr const char* kG2Path = "/440100/440106/440106001/440106001001/440106001001002/";

// 2022-04-30 00:00 UTC (08:00 in Beijing): where every test's FakeClock starts.
inline std::chrono::system_clock::time_point StartTime() {
  return std::chrono::sys_days(std::chrono::year_month_day{
      std::chrono::year{2022}, std::chrono::April, std::chrono::day{30}});
}

// A fresh directory under the system temp dir, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cordon_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) {
      std::filesystem::remove_all(path_, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool Created() const { return !path_.empty(); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Inserts the tree above in one transaction.
inline Status InsertRegionTree(store::Database& db) {
  struct Node {
    const char* code;
    const char* parent;
    int level;
    const char* name;
    const char* path;
  };
  const Node nodes[] = {
      {kCity, nullptr, 1, "广州市", kCityPath},
      {kDistrict, kCity, 2, "天河区", "/440100/440106/"},
      {kStreet, kDistrict, 3, "石牌街道", "/440100/440106/440106001/"},
      {kCommunity, kStreet, 4, "华师社区", kCommunityPath},
      {kG1, kCommunity, 5, "第一网格", kG1Path},
      {kG2, kCommunity, 5, "第二网格", kG2Path},
  };
  return db.Write([&](store::Session& s) {
    for (const Node& n : nodes) {
      CORDON_RETURN_IF_ERROR(
          s.Exec(
               "INSERT INTO regions (code, parent_code, level, name, path) VALUES (?, ?, ?, ?, ?)",
               {std::string(n.code),
                n.parent == nullptr ? store::Value{} : store::Value{std::string(n.parent)},
                static_cast<std::int64_t>(n.level), std::string(n.name), std::string(n.path)})
              .status());
    }
    return Status::Ok();
  });
}

// A fixture with a migrated SQLite database in a temporary directory. Subclasses that override
// SetUp call DatabaseTest::SetUp() first and return if HasFatalFailure().
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.Created()) << "mkdtemp failed";
    path_ = dir_.File("cordon.db");
    auto db = store::Open("sqlite:" + path_, store::OpenOptions{.readers = 4});
    ASSERT_TRUE(db.has_value()) << db.error().message();
    (*db)->SetFieldCipher(testdb::Fields());
    db_ = std::move(*db);
    Status migrated = store::Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.message();
  }

  // The first column of the first row of `sql`, read in its own transaction; -1 on error.
  std::int64_t Count(const std::string& sql, const store::Params& params = {}) {
    std::int64_t n = -1;
    Status status = db_->Read([&](store::Session& s) {
      CORDON_ASSIGN_OR_RETURN(n, s.QueryInt(sql, params));
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return n;
  }

  Status Exec(const std::string& sql, const store::Params& params = {}) {
    return db_->Write([&](store::Session& s) { return s.Exec(sql, params).status(); });
  }

  TempDir dir_;  // declared first: destroyed after the database is closed
  std::string path_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace cordon::testdb
