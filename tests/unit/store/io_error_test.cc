// security.md H4: an I/O error (the n-th read, write or fsync fails; the disk is full) during a
// transaction that writes a record and its audit row leaves both rows or neither, the same
// Database goes on working, and the next transaction after the fault clears commits. The faults
// come from the crash VFS (crash_vfs.h), under cordon's own store::Open and Database::Write.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "base/local_time.h"
#include "crash_vfs.h"
#include "store/database.h"
#include "test_database.h"

namespace cordon::store {
namespace {

using testdb::CrashVfs;

using Fault = CrashVfs::Fault;

// Every sweep goes past the last operation of its kind in the transaction (asserted below).
constexpr int kMaxNth = 24;
constexpr std::int64_t kFollowUp = 1'000'000;  // the id offset of the transaction after a fault

auth::Principal Worker() {
  auth::Principal p;
  p.user.username = "io-test";
  p.user.region_code = testdb::kG1;
  p.region_path = testdb::kG1Path;
  p.request_id = "io-error";
  return p;
}

// A record and its audit row in one transaction, as a service's create does.
Status CreateWithAudit(Session& s, auth::AuditLog& audit, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(
      s.Exec("INSERT INTO io_items (id, payload) VALUES (?, ?)", {id, std::string(300, 'p')})
          .status());
  auth::AuditEntry entry;
  entry.action = "io.create";
  entry.object_type = "item";
  entry.object_id = std::to_string(id);
  return audit.Append(s, Worker(), entry);
}

struct Counts {
  std::int64_t items = -1;
  std::int64_t audits = -1;
};

Counts CountRows(Database& db, std::int64_t id) {
  Counts counts;
  Status status = db.Read([&](Session& s) {
    CORDON_ASSIGN_OR_RETURN(counts.items,
                            s.QueryInt("SELECT COUNT(*) FROM io_items WHERE id = ?", {id}));
    CORDON_ASSIGN_OR_RETURN(
        counts.audits,
        s.QueryInt("SELECT COUNT(*) FROM audit WHERE action = 'io.create' AND object_id = ?",
                   {std::to_string(id)}));
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return counts;
}

struct Sweep {
  Fault fault;
  bool persistent;
  const char* name;
  bool flushed_soon = false;  // through WriteFlushedSoon, the path of read-audit batches
};

class IoErrorTest : public ::testing::TestWithParam<Sweep> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.Created());
    path_ = dir_.File("cordon.db");
    vfs_ = std::make_unique<CrashVfs>();
    auto db = Open("sqlite:" + path_, OpenOptions{.readers = 1});
    ASSERT_TRUE(db.has_value()) << db.error().message();
    (*db)->SetFieldCipher(testdb::Fields());
    Status status = Migrate(**db);
    ASSERT_TRUE(status.ok()) << status.message();
    status = (*db)->Write([](Session& s) {
      return s.ExecScript("CREATE TABLE io_items (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    });
    ASSERT_TRUE(status.ok()) << status.message();
  }

  testdb::TempDir dir_;
  std::string path_;
  std::unique_ptr<CrashVfs> vfs_;  // after dir_: unregistered before the files go
};

TEST_P(IoErrorTest, BothRowsOrNeitherAndTheDatabaseRecovers) {
  const Sweep sweep = GetParam();
  base::FakeClock clock(testdb::StartTime());
  struct Outcome {
    std::int64_t id;
    bool committed;
  };
  std::vector<Outcome> outcomes;
  int failed = 0;
  std::string first_error;
  bool last_committed = false;
  for (int n = 1; n <= kMaxNth; ++n) {
    SCOPED_TRACE(std::string(sweep.name) + " fails at call " + std::to_string(n));
    // Opened afresh each time, so that the transaction starts with a cold page cache and reads
    // from the files as a request after a restart would.
    auto db = Open("sqlite:" + path_, OpenOptions{.readers = 1});
    ASSERT_TRUE(db.has_value()) << db.error().message();
    (*db)->SetFieldCipher(testdb::Fields());
    auth::AuditLog audit(**db, clock);
    const std::int64_t id = n;

    vfs_->FailNth(sweep.fault, n, sweep.persistent);
    auto create = [&](Session& s) { return CreateWithAudit(s, audit, id); };
    Status status = sweep.flushed_soon ? (*db)->WriteFlushedSoon(create) : (*db)->Write(create);
    vfs_->ClearFaults();

    const Counts counts = CountRows(**db, id);
    EXPECT_EQ(counts.items, counts.audits) << "a record without its audit row, or the reverse";
    EXPECT_EQ(counts.items, status.ok() ? 1 : 0) << status.message();
    if (!status.ok()) {
      ++failed;
      if (first_error.empty()) {
        first_error = status.message();
      }
      // The error is the injected one, reported as the disk's, not some other failure.
      const bool disk = status.message().find("disk I/O error") != std::string::npos ||
                        status.message().find("database or disk is full") != std::string::npos;
      EXPECT_TRUE(disk) << status.message();
      // Answered as 503: the fault is the disk's, and the request may be tried again.
      EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.message();
    }
    outcomes.push_back({id, status.ok()});
    last_committed = status.ok();

    // The same Database, once the fault has cleared: the next transaction commits.
    Status next =
        (*db)->Write([&](Session& s) { return CreateWithAudit(s, audit, kFollowUp + n); });
    EXPECT_TRUE(next.ok()) << next.message();
    const Counts after = CountRows(**db, kFollowUp + n);
    EXPECT_EQ(after.items, 1);
    EXPECT_EQ(after.audits, 1);
  }
  // The sweep reached the transaction (some call failed it) and went past its last operation
  // of this kind (the last attempt ran clean).
  EXPECT_GT(failed, 0);
  EXPECT_TRUE(last_committed);

  // After a restart (WAL recovery on a fresh open), what was seen is what is stored, and the
  // file and the audit chain are whole.
  auto db = Open("sqlite:" + path_, OpenOptions{.readers = 1});
  ASSERT_TRUE(db.has_value()) << db.error().message();
  (*db)->SetFieldCipher(testdb::Fields());
  for (const Outcome& o : outcomes) {
    const Counts counts = CountRows(**db, o.id);
    EXPECT_EQ(counts.items, o.committed ? 1 : 0) << "item " << o.id;
    EXPECT_EQ(counts.audits, counts.items) << "item " << o.id;
  }
  std::string integrity;
  ASSERT_TRUE((*db)
                  ->Read([&](Session& s) {
                    return s.Query("PRAGMA integrity_check", {}, [&](const Row& row) {
                      integrity += row.Text(0);
                      return Status::Ok();
                    });
                  })
                  .ok());
  EXPECT_EQ(integrity, "ok");
  auth::AuditLog audit(**db, clock);
  auto broken = audit.Verify();
  ASSERT_TRUE(broken.has_value()) << broken.error().message();
  EXPECT_EQ(*broken, 0);
  std::printf("[ io-error ] %s: %d of %d transactions failed, each whole; the first with: %s\n",
              sweep.name, failed, kMaxNth, first_error.c_str());
}

INSTANTIATE_TEST_SUITE_P(Faults, IoErrorTest,
                         ::testing::Values(Sweep{Fault::kWrite, false, "write"},
                                           Sweep{Fault::kWrite, true, "every_write_from"},
                                           Sweep{Fault::kSync, false, "fsync"},
                                           Sweep{Fault::kSync, true, "every_fsync_from"},
                                           Sweep{Fault::kRead, false, "read"},
                                           Sweep{Fault::kRead, true, "every_read_from"},
                                           Sweep{Fault::kDiskFull, true, "disk_full_from"},
                                           Sweep{Fault::kWrite, false, "write_flushed_soon", true},
                                           Sweep{Fault::kSync, false, "fsync_flushed_soon", true},
                                           Sweep{Fault::kRead, true, "every_read_from_flushed_soon",
                                                 true}),
                         [](const ::testing::TestParamInfo<Sweep>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace cordon::store
