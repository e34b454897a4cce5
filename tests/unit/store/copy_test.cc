// cordon copy (issue #4): every table arrives whole, in an order the foreign keys accept, checked
// by count and hash before it commits; a target with data is refused; on PostgreSQL the ids the
// database hands out next follow the copied ones. The PostgreSQL cases need CORDON_TEST_PG.
#include "store/copy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "test_database.h"

namespace cordon::store {
namespace {

class CopyTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
    // A grid whose code sorts before its parent's, and a person merged into one with a larger
    // id: rows that point at rows of their own table which come later in key order.
    ASSERT_TRUE(Exec("INSERT INTO regions (code, parent_code, level, name, path) "
                     "VALUES ('1001', ?, 5, '第三网格', '/440100/1001/')",
                     {std::string(testdb::kCommunity)})
                    .ok());
    ASSERT_TRUE(Exec("INSERT INTO households (id, region_code, address) VALUES (5, ?, ?)",
                     {std::string(testdb::kG1), std::string("华师路1号\n3栋'2'单元")})
                    .ok());
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(
          Exec(std::string("INSERT INTO people (id, id_type, ") + testdb::kIdentifierColumns +
                   ", name, sex, birth_date, household_id, region_code, region_path, created_at, "
                   "updated_at) VALUES (?, 'resident_id', " +
                   testdb::kIdentifierValues + ", ?, 'F', '1990-01-01', 5, ?, ?, 1, 2)",
               testdb::WithIdentifiers({std::int64_t{i}}, "11010519491231002" + std::to_string(i),
                                       "",
                                       {"张" + std::to_string(i), std::string(testdb::kG1),
                                        std::string(testdb::kG1Path)}))
              .ok());
    }
    ASSERT_TRUE(Exec("UPDATE people SET merged_into = 3 WHERE id = 1").ok());
    ASSERT_TRUE(Exec("INSERT INTO venues (code, name, type, lat, lon) "
                     "VALUES ('V1', '菜市场', 'market', 23.1291, 113.2644)")
                    .ok());
  }

  // A second, empty SQLite database beside the first.
  std::unique_ptr<Database> OpenSqlite(const std::string& name) {
    auto db = Open("sqlite:" + dir_.File(name), OpenOptions{.readers = 2});
    EXPECT_TRUE(db.has_value()) << db.error().message();
    if (db.has_value()) {
      (*db)->SetFieldCipher(testdb::Fields());
    }
    return db.has_value() ? std::move(*db) : nullptr;
  }

  static std::int64_t CountIn(Database& db, const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db.Read([&](Session& s) {
                    CORDON_ASSIGN_OR_RETURN(n, s.QueryInt(sql, {}));
                    return Status::Ok();
                  }).ok());
    return n;
  }

  static const TableCopied* Find(const CopyReport& report, const std::string& table) {
    for (const TableCopied& t : report.tables) {
      if (t.table == table) {
        return &t;
      }
    }
    return nullptr;
  }
};

TEST_F(CopyTest, EveryRowArrivesAndReadsBackAlike) {
  auto target = OpenSqlite("target.db");
  ASSERT_NE(target, nullptr);
  std::vector<std::string> lines;
  auto report = CopyDatabase(*db_, *target, [&](const std::string& l) { lines.push_back(l); });
  ASSERT_TRUE(report.has_value()) << report.error().message();
  EXPECT_EQ(Find(*report, "regions")->rows, 7);
  EXPECT_EQ(Find(*report, "people")->rows, 3);
  EXPECT_EQ(Find(*report, "profiles")->rows, 1);  // the migration's seed, copied not doubled
  EXPECT_EQ(lines.size(), report->tables.size());
  EXPECT_EQ(CountIn(*target, "SELECT merged_into FROM people WHERE id = 1"), 3);
  EXPECT_EQ(CountIn(*target,
                    "SELECT COUNT(*) FROM regions WHERE code = '1001' AND parent_code "
                    "= '440106001001'"),
            1);
  EXPECT_EQ(CountIn(*target,
                    "SELECT COUNT(*) FROM households WHERE address = "
                    "'华师路1号\n3栋''2''单元'"),
            1);
  EXPECT_EQ(CountIn(*target, "SELECT COUNT(*) FROM venues WHERE lat = 23.1291 AND lon = 113.2644"),
            1);
  // Parents come before children in the report, which is the order of the copy.
  auto at = [&](const std::string& t) { return Find(*report, t) - report->tables.data(); };
  EXPECT_LT(at("regions"), at("households"));
  EXPECT_LT(at("households"), at("people"));
  EXPECT_LT(at("profiles"), at("plan_steps"));

  // Copied back the other way, every table hashes the same.
  auto back = OpenSqlite("back.db");
  auto again = CopyDatabase(*target, *back, nullptr);
  ASSERT_TRUE(again.has_value()) << again.error().message();
  for (const TableCopied& t : report->tables) {
    EXPECT_EQ(Find(*again, t.table)->sha256, t.sha256) << t.table;
  }
}

TEST_F(CopyTest, ATargetWithDataIsRefusedAndKeptAsItWas) {
  auto target = OpenSqlite("target.db");
  ASSERT_TRUE(CopyDatabase(*db_, *target, nullptr).has_value());
  auto second = CopyDatabase(*db_, *target, nullptr);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.error().message().find("not empty"), std::string::npos)
      << second.error().message();
  EXPECT_EQ(CountIn(*target, "SELECT COUNT(*) FROM people"), 3);
}

// The check has teeth: a target that changes a value on the way in (here a trigger) fails the
// copy by its hash, and nothing is committed.
TEST_F(CopyTest, ARowThatReadsBackDifferentlyFailsTheWholeCopy) {
  auto target = OpenSqlite("target.db");
  ASSERT_TRUE(Migrate(*target).ok());
  ASSERT_TRUE(target
                  ->Write([](Session& s) {
                    return s.ExecScript(
                        "CREATE TRIGGER households_altered AFTER INSERT ON households BEGIN "
                        "UPDATE households SET address = address || '!' WHERE id = NEW.id; END");
                  })
                  .ok());
  auto copied = CopyDatabase(*db_, *target, nullptr);
  ASSERT_FALSE(copied.has_value());
  EXPECT_NE(copied.error().message().find("table households does not match"), std::string::npos)
      << copied.error().message();
  EXPECT_EQ(CountIn(*target, "SELECT COUNT(*) FROM regions"), 0);
  EXPECT_EQ(CountIn(*target, "SELECT COUNT(*) FROM people"), 0);
}

TEST_F(CopyTest, ASourceAtAnotherSchemaVersionIsRefused) {
  ASSERT_TRUE(Exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (9999, "
                   "'from a newer cordon', 0)")
                  .ok());
  auto target = OpenSqlite("target.db");
  auto copied = CopyDatabase(*db_, *target, nullptr);
  ASSERT_FALSE(copied.has_value());
  EXPECT_NE(copied.error().message().find("schema version 9999"), std::string::npos)
      << copied.error().message();
  EXPECT_EQ(CountIn(*target, "SELECT COUNT(*) FROM regions"), 0);
}

// The same against a live PostgreSQL server, when the test run has one.
class CopyPostgresTest : public CopyTest {
 protected:
  void SetUp() override {
    const char* base = std::getenv("CORDON_TEST_PG");
    if (base == nullptr || *base == '\0') {
      GTEST_SKIP() << "CORDON_TEST_PG is not set (scripts/test-postgresql.sh sets it)";
    }
    CopyTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    base_ = base;
    name_ = "cordon_copy_" + std::to_string(::getpid());
    Psql("DROP DATABASE IF EXISTS " + name_);
    ASSERT_EQ(Psql("CREATE DATABASE " + name_), 0);
    auto pg = Open(base_.substr(0, base_.rfind('/') + 1) + name_, OpenOptions{.readers = 2});
    ASSERT_TRUE(pg.has_value()) << pg.error().message();
    (*pg)->SetFieldCipher(testdb::Fields());
    pg_ = std::move(*pg);
  }
  void TearDown() override {
    pg_.reset();
    if (!name_.empty()) {
      Psql("DROP DATABASE IF EXISTS " + name_);
    }
  }
  int Psql(const std::string& sql) const {
    return std::system(("psql -X -q '" + base_ + "' -c '" + sql + "' >/dev/null 2>&1").c_str());
  }
  std::string base_;
  std::string name_;
  std::unique_ptr<Database> pg_;
};

TEST_F(CopyPostgresTest, SqliteToPostgresAndBackReadsAlikeAndNewIdsFollowTheCopiedOnes) {
  auto to_pg = CopyDatabase(*db_, *pg_, nullptr);
  ASSERT_TRUE(to_pg.has_value()) << to_pg.error().message();
  auto back = OpenSqlite("back.db");
  auto to_sqlite = CopyDatabase(*pg_, *back, nullptr);
  ASSERT_TRUE(to_sqlite.has_value()) << to_sqlite.error().message();
  for (const TableCopied& t : to_pg->tables) {
    EXPECT_EQ(Find(*to_sqlite, t.table)->sha256, t.sha256) << t.table;
  }
  std::int64_t id = 0;
  ASSERT_TRUE(pg_->Write([&](Session& s) {
                   CORDON_ASSIGN_OR_RETURN(
                       id, s.QueryInt("INSERT INTO households (region_code, address) VALUES (?, "
                                      "'新地址') RETURNING id",
                                      {std::string(testdb::kG1)}));
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(id, 6);
}

// A value PostgreSQL cannot hold (text with a NUL byte: libpq would end the string there) is
// refused, naming the table, and nothing of the copy is committed.
TEST_F(CopyPostgresTest, AValueThatDoesNotSurviveFailsTheWholeCopy) {
  ASSERT_TRUE(
      Exec("UPDATE households SET address = ? WHERE id = 5", {std::string("华师路\0001号", 13)})
          .ok());
  auto copied = CopyDatabase(*db_, *pg_, nullptr);
  ASSERT_FALSE(copied.has_value());
  EXPECT_NE(copied.error().message().find("households"), std::string::npos)
      << copied.error().message();
  EXPECT_EQ(CountIn(*pg_, "SELECT COUNT(*) FROM regions"), 0);
}

}  // namespace
}  // namespace cordon::store
