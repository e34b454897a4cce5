// security.md H1: every SQLite connection runs with WAL, synchronous=FULL, foreign_keys=ON,
// secure_delete=ON and the busy timeout, read back at open; a connection with any other value is
// refused with the pragma and the value named.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/database.h"
#include "store/sqlite/pragmas.h"
#include "test_database.h"

namespace cordon::store {
namespace {

// The first column of `PRAGMA name` on every connection kind the backend opens.
class SqlitePragmasTest : public testdb::DatabaseTest {
 protected:
  std::string Pragma(const std::string& name, bool writer) {
    std::string value;
    auto read = [&](Session& s) {
      return s.Query("PRAGMA " + name, {}, [&](const Row& row) {
        value = row.Text(0);
        return Status::Ok();
      });
    };
    Status status = writer ? db_->Write(read) : db_->Read(read);
    EXPECT_TRUE(status.ok()) << status.message();
    return value;
  }
};

TEST_F(SqlitePragmasTest, WriterAndReadersReadBackTheDurableSettings) {
  for (bool writer : {true, false}) {
    SCOPED_TRACE(writer ? "writer" : "reader");
    EXPECT_EQ(Pragma("journal_mode", writer), "wal");
    EXPECT_EQ(Pragma("synchronous", writer), "2");  // FULL
    EXPECT_EQ(Pragma("foreign_keys", writer), "1");
    EXPECT_EQ(Pragma("secure_delete", writer), "1");
    EXPECT_EQ(Pragma("busy_timeout", writer), std::to_string(kBusyTimeoutMs));
  }
}

// A raw connection, as the backend makes them, then forced to one weaker value at a time.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
  }
  ~RawConnection() { sqlite3_close_v2(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  sqlite3* Handle() const { return db_; }
  int Exec(const std::string& sql) const {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqlitePragmasCheckTest, AWeakerSettingIsRefusedNamingThePragmaAndValue) {
  testdb::TempDir dir;
  ASSERT_TRUE(dir.Created());
  struct Case {
    const char* weaken;
    const char* named;
  };
  const Case cases[] = {
      {"PRAGMA synchronous=OFF", "PRAGMA synchronous is 0"},
      {"PRAGMA synchronous=NORMAL", "PRAGMA synchronous is 1"},
      {"PRAGMA journal_mode=DELETE", "PRAGMA journal_mode is delete"},
      {"PRAGMA foreign_keys=OFF", "PRAGMA foreign_keys is 0"},
      {"PRAGMA secure_delete=OFF", "PRAGMA secure_delete is 0"},
      {"PRAGMA busy_timeout=0", "PRAGMA busy_timeout is 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.weaken);
    RawConnection raw(dir.File("raw.db"));
    ASSERT_TRUE(ApplyPragmas(raw.Handle(), /*read_only=*/false).ok());
    ASSERT_TRUE(VerifyPragmas(raw.Handle()).ok());
    ASSERT_EQ(raw.Exec(c.weaken), SQLITE_OK);
    Status refused = VerifyPragmas(raw.Handle());
    EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(refused.message().find(c.named), std::string::npos) << refused.message();
    // Restored for the next case: the file keeps WAL mode across connections otherwise.
    ASSERT_EQ(raw.Exec("PRAGMA journal_mode=WAL"), SQLITE_OK);
  }
}

}  // namespace
}  // namespace cordon::store
