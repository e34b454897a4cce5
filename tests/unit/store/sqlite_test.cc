// The SQLite backend and migrations (security.md decision 8: WAL + synchronous=FULL).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "test_database.h"

namespace cordon::store {
namespace {

using testdb::DatabaseTest;

class SqliteTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)").ok());
  }

  std::string PragmaText(const std::string& pragma) {
    std::string value;
    Status status = db_->Write([&](Session& s) {
      return s.Query("PRAGMA " + pragma, {}, [&](const Row& row) {
        value = row.Text(0);
        return Status::Ok();
      });
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return value;
  }
};

// Read-audit batches commit without waiting for an fsync; the writer must be back at FULL for
// the data change that follows, and the rows must be visible at once.
TEST_F(SqliteTest, FlushedSoonCommitsAndRestoresFullSync) {
  Status status = db_->WriteFlushedSoon(
      [](Session& s) { return s.Exec("INSERT INTO t (name) VALUES ('soon')", {}).status(); });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(PragmaText("synchronous"), "2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t WHERE name = 'soon'"), 1);
  // A failing batch rolls back and still restores FULL.
  Status failed = db_->WriteFlushedSoon([](Session& s) {
    CORDON_RETURN_IF_ERROR(s.Exec("INSERT INTO t (name) VALUES ('gone')", {}).status());
    return Internal("abort the batch");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(PragmaText("synchronous"), "2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t WHERE name = 'gone'"), 0);
}

TEST_F(SqliteTest, MigrateTwiceIsANoOp) {
  const std::int64_t applied = Count("SELECT COUNT(*) FROM schema_migrations");
  EXPECT_GE(applied, 1);
  EXPECT_EQ(Count("SELECT MAX(number) FROM schema_migrations"), LatestMigration());

  Status again = Migrate(*db_);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), applied);
  EXPECT_EQ(Count("SELECT MAX(number) FROM schema_migrations"), LatestMigration());
}

TEST_F(SqliteTest, RefusesADatabaseNewerThanTheProgram) {
  ASSERT_TRUE(Exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, 0)",
                   {static_cast<std::int64_t>(LatestMigration() + 1), std::string("9999_future")})
                  .ok());
  Status status = Migrate(*db_);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find(std::to_string(LatestMigration() + 1)), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("newer"), std::string::npos) << status.message();
}

TEST_F(SqliteTest, FailedWriteRollsBack) {
  Status status = db_->Write([](Session& s) {
    CORDON_RETURN_IF_ERROR(s.Exec("INSERT INTO t (name) VALUES (?)", {std::string("a")}).status());
    CORDON_RETURN_IF_ERROR(s.Exec("INSERT INTO t (name) VALUES (?)", {std::string("b")}).status());
    return Internal("boom");
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "boom");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 0);

  // The writer is usable afterwards: the transaction was closed.
  ASSERT_TRUE(Exec("INSERT INTO t (name) VALUES ('c')").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(SqliteTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(Exec("INSERT INTO t (name) VALUES ('a')").ok());
  Status status = Exec("INSERT INTO t (name) VALUES ('a')");
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 1);
}

// Regression test, fixed (src/store/sqlite/sqlite_database.cc, Connection::Error): every
// SQLITE_CONSTRAINT result is mapped to kAlreadyExists, so a FOREIGN KEY, CHECK or NOT NULL failure
// (or a RAISE(ABORT) trigger) answers 409 "already exists". Only UNIQUE / PRIMARY KEY mean that.
TEST_F(SqliteTest, OtherConstraintViolationsAreNotAlreadyExists) {
  ASSERT_TRUE(Exec("CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL "
                   "REFERENCES t(id), n INTEGER CHECK (n > 0))")
                  .ok());
  Status foreign_key = Exec("INSERT INTO child (t_id, n) VALUES (42, 1)");
  EXPECT_FALSE(foreign_key.ok());
  EXPECT_NE(foreign_key.code(), StatusCode::kAlreadyExists) << foreign_key.message();
  ASSERT_TRUE(Exec("INSERT INTO t (id, name) VALUES (1, 'a')").ok());
  Status check = Exec("INSERT INTO child (t_id, n) VALUES (1, -1)");
  EXPECT_FALSE(check.ok());
  EXPECT_NE(check.code(), StatusCode::kAlreadyExists) << check.message();
}

TEST_F(SqliteTest, WriterUsesWalFullSyncAndForeignKeys) {
  EXPECT_EQ(PragmaText("journal_mode"), "wal");
  EXPECT_EQ(PragmaText("foreign_keys"), "1");
  EXPECT_EQ(PragmaText("synchronous"), "2");  // FULL

  // foreign_keys=1 is in force, not just reported.
  ASSERT_TRUE(
      Exec("CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id))").ok());
  EXPECT_FALSE(Exec("INSERT INTO child (t_id) VALUES (42)").ok());
}

TEST_F(SqliteTest, ReadersSeeCommittedDataOnly) {
  std::int64_t seen_during_write = -1;
  Status status = db_->Write([&](Session& s) {
    CORDON_RETURN_IF_ERROR(s.Exec("INSERT INTO t (name) VALUES ('a')", {}).status());
    // A reader connection, while the write is open: the row is not committed yet.
    return db_->Read([&](Session& r) {
      CORDON_ASSIGN_OR_RETURN(seen_during_write, r.QueryInt("SELECT COUNT(*) FROM t", {}));
      return Status::Ok();
    });
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(seen_during_write, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(SqliteTest, ReadersCannotWrite) {
  Status status = db_->Read(
      [](Session& s) { return s.Exec("INSERT INTO t (name) VALUES ('a')", {}).status(); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM t"), 0);
}

TEST_F(SqliteTest, ReadsRunConcurrently) {
  ASSERT_TRUE(Exec("INSERT INTO t (name) VALUES ('a')").ok());
  // Each reader waits inside its transaction until all four are inside theirs: this can only
  // finish if the four reads overlap. The timeout only keeps a regression from hanging the suite.
  constexpr int kThreads = 4;
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  std::vector<Status> results(kThreads);
  std::vector<std::int64_t> counts(kThreads, -1);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<std::size_t>(i)] = db_->Read([&](Session& s) {
        CORDON_ASSIGN_OR_RETURN(counts[static_cast<std::size_t>(i)],
                                s.QueryInt("SELECT COUNT(*) FROM t", {}));
        std::unique_lock lock(mu);
        ++inside;
        cv.notify_all();
        if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return inside == kThreads; })) {
          return Internal("reads did not overlap");
        }
        return Status::Ok();
      });
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(results[static_cast<std::size_t>(i)].ok())
        << results[static_cast<std::size_t>(i)].message();
    EXPECT_EQ(counts[static_cast<std::size_t>(i)], 1);
  }
}

TEST(SqliteOpenTest, AnUnreachableServerIsUnavailableAndAnEmptyPathInvalid) {
  auto pg = Open("postgresql://cordon@127.0.0.1:1/cordon?connect_timeout=2");
  ASSERT_FALSE(pg.has_value());
  EXPECT_EQ(pg.error().code(), StatusCode::kUnavailable);
  EXPECT_NE(pg.error().message().find("cannot connect to PostgreSQL"), std::string::npos);
  auto empty = Open("sqlite:");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code(), StatusCode::kInvalidArgument);
}

TEST(SqliteOpenTest, UnopenablePathIsUnavailable) {
  testdb::TempDir dir;
  ASSERT_TRUE(dir.Created());
  auto db = Open("sqlite:" + dir.File("missing/dir/cordon.db"));
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cordon::store
