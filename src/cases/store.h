// SQL of cases. Every read of a case takes the caller's subtree as a range on the case's own
// region_path; the clock's "contacts under control" time is computed in the same statement, so
// a page of cases is a fixed number of queries however long it is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "cases/model.h"
#include "cases/rules.h"
#include "store/database.h"

namespace cordon::cases {

Result<ClockTargets> CurrentTargets(store::Session& s);

// A person on file, with their placement; in_scope tells whether `scope` holds them.
struct PersonRef {
  std::int64_t id = 0;
  std::string name;
  std::string region_code, region_path;  // empty for a merged file's tombstone
  bool in_scope = false;
};
Result<std::optional<PersonRef>> FindPerson(store::Session& s, std::int64_t id,
                                            const auth::PathRange& scope);
Result<bool> VenueExists(store::Session& s, const std::string& code);

// Cases, with the person, region, cluster, counts of contacts and the controlled time.
Result<std::optional<Case>> CaseInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope);
// The clock's filter needs `now` and the targets.
Result<std::vector<Case>> ListCases(store::Session& s, const auth::PathRange& scope,
                                    const CaseQuery& q, const ClockTargets& targets,
                                    std::int64_t now);
// Cases of the last days (positive_at >= since), newest first, at most `limit`; not excluded.
Result<std::vector<Case>> RecentCases(store::Session& s, const auth::PathRange& scope,
                                      std::int64_t since, int limit);
// The id of the person's open case, or 0.
Result<std::int64_t> OpenCaseOf(store::Session& s, std::int64_t person_id);
Result<std::int64_t> InsertCase(store::Session& s, const Case& c, std::int64_t now);
// Writes the editable fields when the row is still at `c.version`; false when it is not.
Result<bool> UpdateCase(store::Session& s, const Case& c, std::int64_t now);

// Clusters visible to a jurisdiction: those whose region lies inside it, and those whose
// region holds it (a district's cluster, seen from one of its grids).
struct ClusterScope {
  auth::PathRange inside;
  std::vector<std::string> holding;  // the jurisdiction's path and each ancestor's
};
ClusterScope ClusterScopeOf(const std::string& jurisdiction_path);
Result<std::optional<Cluster>> ClusterInScope(store::Session& s, std::int64_t id,
                                              const ClusterScope& scope,
                                              const auth::PathRange& cases_scope);
Result<std::vector<Cluster>> ListClusters(store::Session& s, const ClusterScope& scope,
                                          const auth::PathRange& cases_scope);
Result<std::int64_t> InsertCluster(store::Session& s, const std::string& name,
                                   const std::string& region_code, const std::string& region_path,
                                   const std::string& by, std::int64_t now);
Status RenameCluster(store::Session& s, std::int64_t id, const std::string& name);
// The region's path, or empty when there is no such region.
Result<std::string> RegionPath(store::Session& s, const std::string& code);

// Investigation entries (not deleted), in time order.
Result<std::vector<Entry>> ListEntries(store::Session& s, std::int64_t case_id);
Result<std::optional<Entry>> EntryOf(store::Session& s, std::int64_t case_id,
                                     std::int64_t entry_id);
Result<std::int64_t> InsertEntry(store::Session& s, std::int64_t case_id, const EntryInput& in,
                                 const std::string& author, std::int64_t now);
// False when the entry is not at `in.version` (or gone).
Result<bool> UpdateEntry(store::Session& s, std::int64_t entry_id, const EntryInput& in,
                         const std::string& author, std::int64_t now);
Status DeleteEntry(store::Session& s, std::int64_t entry_id, const std::string& by,
                   std::int64_t now);

// Exposures.
Result<std::optional<Exposure>> ExposureById(store::Session& s, std::int64_t id);
Result<bool> ExposureExists(store::Session& s, std::int64_t source, std::int64_t target);
// Every link reachable from `from` along the direction of infection.
Result<std::vector<Link>> LinksReachableFrom(store::Session& s, std::int64_t from);
Result<std::int64_t> InsertExposure(store::Session& s, const ExposureInput& in,
                                    const std::string& by, std::int64_t now);
Status DeleteExposure(store::Session& s, std::int64_t id);
// Exposures with the person as source or target.
Result<std::vector<Exposure>> ExposuresOf(store::Session& s, std::int64_t person_id);

// A cluster's chain graph; nodes outside `scope` are marked so, without identifying fields.
Result<Graph> ClusterGraph(store::Session& s, std::int64_t cluster_id,
                           const auth::PathRange& scope);

// Counts per day for the epidemic curve, over [from, to] (local dates), by onset date or by
// the local date of the report (the positive result when not reported yet).
Result<Curve> CurveCounts(store::Session& s, const auth::PathRange& scope, const std::string& by,
                          std::chrono::year_month_day from, std::chrono::year_month_day to,
                          base::UtcOffset offset);

// Contacts of a case.
Result<std::optional<int>> ListedDegree(store::Session& s, std::int64_t case_id,
                                        std::int64_t person_id);
Status SaveContact(store::Session& s, std::int64_t case_id, const ListedContact& contact,
                   std::int64_t lead_id, std::int64_t now);
// Sets contacts_listed_at unless it is set already. The version stays: listing is not an edit
// of the case, and must not turn an investigator's open form stale.
Status MarkListed(store::Session& s, std::int64_t case_id, std::int64_t now);

}  // namespace cordon::cases
