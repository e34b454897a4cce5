// The audit trail (security.md C1, C2): rows written in the caller's transaction, a hash chain
// that a verifier checks, and a table that refuses UPDATE and DELETE.
#include "auth/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../store/test_database.h"
#include "auth/pending_records.h"

namespace cordon::auth {
namespace {

AuditEntry Entry(std::string action, std::string object_id, std::string reason = "",
                 std::string fields = "") {
  AuditEntry e;
  e.action = std::move(action);
  e.object_type = "person";
  e.object_id = std::move(object_id);
  e.reason = std::move(reason);
  e.fields = std::move(fields);
  return e;
}

AuditQuery Query(std::int64_t after = 0, int limit = 10000) {
  AuditQuery q;
  q.after = after;
  q.limit = limit;
  return q;
}

class AuditLogTest : public testdb::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    audit_ = std::make_unique<AuditLog>(*db_, clock_);
  }

  static Principal Alice() {
    Principal p;
    p.user.id = 7;
    p.user.username = "alice";
    p.user.role = Role::kGridWorker;
    p.user.region_code = testdb::kG1;
    p.region_path = testdb::kG1Path;
    p.ip = "10.0.0.1";
    p.request_id = "req-1";
    return p;
  }

  std::vector<AuditRecord> All() {
    auto rows = audit_->List(Query());
    EXPECT_TRUE(rows.has_value()) << rows.error().message();
    return rows.has_value() ? *rows : std::vector<AuditRecord>{};
  }

  // Runs SQL through a connection of its own, as an outside sqlite3 session would.
  void ExternalExec(const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close_v2(raw);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  base::FakeClock clock_{testdb::StartTime()};
  std::unique_ptr<AuditLog> audit_;
};

TEST_F(AuditLogTest, ThreeAppendsInOneWriteAreChained) {
  Status status = db_->Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(audit_->Append(s, Alice(), Entry("people.get", "11")));
    CORDON_RETURN_IF_ERROR(audit_->Append(s, Alice(), Entry("people.get", "12")));
    return audit_->Append(s, Alice(), Entry("people.reveal", "13", "流调核实", "phone"));
  });
  ASSERT_TRUE(status.ok()) << status.message();

  std::vector<AuditRecord> rows = All();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].prev_hash, std::string(64, '0'));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(rows[i].hash.size(), 64u);
    EXPECT_EQ(rows[i].hash, AuditHash(rows[i]));
    if (i > 0) {
      EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
    }
  }
  EXPECT_EQ(rows[2].actor, "alice");
  EXPECT_EQ(rows[2].role, "grid_worker");
  EXPECT_EQ(rows[2].scope, testdb::kG1);
  EXPECT_EQ(rows[2].entry.object_id, "13");
  EXPECT_EQ(rows[2].entry.reason, "流调核实");
  EXPECT_EQ(rows[2].entry.fields, "phone");
  EXPECT_EQ(rows[2].ip, "10.0.0.1");
  EXPECT_EQ(rows[2].request_id, "req-1");
  EXPECT_EQ(rows[2].at, 1'651'276'800);

  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value()) << broken.error().message();
  EXPECT_EQ(*broken, 0);
}

TEST_F(AuditLogTest, EmptyLogVerifies) {
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);
}

TEST_F(AuditLogTest, FailedWriteLeavesNoAuditRow) {
  Status status = db_->Write([&](store::Session& s) {
    CORDON_RETURN_IF_ERROR(audit_->Append(s, Alice(), Entry("people.update", "11")));
    return FailedPrecondition("the change failed after its audit row was appended");
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), 0);

  // The next row starts the chain: nothing of the rolled-back row remains.
  ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "11")).ok());
  std::vector<AuditRecord> rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, 1);
  EXPECT_EQ(rows[0].prev_hash, std::string(64, '0'));
}

TEST_F(AuditLogTest, AnonymousActorIsWrittenAsDash) {
  ASSERT_TRUE(audit_->Record(Principal{}, Entry("session.login", "")).ok());
  std::vector<AuditRecord> rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].actor, "-");
  EXPECT_EQ(rows[0].role, "-");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE actor_id IS NULL"), 1);
}

TEST_F(AuditLogTest, ConcurrentRecordsKeepTheChain) {
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Principal who = Alice();
      who.request_id = "thread-" + std::to_string(t);
      for (int i = 0; i < kEach; ++i) {
        if (!audit_->Record(who, Entry("people.get", std::to_string(t * 1000 + i))).ok()) {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int f : failures) {
    EXPECT_EQ(f, 0);
  }

  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), kThreads * kEach);
  EXPECT_EQ(Count("SELECT MAX(id) FROM audit"), kThreads * kEach);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT object_id) FROM audit"), kThreads * kEach);
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);
}

// The HTTP server's event loops must not wait for a commit: inside a scope Record queues the
// row, and the scope says when it is durable. The answer waits for that.
TEST_F(AuditLogTest, DeferredRecordsReportWhenTheyAreCommitted) {
  std::shared_ptr<PendingRecords> pending;
  {
    DeferRecordsScope scope;
    ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "1")).ok());
    ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "2")).ok());
    pending = scope.pending();
  }
  EXPECT_FALSE(pending->empty());
  std::promise<Status> durable;
  pending->WhenDurable([&](const Status& status) {
    // By now both rows are readable by anyone.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit WHERE object_id IN ('1', '2')"), 2);
    durable.set_value(status);
  });
  EXPECT_TRUE(durable.get_future().get().ok());
  // Outside the scope, Record waits for its own commit as before.
  ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "3")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), 3);
}

TEST_F(AuditLogTest, AFailedDeferredRecordIsReportedSoTheAnswerIsWithheld) {
  ExternalExec(
      "CREATE TRIGGER audit_full BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); "
      "END;");
  std::shared_ptr<PendingRecords> pending;
  {
    DeferRecordsScope scope;
    EXPECT_TRUE(audit_->Record(Alice(), Entry("people.get", "1")).ok());  // queued, not yet known
    pending = scope.pending();
  }
  std::promise<Status> durable;
  pending->WhenDurable([&](const Status& status) { durable.set_value(status); });
  EXPECT_FALSE(durable.get_future().get().ok());
  EXPECT_FALSE(audit_->Record(Alice(), Entry("people.get", "2")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit"), 0);
}

TEST_F(AuditLogTest, AScopeWithoutRecordsIsDoneAtOnce) {
  DeferRecordsScope scope;
  EXPECT_TRUE(scope.pending()->empty());
  bool called = false;
  scope.pending()->WhenDurable([&](const Status& status) { called = status.ok(); });
  EXPECT_TRUE(called);
}

TEST_F(AuditLogTest, ListFiltersAndPages) {
  Principal bob = Alice();
  bob.user.username = "bob";
  ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "1")).ok());
  ASSERT_TRUE(audit_->Record(bob, Entry("people.get", "2")).ok());
  ASSERT_TRUE(audit_->Record(Alice(), Entry("people.reveal", "2", "核实", "phone")).ok());

  AuditQuery q = Query();
  q.actor = "alice";
  auto by_actor = audit_->List(q);
  ASSERT_TRUE(by_actor.has_value());
  EXPECT_EQ(by_actor->size(), 2u);
  q = Query();
  q.object_id = "2";
  auto by_object = audit_->List(q);
  ASSERT_TRUE(by_object.has_value());
  EXPECT_EQ(by_object->size(), 2u);
  q = Query();
  q.action = "people.reveal";
  auto by_action = audit_->List(q);
  ASSERT_TRUE(by_action.has_value());
  ASSERT_EQ(by_action->size(), 1u);
  EXPECT_EQ((*by_action)[0].id, 3);
  auto page = audit_->List(Query(/*after=*/1, /*limit=*/1));
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, 2);
}

TEST_F(AuditLogTest, VerifyReportsTheTamperedRow) {
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", std::to_string(i))).ok());
  }
  ExternalExec(
      "DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'covered up' WHERE id = 3;");
  if (HasFatalFailure()) {
    return;
  }
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value()) << broken.error().message();
  EXPECT_EQ(*broken, 3);
}

TEST_F(AuditLogTest, VerifyReportsARelinkedRow) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", std::to_string(i))).ok());
  }
  // Rewriting a row together with its own hash still breaks the link to the next row.
  auto rows = All();
  ASSERT_EQ(rows.size(), 3u);
  AuditRecord forged = rows[1];
  forged.entry.object_id = "999";
  forged.hash = AuditHash(forged);
  ExternalExec("DROP TRIGGER audit_no_update; UPDATE audit SET object_id = '999', hash = '" +
               forged.hash + "' WHERE id = 2;");
  if (HasFatalFailure()) {
    return;
  }
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 3);
}

TEST_F(AuditLogTest, VerifyReportsADeletedRow) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", std::to_string(i))).ok());
  }
  ExternalExec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;");
  if (HasFatalFailure()) {
    return;
  }
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 3);
}

TEST_F(AuditLogTest, AppConnectionCannotUpdateOrDelete) {
  ASSERT_TRUE(audit_->Record(Alice(), Entry("people.get", "1")).ok());

  Status update = Exec("UPDATE audit SET reason = 'x' WHERE id = 1");
  EXPECT_FALSE(update.ok());
  EXPECT_NE(update.message().find("append-only"), std::string::npos) << update.message();
  Status remove = Exec("DELETE FROM audit WHERE id = 1");
  EXPECT_FALSE(remove.ok());
  EXPECT_NE(remove.message().find("append-only"), std::string::npos) << remove.message();

  std::vector<AuditRecord> rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].entry.reason, "");
  auto broken = audit_->Verify();
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(*broken, 0);
}

TEST(AuditHashTest, LengthPrefixingKeepsShiftedFieldsApart) {
  AuditRecord a;
  a.prev_hash = std::string(64, '0');
  a.id = 1;
  a.actor = "ab";
  a.role = "c";
  AuditRecord b = a;
  b.actor = "a";
  b.role = "bc";
  EXPECT_NE(AuditHash(a), AuditHash(b));
  EXPECT_EQ(AuditHash(a), AuditHash(a));
}

}  // namespace
}  // namespace cordon::auth
