// The audit trail (security.md C1-C4): append-only, hash-chained, holding identifiers only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
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
  std::string object_id;
};

class AuditLog {
 public:
  AuditLog(store::Database& db, const base::Clock& clock);
  // Commits what is queued, then stops the writer.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends inside the caller's write transaction, so that the change and its audit row commit
  // or roll back together.
  Status Append(store::Session& session, const Principal& who, const AuditEntry& entry);

  // Appends in a transaction of its own and returns once the row is committed; used for reads,
  // which must be audited before the response (a failed audit fails the read). One writer
  // thread commits whatever has queued up in one transaction (group commit). The commit is
  // Database::WriteFlushedSoon: it survives a crash of the process at once and a power cut from
  // the next flush (SQLite: 200 ms) on; waiting for an fsync per read would bound audited reads
  // by the disk. Inside a DeferRecordsScope it returns at once and the scope's owner waits
  // (pending_records.h). Thread-safe.
  Status Record(const Principal& who, const AuditEntry& entry);

  Result<std::vector<AuditRecord>> List(const AuditQuery& query);

  // Recomputes the chain. Returns the id of the first row whose hash or link is wrong, or 0.
  Result<std::int64_t> Verify();

 private:
  struct Queued {
    Principal who;
    AuditEntry entry;
    std::function<void(const Status&)> done;
  };
  void Enqueue(Queued queued);
  void WriterLoop();

  // The id and hash the next row links to.
  struct ChainHead {
    std::int64_t next_id = 1;
    std::string prev_hash;
  };
  static Result<ChainHead> Head(store::Session& session);
  // Appends one row after `head` and advances it.
  Status AppendAt(store::Session& session, const Principal& who, const AuditEntry& entry,
                  ChainHead& head);

  store::Database& db_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Queued> queue_;  // rows waiting for the next commit
  bool stopping_ = false;
  std::thread writer_;  // last: started once the members above exist
};

// The hash of a row given its predecessor's hash: SHA-256 over a length-prefixed encoding of
// every column, so that no two different rows encode alike.
std::string AuditHash(const AuditRecord& record);

}  // namespace cordon::auth
