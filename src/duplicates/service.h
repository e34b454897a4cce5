// Use cases over doubtful pairs of person files: the queue, the side-by-side view, merge, keep
// apart, report a pair, scan a jurisdiction, and undo a merge. Each write is one transaction
// with its audit row; reads are audited like any read of person files.
#pragma once

#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "duplicates/model.h"
#include "store/database.h"

namespace cordon::duplicates {

struct MergeResult {
  std::int64_t merge_id = 0;
  people::Person kept;
  std::int64_t merged_id = 0;
};

struct ScanResult {
  std::int64_t scanned = 0;  // pairs found sharing a name and phone
  std::int64_t queued = 0;   // of which new in the queue
};

class DuplicateService {
 public:
  DuplicateService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  // Errors for all: kPermissionDenied without people_merge; kNotFound for a pair, merge or file
  // outside the caller's jurisdiction (audited as authz_denied when it exists).
  Result<std::vector<Pair>> List(const auth::Principal& who, const std::string& status,
                                 std::int64_t after, int limit, PairCounts* counts);
  Result<Pair> Get(const auth::Principal& who, std::int64_t id);
  // Errors also: kFailedPrecondition when the pair is decided, a file was merged meanwhile,
  // both files are under a current measure, or the kept file changed meanwhile.
  Result<MergeResult> Merge(const auth::Principal& who, std::int64_t pair_id,
                            const MergeChoice& choice);
  Result<Pair> KeepApart(const auth::Principal& who, std::int64_t pair_id,
                         const std::string& reason);
  // Two files the caller says are one person: queued (or re-opened), and the pair's id returned.
  Result<std::int64_t> Report(const auth::Principal& who, std::int64_t a, std::int64_t b,
                              const std::string& reason);
  Result<ScanResult> Scan(const auth::Principal& who);
  Result<std::vector<duplicates::Merge>> MergesOf(const auth::Principal& who,
                                                  std::int64_t person_id);
  // Errors also: kFailedPrecondition when already undone or the kept file changed since.
  Result<std::vector<std::int64_t>> Undo(const auth::Principal& who, std::int64_t merge_id,
                                         const std::string& reason);

 private:
  std::int64_t Now() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
};

}  // namespace cordon::duplicates
