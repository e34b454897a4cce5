// The retention job (security.md F1, F2): deletes, physically and in batches, every record past
// its kind's period, each with an `auto_delete` audit row holding its id only, then scrubs the
// database files. Periods are settings of the administrator; the audit trail is never deleted
// (C3).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "retention/model.h"
#include "store/database.h"

namespace cordon::retention {

class RetentionService {
 public:
  RetentionService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  // Every policy with the number of records past due now. Error: kPermissionDenied without the
  // retention right.
  Result<std::vector<RetentionPolicy>> Policies(const auth::Principal& who);
  // Sets a kind's period (1 to 3650 days), audited. Errors: kPermissionDenied; kNotFound for an
  // unknown kind; kInvalidArgument naming `days`.
  Result<RetentionPolicy> SetPolicy(const auth::Principal& who, std::string_view entity, int days);
  // Deletes what is past due now, as `who` (an administrator's "run now"). The run is recorded
  // whatever its outcome; a failed batch leaves its records whole (one transaction each).
  Result<RetentionRun> Run(const auth::Principal& who);
  // The same, as the background job, the command line or the start-up pass.
  Result<RetentionRun> RunJob();
  // The latest runs, newest first.
  Result<std::vector<RetentionRun>> Runs(const auth::Principal& who, int limit);

  // Records deleted per transaction: small enough that a run never holds the writer long.
  static constexpr int kBatch = 500;

 private:
  Result<RetentionRun> RunAs(const auth::Principal& who);
  std::int64_t Now() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
};

}  // namespace cordon::retention
