// Use cases of control measures: put a person under the measure their category's plan sets,
// record tests, extend, release (chaining to the plan's next step), cancel, transfer, and
// re-classify to a stronger category. Each write is one transaction with its audit row.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "measures/model.h"
#include "measures/rules.h"
#include "regions/breakdown.h"
#include "store/database.h"

namespace cordon::measures {

class MeasureService {
 public:
  MeasureService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                 base::UtcOffset offset)
      : db_(db), audit_(audit), clock_(clock), offset_(offset) {}

  Result<Profile> CurrentProfile(const auth::Principal& who);

  // The first step of the category's plan under the current profile, from `start_date`
  // (YYYY-MM-DD; empty: today; up to 60 days back for back-entry, up to 30 ahead: planned).
  // Errors: kNotFound for a person outside the jurisdiction (audited); kInvalidArgument naming
  // the field; kFailedPrecondition when the person already has a current measure.
  Result<Measure> Create(const auth::Principal& who, std::int64_t person_id,
                         std::string_view category, std::string_view start_date,
                         std::string_view place);
  // Re-classifies to a stronger category: the current measure becomes escalated and the new
  // plan starts today, linked to it. Without a current measure this is Create.
  // Errors also: kFailedPrecondition when the category is not stronger.
  Result<Measure> Classify(const auth::Principal& who, std::int64_t person_id,
                           std::string_view category, std::string_view reason);
  // Inside the caller's write transaction (a use case of another capability that has checked
  // the caller's rights and jurisdiction): puts the person under the first step of the
  // category's plan from today, escalating a current measure of a weaker category, or does
  // nothing when the current measure's category is as strong or stronger. Audited here.
  // Returns the new measure's id, or 0 when nothing changed. Errors: kInvalidArgument for a
  // category without a plan; kNotFound for a person without a place.
  Result<std::int64_t> PutUnder(store::Session& s, const auth::Principal& who,
                                std::int64_t person_id, std::string_view category,
                                std::string_view reason);
  // Records a test day's result (negative or positive) on a running measure, up to today.
  Result<Measure> RecordTest(const auth::Principal& who, std::int64_t id, int day,
                             std::string_view result);

  struct Transitioned {
    Measure measure;
    std::int64_t next_id = 0;  // the plan's next step, opened by a release
  };
  // start | extend (days 1-14, reason) | release (only when nothing is missing: the error's
  // details list what is) | cancel (reason) | transfer (reason).
  Result<Transitioned> Transition(const auth::Principal& who, std::int64_t id,
                                  std::string_view action, int days, std::string_view reason);

  Result<Measure> Get(const auth::Principal& who, std::int64_t id);
  // Current measures per child of `region` (default: the caller's own node), by measure and by
  // category, with releases due; rows placed on the node itself count as its own part
  // (待分配). Exact counts, no personal data. Errors: kNotFound outside the jurisdiction.
  struct Summary {
    regions::Breakdown breakdown;
    std::vector<MeasureTally> children;  // in breakdown.children order
    MeasureTally own, totals;
  };
  Result<Summary> Summarize(const auth::Principal& who, std::string_view region);
  Result<std::vector<Measure>> List(const auth::Principal& who, const MeasureQuery& q,
                                    MeasureCounts* counts);

  // Every measure of the list `q` (no paging) as cells for an export, in the list's order: read
  // in pages of 1,000 in one transaction, so the file is one consistent picture. Name and ID
  // number masked unless `unmasked`. Not audited here: the exports service audits the file.
  // Errors as List; the first error `row` returns.
  Status ExportRows(const auth::Principal& who, const MeasureQuery& q, bool unmasked,
                    const std::function<Status(const std::vector<std::string>&)>& row);
  // Checks an export's filter: the right to read measures, the state, and the region. Returns
  // the region's path. Errors: kNotFound for a region outside the jurisdiction (audited).
  Result<std::string> ExportScope(const auth::Principal& who, const MeasureQuery& q);

  std::chrono::year_month_day Today() const { return base::LocalDate(clock_.Now(), offset_); }
  base::UtcOffset offset() const { return offset_; }

 private:
  std::int64_t Now() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
};

}  // namespace cordon::measures
