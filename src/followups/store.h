// SQL of follow-ups and alerts. Every read takes the caller's subtree as a range.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "followups/model.h"
#include "store/database.h"

namespace cordon::followups {

Result<std::string> FollowupTimes(store::Session& s);  // of the current profile

// Running measures with follow-ups in `scope`, with what is recorded on `date`.
Result<std::vector<DueItem>> DueOn(store::Session& s, const auth::PathRange& scope,
                                   const std::string& date);
// A running measure with follow-ups, in scope.
// Fills each item's `today` with the follow-ups recorded on `date`.
Status FillToday(store::Session& s, std::vector<DueItem>& items, const std::string& date);
Result<std::optional<DueItem>> DueItemInScope(store::Session& s, std::int64_t measure_id,
                                              const auth::PathRange& scope);
// False when the slot is already recorded.
// Personal self-report links: a new one revokes the measure's earlier ones.
Status InsertLink(store::Session& s, std::int64_t measure_id, const std::string& token_hash,
                  const std::string& by, std::int64_t now);
struct LinkTarget {
  std::int64_t measure_id = 0;
  std::string region_path;  // the measure's
};
// The measure of a live (not revoked) link, whatever the measure's state.
Result<std::optional<LinkTarget>> LinkByHash(store::Session& s, const std::string& token_hash);
Result<bool> InsertFollowup(store::Session& s, const Followup& f, const std::string& region_path);
Result<std::int64_t> InsertAlert(store::Session& s, const DueItem& item, const std::string& kind,
                                 const std::string& cause, const std::string& detail,
                                 std::int64_t now);
// Closes the open alert of `cause`, if any (a missed follow-up recorded late).
Status CloseByCause(store::Session& s, const std::string& cause, const std::string& by,
                    const std::string& outcome, std::int64_t now);
// Raises "missed" alerts for slot `slot` of `date` city-wide. Returns how many were raised.
Result<std::int64_t> RaiseMissed(store::Session& s, const std::string& date, int slot,
                                 const std::string& detail, std::int64_t now);

Result<std::vector<Alert>> ListAlerts(store::Session& s, const auth::PathRange& scope,
                                      const AlertQuery& q);
Result<std::vector<std::pair<std::string, std::int64_t>>> OpenAlertsByKind(
    store::Session& s, const auth::PathRange& scope);
Result<std::optional<Alert>> AlertInScope(store::Session& s, std::int64_t id,
                                          const auth::PathRange& scope);
Result<bool> CloseAlert(store::Session& s, std::int64_t id, const std::string& by,
                        const std::string& outcome, std::int64_t now);

}  // namespace cordon::followups
