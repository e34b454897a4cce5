// Use cases of cases (病例): report and edit a case (which also puts the person under the
// measure of the case's category), keep its investigation record, link who infected whom, group
// cases into clusters, draw a cluster's chain, the epidemic curve and the timeliness clock, and
// list the contacts found for a case as leads. Each write is one transaction with its audit row.
//
// Jurisdiction: a case is read through its own region_path; one outside the caller's subtree is
// answered kNotFound, like one that does not exist, and the attempt is audited.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "cases/model.h"
#include "leads/service.h"
#include "measures/service.h"
#include "store/database.h"

namespace cordon::cases {

class CaseService {
 public:
  CaseService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
              base::UtcOffset offset, leads::LeadService& leads, measures::MeasureService& measures)
      : db_(db),
        audit_(audit),
        clock_(clock),
        offset_(offset),
        leads_(leads),
        measures_(measures) {}

  // The person's case; the person is put under the category's plan (hospital) unless already
  // under it or a stronger one. Errors: kNotFound for a person outside the jurisdiction;
  // kInvalidArgument naming the field; kAlreadyExists when the person has an open case.
  Result<Case> Create(const auth::Principal& who, const CaseInput& in);
  // Edits a case at `patch.version`. A stronger classification escalates the measure.
  // Errors also: kFailedPrecondition for a stale version.
  Result<Case> Update(const auth::Principal& who, std::int64_t id, const CasePatch& patch);
  Result<Case> Get(const auth::Principal& who, std::int64_t id);
  // A page of cases, newest positive result first; late_only keeps those with a late leg.
  Result<std::vector<Case>> List(const auth::Principal& who, const CaseQuery& q);

  struct Detail {
    Case c;
    std::vector<Entry> entries;
    std::vector<Exposure> exposures;
  };
  Result<Detail> GetDetail(const auth::Principal& who, std::int64_t id);

  // The investigation record. Entries belong to a case in the caller's jurisdiction.
  Result<std::vector<Entry>> Entries(const auth::Principal& who, std::int64_t case_id);
  Result<Entry> AddEntry(const auth::Principal& who, std::int64_t case_id, const EntryInput& in);
  // Errors also: kFailedPrecondition for a stale version.
  Result<Entry> UpdateEntry(const auth::Principal& who, std::int64_t case_id, std::int64_t entry_id,
                            const EntryInput& in);
  Status DeleteEntry(const auth::Principal& who, std::int64_t case_id, std::int64_t entry_id);
  // The 流调报告 as a printable HTML page in Chinese, masked as exports are (security.md E2),
  // with the exporter and time at its foot. Audited with the case id.
  Result<std::string> ExportHtml(const auth::Principal& who, std::int64_t case_id);

  // Who infected whom. One of the two people must be in the caller's jurisdiction.
  // Errors: kInvalidArgument naming the field (a self-loop names target_person_id);
  // kAlreadyExists for the same pair again; kFailedPrecondition with the loop's people in the
  // details (field "cycle") when the link would close a loop (IsLoop tells it apart).
  Result<Exposure> AddExposure(const auth::Principal& who, const ExposureInput& in);
  Status DeleteExposure(const auth::Principal& who, std::int64_t id);
  static bool IsLoop(const Status& status);

  Result<std::vector<Cluster>> Clusters(const auth::Principal& who);
  // A cluster placed on `region` (inside the caller's jurisdiction).
  Result<Cluster> AddCluster(const auth::Principal& who, std::string_view name,
                             std::string_view region);
  Result<Cluster> RenameCluster(const auth::Principal& who, std::int64_t id, std::string_view name);
  Result<Graph> ClusterGraph(const auth::Principal& who, std::int64_t id);

  // Counts per day from `from` to `to` (YYYY-MM-DD; default the last 28 days), by onset date or
  // by report date, in `region` (default the caller's jurisdiction).
  Result<Curve> EpiCurve(const auth::Principal& who, std::string_view by, std::string_view region,
                         std::string_view from, std::string_view to);

  struct ClockBoard {
    ClockTargets targets;
    std::vector<Case> cases;  // the last `days` days, newest first, at most 1,000
    std::int64_t late = 0;
  };
  Result<ClockBoard> ClockOfCases(const auth::Principal& who, std::string_view region, int days);

  // Lists the contacts the trace module found for a case (POST /cases/{id}/contacts): each
  // becomes a lead (close_contact for degree 1, secondary_contact for 2) through the lead
  // registry, so a person already reported joins their open task; a row of case_contacts; and
  // the case's contacts_listed_at is set at the first listing. Idempotent: a contact listed for
  // the case before at the same or a closer degree changes nothing. One transaction, audited.
  // Errors: kPermissionDenied; kNotFound for a case outside the jurisdiction; kInvalidArgument
  // for a degree other than 1 or 2, or an unknown person (naming contacts[i]).
  Result<ContactsRecorded> RecordContacts(const auth::Principal& who, std::int64_t case_id,
                                          const std::vector<ListedContact>& contacts);

  std::int64_t Now() const;
  std::chrono::year_month_day Today() const { return base::LocalDate(clock_.Now(), offset_); }
  base::UtcOffset offset() const { return offset_; }

 private:
  Status Denied(const auth::Principal& who, std::string_view type, std::int64_t id,
                std::string_view message);

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
  leads::LeadService& leads_;
  measures::MeasureService& measures_;
};

}  // namespace cordon::cases
