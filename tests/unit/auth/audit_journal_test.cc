// The audit journal (security.md C1, C2): an audited read is on record once its line is written,
// the copier puts it into the hash-chained table in the order written, and a restart copies what
// a previous run left exactly once.
#include "auth/audit_journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../store/test_database.h"
#include "auth/audit_log.h"
#include "auth/pending_records.h"

namespace cordon::auth {
namespace {

AuditEntry Read(std::string object_id) {
  AuditEntry e;
  e.action = "people.get";
  e.object_type = "person";
  e.object_id = std::move(object_id);
  return e;
}

Principal Alice() {
  Principal p;
  p.user.id = 7;
  p.user.username = "alice";
  p.user.role = Role::kGridWorker;
  p.user.region_code = testdb::kG1;
  p.ip = "10.0.0.1";
  p.request_id = "req-1";
  return p;
}

JournalEntry Line(std::int64_t seq, const std::string& object_id) {
  JournalEntry e;
  e.seq = seq;
  e.actor_id = 7;
  e.record.at = 1700000000;
  e.record.actor = "alice";
  e.record.role = "grid_worker";
  e.record.scope = std::string(testdb::kG1);
  e.record.entry = Read(object_id);
  e.record.request_id = "req-" + object_id;
  e.record.ip = "10.0.0.1";
  return e;
}

class AuditJournalTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    journal_path_ = dir_.File("audit.journal");
  }

  void OpenLog() {
    auto log = AuditLog::WithJournal(*db_, clock_, journal_path_);
    ASSERT_TRUE(log.has_value()) << log.error().message();
    audit_ = std::move(*log);
  }

  void WriteFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << text;
  }

  std::vector<std::string> ObjectIds() {
    std::vector<std::string> ids;
    EXPECT_TRUE(db_->Read([&](store::Session& s) {
                     return s.Query("SELECT object_id FROM audit ORDER BY id", {},
                                    [&](const store::Row& row) {
                                      ids.push_back(row.Text(0));
                                      return Status::Ok();
                                    });
                   })
                    .ok());
    return ids;
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::string journal_path_;
  std::unique_ptr<AuditLog> audit_;
};

TEST_F(AuditJournalTest, ALineReadsBackAsWrittenAndStaysOneLine) {
  JournalEntry e = Line(12, "42");
  e.record.entry.reason = "张三\n[FAKE] admin login ok\t\x01";
  e.record.entry.fields = "phone,address";
  const std::string line = EncodeJournalLine(e);
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // C4: control characters never split a record
  auto back = DecodeJournalLine(line.substr(0, line.size() - 1));
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->seq, 12);
  EXPECT_EQ(back->actor_id, 7);
  EXPECT_EQ(back->record.entry.reason, e.record.entry.reason);
  EXPECT_EQ(back->record.entry.fields, "phone,address");
  EXPECT_EQ(back->record.request_id, "req-42");
  EXPECT_FALSE(DecodeJournalLine(R"({"seq": 1})").has_value());
  EXPECT_FALSE(DecodeJournalLine("not json").has_value());
}

TEST_F(AuditJournalTest, ReadsFromManyThreadsReachTheTableInOneChain) {
  OpenLog();
  constexpr int kThreads = 8;
  constexpr int kEach = 100;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!audit_->Record(Alice(), Read(std::to_string(t * 1000 + i))).ok()) {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  // A change audited in its own transaction meanwhile joins the same chain.
  ASSERT_TRUE(
      db_->Write([&](store::Session& s) { return audit_->Append(s, Alice(), Read("change")); })
          .ok());
  for (auto& t : threads) {
    t.join();
  }
  for (int f : failures) {
    EXPECT_EQ(f, 0);
  }
  ASSERT_TRUE(audit_->Settle().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), kThreads * kEach + 1);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT object_id) FROM audit"), kThreads * kEach + 1);
  EXPECT_EQ(Count("SELECT copied_seq FROM audit_journal WHERE node = 'local'"), kThreads * kEach);
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value()) << broken.error().message();
  EXPECT_EQ(*broken, 0);
}

TEST_F(AuditJournalTest, ListAndVerifySeeEveryReadRecordedBeforeThem) {
  OpenLog();
  ASSERT_TRUE(audit_->Record(Alice(), Read("1")).ok());
  ASSERT_TRUE(audit_->Record(Alice(), Read("2")).ok());
  AuditQuery q;
  q.limit = 10;
  auto rows = audit_->List(q);
  ASSERT_TRUE(rows.has_value()) << rows.error().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].entry.object_id, "1");
  EXPECT_EQ((*rows)[1].entry.object_id, "2");
  EXPECT_EQ((*rows)[1].actor, "alice");
  EXPECT_EQ((*rows)[1].role, "grid_worker");
  EXPECT_EQ((*rows)[1].ip, "10.0.0.1");
}

// In a burst of reads the copy waits, so that it does not share the cores with the requests, and
// runs once the burst ends; an auditor's query (Settle) copies at once; and no more than
// `most_deferred` lines wait however long the burst.
class AuditJournalBurstTest : public AuditJournalTest {
 protected:
  void OpenLog(AuditLog::CopyPolicy policy) {
    auto log = AuditLog::WithJournal(*db_, clock_, journal_path_, policy);
    ASSERT_TRUE(log.has_value()) << log.error().message();
    audit_ = std::move(*log);
  }
  // Records a read every 100 µs or so for `how_long`; returns how many.
  // Reads without a pause longer than the copier's wake, for `how_long` and at least `min_reads`
  // of them (a slow machine, or a sanitizer build, needs longer for as many).
  int Burst(std::chrono::milliseconds how_long, int min_reads = 0) {
    int n = 0;
    const auto end = std::chrono::steady_clock::now() + how_long;
    while (std::chrono::steady_clock::now() < end || n < min_reads) {
      EXPECT_TRUE(audit_->Record(Alice(), Read(std::to_string(n++))).ok());
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return n;
  }
  std::int64_t Copied() { return Count("SELECT COUNT(*) FROM audit"); }
  // Waits up to 10 s for `n` rows in the table.
  bool CopiedSoon(std::int64_t n) {
    for (int i = 0; i < 200 && Copied() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Copied() == n;
  }
};

TEST_F(AuditJournalBurstTest, TheCopyWaitsForTheBurstToEnd) {
  OpenLog({.burst_lines = 1, .most_deferred = 100000000});
  const int n = Burst(std::chrono::milliseconds(700));  // three wakes of the copier at least
  EXPECT_EQ(Copied(), 0) << n << " reads";
  EXPECT_TRUE(CopiedSoon(n));  // no new line at the next wake: copied
}

TEST_F(AuditJournalBurstTest, AnAuditorsQueryCopiesAtOnce) {
  OpenLog({.burst_lines = 1, .most_deferred = 100000000});
  std::atomic<bool> stop = false;
  std::thread reads([&] {
    for (int i = 0; !stop; ++i) {
      EXPECT_TRUE(audit_->Record(Alice(), Read(std::to_string(i))).ok());
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::int64_t before = Copied();
  ASSERT_TRUE(audit_->Settle().ok());
  const std::int64_t after = Copied();
  stop = true;
  reads.join();
  EXPECT_EQ(before, 0);
  EXPECT_GT(after, 0);
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value()) << broken.error().message();
  EXPECT_EQ(*broken, 0);
}

TEST_F(AuditJournalBurstTest, NoMoreThanTheMostDeferredWait) {
  OpenLog({.burst_lines = 1, .most_deferred = 50});
  const int n = Burst(std::chrono::milliseconds(1000), 600);
  EXPECT_GT(Copied(), 0) << n << " reads";
}

// Inside the HTTP server's scope the line is written before Record returns; nothing is pending.
TEST_F(AuditJournalTest, AJournalledReadIsOnRecordBeforeRecordReturns) {
  OpenLog();
  DeferRecordsScope scope;
  ASSERT_TRUE(audit_->Record(Alice(), Read("1")).ok());
  std::ifstream in(journal_path_);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  auto e = DecodeJournalLine(line);
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->record.entry.object_id, "1");
  EXPECT_TRUE(scope.pending()->empty());
}

// C1: when the journal cannot be written the read is not on record, so it must fail. /dev/full
// refuses every write with ENOSPC.
TEST_F(AuditJournalTest, AReadWhoseLineCannotBeWrittenFails) {
  ASSERT_EQ(::symlink("/dev/full", journal_path_.c_str()), 0);
  OpenLog();
  Status status = audit_->Record(Alice(), Read("1"));
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("audit journal"), std::string::npos) << status.message();
  ASSERT_TRUE(audit_->Settle().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), 0);
}

// What a stopped or crashed run left is copied at the next start, once, in the order written:
// the rotated file first. Lines at or below the copied mark were copied before the crash.
TEST_F(AuditJournalTest, ALeftJournalIsCopiedOnceAtTheNextStart) {
  ASSERT_TRUE(db_->Write([&](store::Session& s) {
                   return s
                       .Exec("INSERT INTO audit_journal (node, copied_seq) VALUES ('local', 1)", {})
                       .status();
                 })
                  .ok());
  WriteFile(journal_path_ + ".copying",
            EncodeJournalLine(Line(1, "already")) + EncodeJournalLine(Line(2, "a")));
  WriteFile(journal_path_, EncodeJournalLine(Line(3, "b")) + EncodeJournalLine(Line(4, "c")));
  OpenLog();
  EXPECT_EQ(ObjectIds(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Count("SELECT copied_seq FROM audit_journal"), 4);
  // Numbering goes on after the copied lines.
  ASSERT_TRUE(audit_->Record(Alice(), Read("d")).ok());
  ASSERT_TRUE(audit_->Settle().ok());
  EXPECT_EQ(Count("SELECT copied_seq FROM audit_journal"), 5);
  audit_.reset();
  OpenLog();  // a second start finds nothing left to copy
  EXPECT_EQ(ObjectIds(), (std::vector<std::string>{"a", "b", "c", "d"}));
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);
}

TEST_F(AuditJournalTest, ALineCutShortByACrashIsSkipped) {
  const std::string whole = EncodeJournalLine(Line(1, "a"));
  WriteFile(journal_path_, whole + whole.substr(0, 20));
  OpenLog();
  EXPECT_EQ(ObjectIds(), (std::vector<std::string>{"a"}));
}

TEST_F(AuditJournalTest, ABadLineBeforeOthersStopsTheStartAndNamesTheLine) {
  WriteFile(journal_path_,
            EncodeJournalLine(Line(1, "a")) + "{garbage}\n" + EncodeJournalLine(Line(3, "c")));
  auto log = AuditLog::WithJournal(*db_, clock_, journal_path_);
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().message().find("line 2"), std::string::npos) << log.error().message();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), 0);
}

// One process owns a journal: a command run beside the server must not copy or clear the lines
// the server has yet to copy.
TEST_F(AuditJournalTest, ASecondOwnerIsRefused) {
  OpenLog();
  auto second = AuditLog::WithJournal(*db_, clock_, journal_path_);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), StatusCode::kFailedPrecondition);
  audit_.reset();
  OpenLog();  // free again once the owner is gone
}

// A refused copy is retried: the read stays on record in the journal meanwhile.
TEST_F(AuditJournalTest, ARefusedCopyIsRetried) {
  OpenLog();
  ASSERT_TRUE(Exec("CREATE TRIGGER audit_full BEFORE INSERT ON audit "
                   "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
                  .ok());
  ASSERT_TRUE(audit_->Record(Alice(), Read("1")).ok());
  Status settled = audit_->Settle();
  EXPECT_FALSE(settled.ok());
  EXPECT_NE(settled.message().find("disk full"), std::string::npos) << settled.message();
  ASSERT_TRUE(Exec("DROP TRIGGER audit_full").ok());
  ASSERT_TRUE(audit_->Settle().ok());
  EXPECT_EQ(ObjectIds(), (std::vector<std::string>{"1"}));
}

}  // namespace
}  // namespace cordon::auth
