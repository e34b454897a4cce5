// A person's timeline (一人一档 history): every lead, task, measure step, test, follow-up and
// alert about them, newest first, each with who did it. A read across the capabilities' tables;
// it writes nothing but its audit row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "store/database.h"

namespace cordon::timeline {

struct Entry {
  std::int64_t at = 0;
  std::string
      kind;  // lead, task_opened, task_checked, measure, test, followup, alert, alert_closed, file
  std::string title;     // Chinese, what happened
  std::string detail;    // the particulars (category, state change, temperature, reason…)
  std::string by;        // who; "" for the system
  std::int64_t ref = 0;  // the lead, task, measure or alert it belongs to
};

class TimelineService {
 public:
  TimelineService(store::Database& db, auth::AuditLog& audit) : db_(db), audit_(audit) {}

  // Errors: kPermissionDenied; kNotFound for a person outside the jurisdiction (audited, and
  // answered like a missing one).
  Result<std::vector<Entry>> Of(const auth::Principal& who, std::int64_t person_id);

 private:
  store::Database& db_;
  auth::AuditLog& audit_;
};

}  // namespace cordon::timeline
