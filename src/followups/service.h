// Use cases of follow-ups: today's work list, recording a follow-up (which may raise an alert),
// the alerts and their closing, and the sweep that raises alerts for missed follow-ups.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/rules.h"
#include "base/local_time.h"
#include "followups/model.h"
#include "store/database.h"

namespace cordon::followups {

class FollowupService {
 public:
  FollowupService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                  base::UtcOffset offset)
      : db_(db), audit_(audit), clock_(clock), offset_(offset) {}

  struct TodayList {
    std::string date;
    std::vector<int> times;  // minutes after midnight
    std::vector<DueItem> items;
    int due = 0;   // slots whose time has passed with nothing recorded
    int done = 0;  // slots recorded
    std::int64_t alerts_open = 0;
  };
  // The follow-ups of today for the caller's jurisdiction (or `region` in it). Audited read.
  Result<TodayList> Today(const auth::Principal& who, std::string_view region);

  struct Recorded {
    Followup followup;
    std::optional<Alert> alert;
  };
  // Records slot `slot` of today for a running measure. Errors (nothing written): kNotFound
  // outside the jurisdiction; kInvalidArgument naming the field; kFailedPrecondition when the
  // slot is already recorded.
  Result<Recorded> Record(const auth::Principal& who, std::int64_t measure_id, int slot,
                          std::string_view outcome, std::optional<double> temperature,
                          std::string_view symptoms, std::string_view note);

  // A personal self-report link for a running measure with follow-ups: the token, shown once
  // (only its hash is kept); an earlier link of the measure stops working. Audited.
  // Errors: kNotFound outside the jurisdiction or when the measure has no follow-ups running.
  Result<std::string> IssueLink(const auth::Principal& who, std::int64_t measure_id);

  // What the person's own page shows: no more than a masked name, the date, the measure and
  // which of today's slots are recorded. Errors: kNotFound for an unknown, revoked or finished
  // link (one answer for all three).
  struct SelfView {
    std::string name;  // masked by the routes
    std::string measure, date;
    std::vector<int> times;
    std::vector<Followup> today;
    int followups_per_day = 0;
    int current_slot = 0;
  };
  Result<SelfView> SelfStatus(std::string_view token);
  // The person's own report for the current slot (the latest whose time has come; the first
  // before it). Raises alerts as a grid worker's record does. Errors: kNotFound as above;
  // kInvalidArgument naming the field; kFailedPrecondition when the slot is recorded.
  Result<Recorded> SelfRecord(std::string_view token, std::optional<double> temperature,
                              std::string_view symptoms, std::string_view note,
                              const std::string& ip, const std::string& request_id);

  Result<std::vector<Alert>> Alerts(const auth::Principal& who, const AlertQuery& q,
                                    std::vector<std::pair<std::string, std::int64_t>>* open);
  // Errors: kNotFound; kFailedPrecondition when already closed; kInvalidArgument (outcome).
  Result<Alert> Close(const auth::Principal& who, std::int64_t id, std::string_view outcome);

  // Raises a "missed" alert, city-wide, for each slot of today whose time is more than two
  // hours past with nothing recorded. Idempotent. Returns how many alerts it raised.
  Result<std::int64_t> SweepMissed();

  std::int64_t Now() const;
  base::UtcOffset offset() const { return offset_; }

 private:
  int MinutesOfDay() const;
  // Records inside `scope`; slot 0 means the current slot. The body of Record and SelfRecord.
  Result<Recorded> RecordIn(const auth::Principal& who, const auth::PathRange& scope,
                            std::int64_t measure_id, int slot, std::string_view outcome,
                            std::optional<double> temperature, std::string_view symptoms,
                            std::string_view note, std::string_view source);
  std::string DateToday() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
};

}  // namespace cordon::followups
