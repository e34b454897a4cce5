// The audit journal: where audited reads go before their answer leaves (security.md C1), in one
// `write` each, so that a person lookup does not wait for a database transaction. AuditLog copies
// the journal into the indexed, hash-chained `audit` table in large batches off the request path
// and, at start-up, replays what a stopped or crashed process left in it. A line is durable
// against a crash of the process at once and against a power cut once copied (within 200 ms): the
// same promise as the group commit it replaces (docs/architecture.md, "Audit").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "base/status.h"

namespace cordon::auth {

// One audited event as journalled: everything but its place in the chain (id, prev_hash, hash),
// which it gets when copied.
struct JournalEntry {
  std::int64_t seq = 0;       // 1, 2, ... across rotations and restarts
  std::int64_t actor_id = 0;  // 0: no user (command line, anonymous)
  AuditRecord record;
};

// One line of JSON: control characters in any field are escaped (C4: one event, one record).
std::string EncodeJournalLine(const JournalEntry& entry);
Result<JournalEntry> DecodeJournalLine(std::string_view line);

class AuditJournal {
 public:
  // Opens `path` for appending, creating it (mode 0600), and holds `<path>.lock` while open: one
  // process owns a journal. kFailedPrecondition when another process holds it (a command run
  // beside the server, which then records without a journal).
  static Result<AuditJournal> Open(const std::string& path);
  AuditJournal(AuditJournal&& other) noexcept;
  AuditJournal& operator=(AuditJournal&& other) noexcept;
  AuditJournal(const AuditJournal&) = delete;
  AuditJournal& operator=(const AuditJournal&) = delete;
  ~AuditJournal();

  // Appends whole lines with one `write` (more only after a short write). An error means the
  // event is not on record and its request must fail.
  Status Write(std::string_view lines);
  // fdatasync: what is written survives a power cut.
  Status Sync();

  // Moves the file to `<path>.copying` and starts a new one; what was written before is then in
  // the rotated file only, which DropRotated removes once it is copied.
  Status Rotate();
  void DropRotated();
  bool HasRotated() const;

  // Everything left in `<path>.copying` and `<path>` with seq > `after`, in order. A last line cut
  // short by a crash mid-write is skipped; any other line that does not read is an error that
  // names the file and line.
  static Result<std::vector<JournalEntry>> ReadUncopied(const std::string& path,
                                                        std::int64_t after);
  // Empties both files once everything in them is copied.
  Status Clear();

 private:
  AuditJournal(std::string path, int fd, int lock_fd)
      : path_(std::move(path)), fd_(fd), lock_fd_(lock_fd) {}
  void Close();
  std::string path_;
  int fd_ = -1;
  int lock_fd_ = -1;
};

}  // namespace cordon::auth
