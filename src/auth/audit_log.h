// The audit trail (security.md C1-C4): append-only, hash-chained, holding identifiers only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "auth/model.h"
#include "base/local_time.h"
#include "store/database.h"

namespace cordon::auth {

struct AuditEntry {
  std::string action;       // "people.get", "people.reveal", "session.login", "authz_denied"
  std::string object_type;  // "person", "region", "user", "session"
  std::string object_id;    // identifiers only: ids, codes, never names or numbers
  std::string outcome = "ok";
  std::string reason;  // the user's stated reason, for reveals
  std::string fields;  // comma-separated field names revealed or changed
};

struct AuditRecord {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor;
  std::string role;
  std::string scope;
  AuditEntry entry;
  std::string request_id;
  std::string ip;
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  std::int64_t after = 0;   // keyset cursor, oldest first: entries with id > after
  std::int64_t before = 0;  // when set, newest first: entries with id < before
  int limit = 50;
  std::string actor;  // optional filters
  std::string action;
  std::string object_type;
  std::string object_id;
  std::int64_t since = 0;  // unix seconds: entries at or after (0: no bound)
  std::int64_t until = 0;  // entries before (0: no bound)
};

class AuditJournal;
struct JournalEntry;

class AuditLog {
 public:
  // Reads are recorded by a group commit into the `audit` table.
  AuditLog(store::Database& db, const base::Clock& clock);
  // When the copy of the journal into the table runs (see CopierLoop).
  struct CopyPolicy {
    // A wake (every 200 ms) that finds at least this many new lines is in a burst of reads: the
    // copy waits for the burst to end, the journal being fsynced meanwhile.
    std::int64_t burst_lines = 400;
    // ... but no longer than this many lines wait (about 36 s at 11,000 reads/s).
    std::int64_t most_deferred = 400000;
  };
  // Reads are recorded in the journal at `journal_path` (audit_journal.h) and copied into the
  // table every 200 ms outside bursts; first copies what a previous process left there.
  static Result<std::unique_ptr<AuditLog>> WithJournal(store::Database& db,
                                                       const base::Clock& clock,
                                                       const std::string& journal_path,
                                                       CopyPolicy policy);
  static Result<std::unique_ptr<AuditLog>> WithJournal(store::Database& db,
                                                       const base::Clock& clock,
                                                       const std::string& journal_path) {
    return WithJournal(db, clock, journal_path, CopyPolicy{});
  }
  // Commits what is queued, then stops the writer.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends inside the caller's write transaction, so that the change and its audit row commit
  // or roll back together.
  Status Append(store::Session& session, const Principal& who, const AuditEntry& entry);

  // Records a read, which must be on record before its response leaves (a failed audit fails
  // the read); the row survives a crash of the process at once and a power cut from the next
  // flush (200 ms) on: waiting for an fsync per read would bound audited reads by the disk.
  // With a journal the line is written before this returns, and copied into the table later.
  // Without one, one writer thread commits whatever has queued up in one transaction
  // (Database::WriteFlushedSoon, a group commit); inside a DeferRecordsScope Record then returns
  // at once and the scope's owner waits (pending_records.h). Thread-safe.
  Status Record(const Principal& who, const AuditEntry& entry);

  // Both first copy the journal, so that they see every event recorded before the call.
  Result<std::vector<AuditRecord>> List(const AuditQuery& query);
  // Recomputes the chain. Returns the id of the first row whose hash or link is wrong, or 0.
  Result<std::int64_t> Verify();

  // Copies every journalled event into the table before it returns (a no-op without a journal).
  Status Settle();

 private:
  struct Queued {
    Principal who;
    AuditEntry entry;
    std::function<void(const Status&)> done;
  };
  AuditLog(store::Database& db, const base::Clock& clock, std::unique_ptr<AuditJournal> journal,
           std::int64_t copied_seq, CopyPolicy policy);
  void Enqueue(Queued queued);
  void WriterLoop();
  AuditRecord MakeRecord(const Principal& who, const AuditEntry& entry) const;

  // The journal's side: Record's write, and the copier thread's loop and one copy.
  Status Journal(const Principal& who, const AuditEntry& entry);
  void CopierLoop();
  // Whether this wake of the copier leaves the copy for later (under mu_).
  bool DeferCopy();
  Status Decode(std::string_view lines);  // into inflight_
  // Copies inflight_ into the table; `committed` counts the rows on record, also on failure.
  Status CopyInflight(std::size_t& committed);

  // The id and hash the next row links to.
  struct ChainHead {
    std::int64_t next_id = 1;
    std::string prev_hash;
  };
  static Result<ChainHead> Head(store::Session& session);
  // Appends `record` after `head`, filling in its id and hashes, and advances `head`.
  static Status AppendAt(store::Session& session, std::int64_t actor_id, AuditRecord& record,
                         ChainHead& head);
  // Inserts journalled entries in one transaction, with the journal's copied mark.
  static Status CopyEntries(store::Session& session, std::span<JournalEntry> entries);

  store::Database& db_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Queued> queue_;  // rows waiting for the next commit
  bool stopping_ = false;

  // With a journal (all under mu_ but journal_'s file, which only the copier rotates):
  std::unique_ptr<AuditJournal> journal_;
  std::int64_t next_seq_ = 1;
  // Journalled lines not yet taken by the copier, as written. One buffer, not a row each: the
  // copier decodes them in its own memory, so it never frees (and locks the malloc arena of) an
  // event loop's allocations, which stalled requests behind a preempted copier.
  std::string written_;
  std::int64_t written_count_ = 0;
  std::int64_t written_since_wake_ = 0;  // lines written since the copier last woke
  std::int64_t synced_count_ = 0;        // written_count_ at the last fsync of the journal
  int settling_ = 0;                     // callers waiting in Settle: no deferring then
  CopyPolicy policy_;
  std::vector<JournalEntry> inflight_;  // taken by the copier; copier thread only
  std::int64_t copied_seq_ = 0;         // every seq up to this one is in the table
  std::condition_variable copied_;      // copied_seq_ moved, or the copier failed
  Status last_copy_;
  std::int64_t copies_started_ = 0;
  std::int64_t copies_finished_ = 0;

  std::thread writer_;  // last: started once the members above exist
};

// The hash of a row given its predecessor's hash: SHA-256 over a length-prefixed encoding of
// every column, so that no two different rows encode alike.
std::string AuditHash(const AuditRecord& record);

}  // namespace cordon::auth
