// security.md H8: a write that finds the database locked past its busy timeout is kUnavailable
// (a 503, never a 500) and is counted, so that /metrics shows whether contention ever reached a
// request.
#include "store/busy_counter.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_database.h"

namespace cordon::testdb {
namespace {

class BusyCounterTest : public DatabaseTest {};

TEST_F(BusyCounterTest, AWriteLockedOutPastTheTimeoutIsUnavailableAndCounted) {
  // Another process's writer, as a `cordon` command beside the server would be, holds the lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::int64_t before = store::BusyCount();
  Status status = Exec("INSERT INTO regions (code, level, name, path) VALUES ('1', 1, 'x', '/1/')");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.message();
  EXPECT_EQ(store::BusyCount(), before + 1);
  // Once the lock is gone the same database writes again, and nothing more is counted.
  EXPECT_TRUE(
      Exec("INSERT INTO regions (code, level, name, path) VALUES ('1', 1, 'x', '/1/')").ok());
  EXPECT_EQ(store::BusyCount(), before + 1);
}

}  // namespace
}  // namespace cordon::testdb
