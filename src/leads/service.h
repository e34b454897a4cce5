// Use cases of lead intake: import a list, see and check the tasks it made.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "leads/model.h"
#include "regions/breakdown.h"
#include "store/database.h"

namespace cordon::leads {

// A lead about a person on file that an investigation found (a case's contacts), for
// AddPersonLead.
struct PersonLead {
  std::int64_t person_id = 0;
  std::string category;  // close_contact, secondary_contact, …
  std::string origin;    // what found the person, part of the lead's key ("病例 123")
  std::int64_t reported_at = 0;
};
struct PersonLeadAdded {
  std::int64_t lead_id = 0;  // the new lead, or the one recorded before under the same key
  std::int64_t task_id = 0;  // the person's open task (0 for a repeat whose task was checked)
  bool new_lead = false;     // false: the same lead was recorded before; nothing changed
  bool new_task = false;     // true: no task was open, one was opened in the person's grid
};
// Records a lead about person `lead.person_id` inside the caller's write transaction, as a row
// of a list would be: keyed by source, the person's document, category, origin and report time
// (the same lead again changes nothing), joined to the person's one open task, raising its
// category, or opening one in the person's grid, due at `due_at`. The caller audits.
// Errors: kNotFound for no such person; kFailedPrecondition for a merged or unplaced file.
Result<PersonLeadAdded> AddPersonLead(store::Session& s, std::string_view source,
                                      const PersonLead& lead, std::int64_t now,
                                      std::int64_t due_at);

class LeadService {
 public:
  // `check_within_seconds`: how long a grid has to visit or call (default 24 h, issue #3).
  LeadService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
              base::UtcOffset offset, std::int64_t check_within_seconds = 24 * 3600);

  // Imports a CSV list of leads from `source` in one transaction: every valid row becomes a lead
  // matched to a person file (by ID number, else by name and phone; a new file when the ID is
  // unknown), and joins that person's open task or opens one, routed to the person's grid (by
  // the building of the address for a new person; else the importer's own region, flagged
  // unrouted). Rejected rows change nothing and are reported with the field and the reason.
  // The same bytes imported again change nothing and return the first report, marked
  // already_imported; a row already imported from another file is reported merged.
  // Errors (nothing written): kPermissionDenied; kInvalidArgument for an unknown source, a file
  // that is not readable CSV (line named) or lacks the identifying columns; kResourceExhausted
  // over 200,000 rows.
  Result<ImportReport> Import(const auth::Principal& who, std::string_view source,
                              std::string_view file_name, std::string_view bytes);
  // An arrival's own report (主动报备) from the public form, with no account. Every field is
  // required but the risk level and the note; the ID number identifies the person, the address
  // routes the lead to its grid. Answers only a receipt number: nothing is read back.
  // Errors (nothing written): kInvalidArgument naming the field.
  struct SelfReportForm {
    std::string name, id_number, phone, address, origin, arrival_date, risk, note;
  };
  Result<std::string> SelfReport(const SelfReportForm& form, std::string_view ip,
                                 std::string_view request_id);

  // A stored report. Errors: kNotFound.
  Result<ImportReport> Report(const auth::Principal& who, std::int64_t import_id);

  // Open tasks per child of `region` (default: the caller's own node): open, overdue, unrouted,
  // by category; tasks placed on the node itself (待分配) are its own part. Exact counts, no
  // personal data. Errors: kNotFound outside the jurisdiction.
  struct TaskSummary {
    regions::Breakdown breakdown;
    std::vector<TaskCounts> children;  // in breakdown.children order
    TaskCounts own, totals;
  };
  Result<TaskSummary> Summarize(const auth::Principal& who, std::string_view region);

  // The work list inside the caller's jurisdiction (or `q.region` inside it), keyset-paged by
  // task id, with the counts of open, overdue and unrouted tasks there. Audited as a read.
  Result<std::vector<Task>> Tasks(const auth::Principal& who, const TaskQuery& q,
                                  TaskCounts* counts);
  // Records that the task's person was visited or called. Errors: kNotFound outside the
  // jurisdiction; kFailedPrecondition when already checked; kInvalidArgument for the method.
  Result<Task> Check(const auth::Principal& who, std::int64_t task_id, std::string_view method,
                     std::string_view note);

  std::int64_t Now() const;
  base::UtcOffset offset() const { return offset_; }
  // How long a grid has to check a new task.
  std::int64_t check_within_seconds() const { return check_within_seconds_; }

 private:
  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
  std::int64_t check_within_seconds_;
};

}  // namespace cordon::leads
