#include "cases/store.h"

#include <set>

namespace cordon::cases {
namespace {

// When every close contact listed for case `c` was under a running measure: per contact, the
// earliest time one of their measures became active or extended (after the case's look-back
// start, or still running, so that a measure from an older episode does not count); then the
// latest over the contacts. NULL until every one is, and until the contacts are listed; a case
// listed with no close contacts is under control from the listing.
constexpr std::string_view kControlledAt =
    "CASE WHEN c.contacts_listed_at IS NULL THEN NULL ELSE ("
    "SELECT CASE WHEN COUNT(*) = 0 THEN c.contacts_listed_at "
    "WHEN COUNT(t.ctl_at) = COUNT(*) THEN MAX(t.ctl_at) END FROM ("
    "SELECT (SELECT MIN(e.at) FROM measures m JOIN measure_events e ON e.measure_id = m.id "
    "WHERE m.person_id = cc.person_id AND e.to_state IN ('active', 'extended') "
    "AND (e.at >= c.lookback_from OR m.state IN ('active', 'extended'))) AS ctl_at "
    "FROM case_contacts cc WHERE cc.case_id = c.id AND cc.degree = 1) t) END";

std::string CaseSelect() {
  return "SELECT c.id AS id, c.person_id AS person_id, p.name AS person_name, "
         "p.id_number_masked AS id_number, p.sex AS sex, p.birth_date AS birth_date, "
         "c.region_code AS region_code, r.name AS region_name, c.region_path AS region_path, "
         "c.classification AS classification, c.positive_at AS positive_at, "
         "c.sampling_at AS sampling_at, c.onset_date AS onset_date, c.reported_at AS reported_at, "
         "c.hospital AS hospital, c.outcome AS outcome, c.cluster_id AS cluster_id, "
         "cl.name AS cluster_name, c.lookback_from AS lookback_from, "
         "c.contacts_listed_at AS contacts_listed_at, " +
         std::string(kControlledAt) +
         " AS controlled_at, c.version AS version, c.created_at AS created_at, "
         "c.updated_at AS updated_at, c.created_by AS created_by "
         "FROM cases c JOIN people p ON p.id = c.person_id "
         "JOIN regions r ON r.code = c.region_code "
         "LEFT JOIN clusters cl ON cl.id = c.cluster_id";
}

std::int64_t IntOr0(const store::Row& row, int i) { return row.IsNull(i) ? 0 : row.Int(i); }
std::string TextOrEmpty(const store::Row& row, int i) { return row.IsNull(i) ? "" : row.Text(i); }

Case ReadCase(const store::Row& row) {
  Case c;
  c.id = row.Int(0);
  c.person_id = row.Int(1);
  c.name = row.Text(2);
  c.id_number = row.Text(3);
  c.sex = row.Text(4);
  c.birth_date = row.Text(5);
  c.region_code = row.Text(6);
  c.region_name = row.Text(7);
  c.region_path = row.Text(8);
  c.classification = row.Text(9);
  c.positive_at = row.Int(10);
  c.sampling_at = IntOr0(row, 11);
  c.onset_date = TextOrEmpty(row, 12);
  c.reported_at = IntOr0(row, 13);
  c.hospital = row.Text(14);
  c.outcome = row.Text(15);
  c.cluster_id = IntOr0(row, 16);
  c.cluster_name = TextOrEmpty(row, 17);
  c.lookback_from = row.Int(18);
  c.contacts_listed_at = IntOr0(row, 19);
  c.contacts_controlled_at = IntOr0(row, 20);
  c.version = row.Int(21);
  c.created_at = row.Int(22);
  c.updated_at = row.Int(23);
  c.created_by = row.Text(24);
  return c;
}

store::Value Nullable(std::int64_t v) { return v == 0 ? store::Value{} : store::Value{v}; }
store::Value Nullable(const std::string& v) { return v.empty() ? store::Value{} : store::Value{v}; }
template <typename T>
store::Value Nullable(const std::optional<T>& v) {
  return v.has_value() ? Nullable(*v) : store::Value{};
}

// "?, ?, ?" for the ids, appended to `params`.
std::string Placeholders(const std::vector<std::int64_t>& ids, store::Params& params) {
  std::string out;
  for (std::int64_t id : ids) {
    out += out.empty() ? "?" : ", ?";
    params.emplace_back(id);
  }
  return out;
}

// The counts of close and secondary contacts of every case in `list`, in one query.
Status FillCounts(store::Session& s, std::vector<Case>& list) {
  if (list.empty()) {
    return Status::Ok();
  }
  std::map<std::int64_t, Case*> by_id;
  std::vector<std::int64_t> ids;
  for (Case& c : list) {
    by_id[c.id] = &c;
    ids.push_back(c.id);
  }
  store::Params params;
  const std::string in = Placeholders(ids, params);
  return s.Query("SELECT case_id, degree, COUNT(*) FROM case_contacts WHERE case_id IN (" + in +
                     ") GROUP BY case_id, degree",
                 params, [&](const store::Row& row) {
                   Case* c = by_id.at(row.Int(0));
                   (row.Int(1) == 1 ? c->close_contacts : c->secondary_contacts) = row.Int(2);
                   return Status::Ok();
                 });
}

Result<std::vector<Case>> QueryCases(store::Session& s, const std::string& sql,
                                     const store::Params& params) {
  std::vector<Case> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(ReadCase(row));
    return Status::Ok();
  }));
  CORDON_RETURN_IF_ERROR(FillCounts(s, out));
  return out;
}

constexpr std::string_view kEntrySelect =
    "SELECT e.id, e.case_id, e.at, e.until_at, e.kind, e.venue_code, v.name, e.person_id, "
    "p.name, e.place, e.body, e.author, e.updated_at, e.version FROM case_investigation e "
    "LEFT JOIN venues v ON v.code = e.venue_code LEFT JOIN people p ON p.id = e.person_id ";

Entry ReadEntry(const store::Row& row) {
  Entry e;
  e.id = row.Int(0);
  e.case_id = row.Int(1);
  e.at = row.Int(2);
  e.until = IntOr0(row, 3);
  e.kind = row.Text(4);
  e.venue_code = TextOrEmpty(row, 5);
  e.venue_name = TextOrEmpty(row, 6);
  e.person_id = IntOr0(row, 7);
  e.person_name = TextOrEmpty(row, 8);
  e.place = row.Text(9);
  e.text = row.Text(10);
  e.author = row.Text(11);
  e.updated_at = row.Int(12);
  e.version = row.Int(13);
  return e;
}

constexpr std::string_view kExposureSelect =
    "SELECT e.id, e.source_person_id, e.target_person_id, e.kind, e.at, e.venue_code, v.name, "
    "e.note, e.created_at, e.created_by, ps.name, ps.region_path, pt.name, pt.region_path "
    "FROM exposures e LEFT JOIN venues v ON v.code = e.venue_code "
    "JOIN people ps ON ps.id = e.source_person_id JOIN people pt ON pt.id = e.target_person_id ";

Exposure ReadExposure(const store::Row& row) {
  Exposure e;
  e.id = row.Int(0);
  e.source_person_id = row.Int(1);
  e.target_person_id = row.Int(2);
  e.kind = row.Text(3);
  e.at = IntOr0(row, 4);
  e.venue_code = TextOrEmpty(row, 5);
  e.venue_name = TextOrEmpty(row, 6);
  e.note = row.Text(7);
  e.created_at = row.Int(8);
  e.created_by = row.Text(9);
  e.source_name = row.Text(10);
  e.source_path = TextOrEmpty(row, 11);
  e.target_name = row.Text(12);
  e.target_path = TextOrEmpty(row, 13);
  return e;
}

// Unix seconds of 00:00 local on `date`.
std::int64_t LocalMidnight(std::chrono::year_month_day date, base::UtcOffset offset) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::sys_days(date) - offset.minutes).time_since_epoch())
      .count();
}

// The second code of a region path ("/city/district/…/"): the district. Empty when there is none.
std::string DistrictCode(const std::string& path) {
  const auto first = path.find('/', 1);
  const auto second = first == std::string::npos ? first : path.find('/', first + 1);
  return second == std::string::npos ? std::string() : path.substr(first + 1, second - first - 1);
}

void AddTo(CurveDay& day, const std::string& classification, std::int64_t n) {
  if (classification == "confirmed") {
    day.confirmed += n;
  } else if (classification == "asymptomatic") {
    day.asymptomatic += n;
  } else {
    day.suspected += n;
  }
}

}  // namespace

Result<ClockTargets> CurrentTargets(store::Session& s) {
  ClockTargets t;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT reported_hours, listed_hours, controlled_hours FROM profiles "
              "ORDER BY version DESC LIMIT 1",
              {}, [&](const store::Row& row) {
                t.reported_hours = static_cast<int>(row.Int(0));
                t.listed_hours = static_cast<int>(row.Int(1));
                t.controlled_hours = static_cast<int>(row.Int(2));
                return Status::Ok();
              }));
  return t;
}

Result<std::optional<PersonRef>> FindPerson(store::Session& s, std::int64_t id,
                                            const auth::PathRange& scope) {
  std::optional<PersonRef> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id, name, region_code, region_path FROM people WHERE id = ?", {id},
      [&](const store::Row& row) {
        out = PersonRef{row.Int(0), row.Text(1), TextOrEmpty(row, 2), TextOrEmpty(row, 3), false};
        out->in_scope = !out->region_path.empty() && out->region_path >= scope.lo &&
                        out->region_path < scope.hi;
        return Status::Ok();
      }));
  return out;
}

Result<bool> VenueExists(store::Session& s, const std::string& code) {
  CORDON_ASSIGN_OR_RETURN(std::int64_t n,
                          s.QueryInt("SELECT COUNT(*) FROM venues WHERE code = ?", {code}));
  return n > 0;
}

Result<std::optional<Case>> CaseInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope) {
  CORDON_ASSIGN_OR_RETURN(
      auto list,
      QueryCases(s, CaseSelect() + " WHERE c.id = ? AND c.region_path >= ? AND c.region_path < ?",
                 {id, scope.lo, scope.hi}));
  if (list.empty()) {
    return std::optional<Case>();
  }
  return std::optional<Case>(std::move(list.front()));
}

Result<std::vector<Case>> ListCases(store::Session& s, const auth::PathRange& scope,
                                    const CaseQuery& q, const ClockTargets& targets,
                                    std::int64_t now) {
  std::string inner = CaseSelect() + " WHERE c.region_path >= ? AND c.region_path < ?";
  store::Params params{scope.lo, scope.hi};
  if (!q.classification.empty()) {
    inner += " AND c.classification = ?";
    params.emplace_back(q.classification);
  }
  if (q.cluster_id != 0) {
    inner += " AND c.cluster_id = ?";
    params.emplace_back(q.cluster_id);
  }
  std::string sql = "SELECT * FROM (" + inner + ") x WHERE 1 = 1";
  if (q.after_id != 0) {
    sql += " AND (x.positive_at, x.id) < (?, ?)";
    params.emplace_back(q.after_positive_at);
    params.emplace_back(q.after_id);
  }
  if (q.late_only) {
    // A leg is late exactly when its time, or now while it is not done, is past its deadline.
    sql +=
        " AND (COALESCE(x.reported_at, ?) > x.positive_at + ? "
        "OR COALESCE(x.contacts_listed_at, ?) > x.positive_at + ? "
        "OR COALESCE(x.controlled_at, ?) > x.positive_at + ?)";
    for (int hours : {targets.reported_hours, targets.listed_hours, targets.controlled_hours}) {
      params.emplace_back(now);
      params.emplace_back(std::int64_t{hours} * 3600);
    }
  }
  sql += " ORDER BY x.positive_at DESC, x.id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  return QueryCases(s, sql, params);
}

Result<std::vector<Case>> RecentCases(store::Session& s, const auth::PathRange& scope,
                                      std::int64_t since, int limit) {
  return QueryCases(s,
                    CaseSelect() +
                        " WHERE c.region_path >= ? AND c.region_path < ? AND c.positive_at >= ? "
                        "AND c.outcome <> 'excluded' ORDER BY c.positive_at DESC, c.id DESC "
                        "LIMIT ?",
                    {scope.lo, scope.hi, since, static_cast<std::int64_t>(limit)});
}

Result<std::int64_t> OpenCaseOf(store::Session& s, std::int64_t person_id) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id FROM cases WHERE person_id = ? AND outcome = 'under_treatment'",
              {person_id}, [&](const store::Row& row) {
                id = row.Int(0);
                return Status::Ok();
              }));
  return id;
}

Result<std::int64_t> InsertCase(store::Session& s, const Case& c, std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(
      "INSERT INTO cases (person_id, classification, positive_at, sampling_at, onset_date, "
      "reported_at, hospital, outcome, cluster_id, lookback_from, contacts_listed_at, "
      "region_code, region_path, version, created_at, created_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
      {c.person_id, c.classification, c.positive_at, Nullable(c.sampling_at),
       Nullable(c.onset_date), Nullable(c.reported_at), c.hospital,
       c.outcome.empty() ? std::string("under_treatment") : c.outcome, Nullable(c.cluster_id),
       c.lookback_from, Nullable(c.contacts_listed_at), c.region_code, c.region_path,
       c.created_at == 0 ? now : c.created_at, c.created_by, now},
      [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Result<bool> UpdateCase(store::Session& s, const Case& c, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE cases SET classification = ?, sampling_at = ?, onset_date = ?, "
             "reported_at = ?, hospital = ?, outcome = ?, cluster_id = ?, lookback_from = ?, "
             "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
             {c.classification, Nullable(c.sampling_at), Nullable(c.onset_date),
              Nullable(c.reported_at), c.hospital, c.outcome, Nullable(c.cluster_id),
              c.lookback_from, now, c.id, c.version}));
  return changed == 1;
}

ClusterScope ClusterScopeOf(const std::string& jurisdiction_path) {
  ClusterScope out;
  out.inside = auth::SubtreeRange(jurisdiction_path);
  if (out.inside.lo.empty()) {
    return out;
  }
  for (std::size_t slash = jurisdiction_path.find('/', 1); slash != std::string::npos;
       slash = jurisdiction_path.find('/', slash + 1)) {
    out.holding.push_back(jurisdiction_path.substr(0, slash + 1));
  }
  return out;
}

namespace {

// The clusters visible in `scope`, with their cases inside `cases_scope`; `extra` narrows it.
Result<std::vector<Cluster>> QueryClusters(store::Session& s, const ClusterScope& scope,
                                           const auth::PathRange& cases_scope,
                                           const std::string& extra, const store::Params& more) {
  store::Params params{cases_scope.lo, cases_scope.hi,  cases_scope.lo,
                       cases_scope.hi, scope.inside.lo, scope.inside.hi};
  std::string holding;
  for (const auto& path : scope.holding) {
    holding += holding.empty() ? "?" : ", ?";
    params.emplace_back(path);
  }
  params.insert(params.end(), more.begin(), more.end());
  std::string sql =
      "SELECT cl.id, cl.name, cl.region_code, r.name, cl.region_path, cl.created_at, "
      "(SELECT MIN(c.onset_date) FROM cases c WHERE c.cluster_id = cl.id AND "
      "c.region_path >= ? AND c.region_path < ? AND c.outcome <> 'excluded'), "
      "(SELECT COUNT(*) FROM cases c WHERE c.cluster_id = cl.id AND "
      "c.region_path >= ? AND c.region_path < ? AND c.outcome <> 'excluded') "
      "FROM clusters cl JOIN regions r ON r.code = cl.region_code "
      "WHERE ((cl.region_path >= ? AND cl.region_path < ?)" +
      (holding.empty() ? std::string() : " OR cl.region_path IN (" + holding + ")") + ")" + extra +
      " ORDER BY cl.id DESC";
  std::vector<Cluster> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    Cluster c;
    c.id = row.Int(0);
    c.name = row.Text(1);
    c.region_code = row.Text(2);
    c.region_name = row.Text(3);
    c.region_path = row.Text(4);
    c.created_at = row.Int(5);
    c.first_onset = TextOrEmpty(row, 6);
    c.cases = row.Int(7);
    out.push_back(std::move(c));
    return Status::Ok();
  }));
  return out;
}

}  // namespace

Result<std::optional<Cluster>> ClusterInScope(store::Session& s, std::int64_t id,
                                              const ClusterScope& scope,
                                              const auth::PathRange& cases_scope) {
  CORDON_ASSIGN_OR_RETURN(auto list, QueryClusters(s, scope, cases_scope, " AND cl.id = ?", {id}));
  if (list.empty()) {
    return std::optional<Cluster>();
  }
  return std::optional<Cluster>(std::move(list.front()));
}

Result<std::vector<Cluster>> ListClusters(store::Session& s, const ClusterScope& scope,
                                          const auth::PathRange& cases_scope) {
  return QueryClusters(s, scope, cases_scope, "", {});
}

Result<std::int64_t> InsertCluster(store::Session& s, const std::string& name,
                                   const std::string& region_code, const std::string& region_path,
                                   const std::string& by, std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("INSERT INTO clusters (name, region_code, region_path, created_at, created_by) "
              "VALUES (?, ?, ?, ?, ?) RETURNING id",
              {name, region_code, region_path, now, by}, [&](const store::Row& row) {
                id = row.Int(0);
                return Status::Ok();
              }));
  return id;
}

Status RenameCluster(store::Session& s, std::int64_t id, const std::string& name) {
  return s.Exec("UPDATE clusters SET name = ? WHERE id = ?", {name, id}).status();
}

Result<std::string> RegionPath(store::Session& s, const std::string& code) {
  std::string path;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT path FROM regions WHERE code = ?", {code}, [&](const store::Row& row) {
        path = row.Text(0);
        return Status::Ok();
      }));
  return path;
}

Result<std::vector<Entry>> ListEntries(store::Session& s, std::int64_t case_id) {
  std::vector<Entry> out;
  CORDON_RETURN_IF_ERROR(
      s.Query(std::string(kEntrySelect) +
                  "WHERE e.case_id = ? AND e.deleted_at IS NULL ORDER BY e.at, e.id",
              {case_id}, [&](const store::Row& row) {
                out.push_back(ReadEntry(row));
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<Entry>> EntryOf(store::Session& s, std::int64_t case_id,
                                     std::int64_t entry_id) {
  std::optional<Entry> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      std::string(kEntrySelect) + "WHERE e.id = ? AND e.case_id = ? AND e.deleted_at IS NULL",
      {entry_id, case_id}, [&](const store::Row& row) {
        out = ReadEntry(row);
        return Status::Ok();
      }));
  return out;
}

Result<std::int64_t> InsertEntry(store::Session& s, std::int64_t case_id, const EntryInput& in,
                                 const std::string& author, std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(
      "INSERT INTO case_investigation (case_id, at, until_at, kind, venue_code, person_id, place, "
      "body, author, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {case_id, in.at, Nullable(in.until), in.kind, Nullable(in.venue_code), Nullable(in.person_id),
       in.place.value_or(""), in.text, author, now, now},
      [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Result<bool> UpdateEntry(store::Session& s, std::int64_t entry_id, const EntryInput& in,
                         const std::string& author, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE case_investigation SET at = ?, until_at = ?, kind = ?, venue_code = ?, "
             "person_id = ?, place = ?, body = ?, author = ?, version = version + 1, "
             "updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
             {in.at, Nullable(in.until), in.kind, Nullable(in.venue_code), Nullable(in.person_id),
              in.place.value_or(""), in.text, author, now, entry_id, in.version}));
  return changed == 1;
}

Status DeleteEntry(store::Session& s, std::int64_t entry_id, const std::string& by,
                   std::int64_t now) {
  return s
      .Exec("UPDATE case_investigation SET deleted_at = ?, deleted_by = ? WHERE id = ?",
            {now, by, entry_id})
      .status();
}

Result<std::optional<Exposure>> ExposureById(store::Session& s, std::int64_t id) {
  std::optional<Exposure> out;
  CORDON_RETURN_IF_ERROR(
      s.Query(std::string(kExposureSelect) + "WHERE e.id = ?", {id}, [&](const store::Row& row) {
        out = ReadExposure(row);
        return Status::Ok();
      }));
  return out;
}

Result<bool> ExposureExists(store::Session& s, std::int64_t source, std::int64_t target) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t n, s.QueryInt("SELECT COUNT(*) FROM exposures WHERE source_person_id = ? AND "
                                 "target_person_id = ?",
                                 {source, target}));
  return n > 0;
}

Result<std::vector<Link>> LinksReachableFrom(store::Session& s, std::int64_t from) {
  constexpr std::size_t kChunk = 500;  // bound the statement's parameters
  std::vector<Link> out;
  std::set<std::int64_t> seen{from};
  std::vector<std::int64_t> frontier{from};
  while (!frontier.empty()) {
    std::vector<std::int64_t> next;
    for (std::size_t i = 0; i < frontier.size(); i += kChunk) {
      std::vector<std::int64_t> part(
          frontier.begin() + static_cast<std::ptrdiff_t>(i),
          frontier.begin() + static_cast<std::ptrdiff_t>(std::min(i + kChunk, frontier.size())));
      store::Params params;
      const std::string in = Placeholders(part, params);
      CORDON_RETURN_IF_ERROR(s.Query(
          "SELECT source_person_id, target_person_id FROM exposures WHERE source_person_id IN (" +
              in + ")",
          params, [&](const store::Row& row) {
            out.emplace_back(row.Int(0), row.Int(1));
            if (seen.insert(row.Int(1)).second) {
              next.push_back(row.Int(1));
            }
            return Status::Ok();
          }));
    }
    frontier = std::move(next);
  }
  return out;
}

Result<std::int64_t> InsertExposure(store::Session& s, const ExposureInput& in,
                                    const std::string& by, std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(
      "INSERT INTO exposures (source_person_id, target_person_id, kind, at, venue_code, note, "
      "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {in.source_person_id, in.target_person_id, in.kind, Nullable(in.at), Nullable(in.venue_code),
       in.note.value_or(""), now, by},
      [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Status DeleteExposure(store::Session& s, std::int64_t id) {
  return s.Exec("DELETE FROM exposures WHERE id = ?", {id}).status();
}

Result<std::vector<Exposure>> ExposuresOf(store::Session& s, std::int64_t person_id) {
  std::vector<Exposure> out;
  CORDON_RETURN_IF_ERROR(
      s.Query(std::string(kExposureSelect) +
                  "WHERE e.source_person_id = ? OR e.target_person_id = ? ORDER BY e.at, e.id",
              {person_id, person_id}, [&](const store::Row& row) {
                out.push_back(ReadExposure(row));
                return Status::Ok();
              }));
  return out;
}

Result<Graph> ClusterGraph(store::Session& s, std::int64_t cluster_id,
                           const auth::PathRange& scope) {
  Graph g;
  std::map<std::int64_t, std::size_t> node_of;  // person → index in g.nodes
  std::map<std::int64_t, std::string> path_of;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT c.id, c.person_id, p.name, c.classification, c.onset_date, c.positive_at, "
              "c.region_path, r.name FROM cases c JOIN people p ON p.id = c.person_id "
              "JOIN regions r ON r.code = c.region_code WHERE c.cluster_id = ? AND "
              "c.outcome <> 'excluded' ORDER BY c.positive_at, c.id",
              {cluster_id}, [&](const store::Row& row) {
                GraphNode n;
                n.case_id = row.Int(0);
                n.person_id = row.Int(1);
                n.name = row.Text(2);
                n.classification = row.Text(3);
                n.onset_date = TextOrEmpty(row, 4);
                n.positive_at = row.Int(5);
                n.region_name = row.Text(7);
                path_of[n.person_id] = row.Text(6);
                if (node_of.emplace(n.person_id, g.nodes.size()).second) {
                  g.nodes.push_back(std::move(n));
                }
                return Status::Ok();
              }));
  if (g.nodes.empty()) {
    return g;
  }
  std::vector<std::int64_t> members;
  members.reserve(g.nodes.size());
  for (const GraphNode& n : g.nodes) {
    members.push_back(n.person_id);
  }
  {
    store::Params params;
    const std::string in = Placeholders(members, params);
    const store::Params both = [&] {
      store::Params p = params;
      p.insert(p.end(), params.begin(), params.end());
      return p;
    }();
    CORDON_RETURN_IF_ERROR(s.Query(std::string(kExposureSelect) + "WHERE e.source_person_id IN (" +
                                       in + ") OR e.target_person_id IN (" + in + ") ORDER BY e.id",
                                   both, [&](const store::Row& row) {
                                     g.links.push_back(ReadExposure(row));
                                     return Status::Ok();
                                   }));
  }
  // The people at the other end of a link who are not cases of the cluster.
  std::vector<std::int64_t> others;
  for (const Exposure& e : g.links) {
    for (std::int64_t p : {e.source_person_id, e.target_person_id}) {
      if (!node_of.contains(p)) {
        node_of.emplace(p, g.nodes.size());
        GraphNode n;
        n.person_id = p;
        g.nodes.push_back(std::move(n));
        others.push_back(p);
      }
    }
  }
  if (!others.empty()) {
    store::Params params;
    const std::string in = Placeholders(others, params);
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT p.id, p.name, p.region_path, r.name FROM people p "
                "LEFT JOIN regions r ON r.code = p.region_code WHERE p.id IN (" +
                    in + ")",
                params, [&](const store::Row& row) {
                  GraphNode& n = g.nodes[node_of.at(row.Int(0))];
                  n.name = row.Text(1);
                  n.region_name = TextOrEmpty(row, 3);
                  path_of[n.person_id] = TextOrEmpty(row, 2);
                  return Status::Ok();
                }));
  }
  // Outside the jurisdiction only the district is told (security.md A10).
  std::set<std::string> districts;
  for (GraphNode& n : g.nodes) {
    const std::string& path = path_of[n.person_id];
    n.in_scope = !path.empty() && path >= scope.lo && path < scope.hi;
    if (!n.in_scope) {
      n.region_name.clear();
      if (std::string district = DistrictCode(path); !district.empty()) {
        districts.insert(std::move(district));
      }
    }
  }
  std::map<std::string, std::string> district_name;
  for (const std::string& code : districts) {
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT name FROM regions WHERE code = ?", {code}, [&](const store::Row& row) {
          district_name[code] = row.Text(0);
          return Status::Ok();
        }));
  }
  for (GraphNode& n : g.nodes) {
    if (!n.in_scope) {
      if (auto it = district_name.find(DistrictCode(path_of[n.person_id]));
          it != district_name.end()) {
        n.region_name = it->second;
      }
    }
  }
  std::vector<std::int64_t> everyone;
  everyone.reserve(g.nodes.size());
  for (const GraphNode& n : g.nodes) {
    everyone.push_back(n.person_id);
  }
  store::Params params;
  const std::string in = Placeholders(everyone, params);
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT person_id, measure, state FROM measures WHERE person_id IN (" + in +
                  ") AND state IN ('planned', 'active', 'extended')",
              params, [&](const store::Row& row) {
                GraphNode& n = g.nodes[node_of.at(row.Int(0))];
                n.measure = row.Text(1);
                n.measure_state = row.Text(2);
                return Status::Ok();
              }));
  std::vector<Link> links;
  links.reserve(g.links.size());
  for (const Exposure& e : g.links) {
    links.emplace_back(e.source_person_id, e.target_person_id);
  }
  for (const auto& [person, generation] : Generations(members, links)) {
    g.nodes[node_of.at(person)].generation = generation;
  }
  return g;
}

Result<Curve> CurveCounts(store::Session& s, const auth::PathRange& scope, const std::string& by,
                          std::chrono::year_month_day from, std::chrono::year_month_day to,
                          base::UtcOffset offset) {
  Curve out;
  out.by = by;
  CORDON_ASSIGN_OR_RETURN(auto dates, DateRange(from, to, 366));
  std::map<std::string, std::size_t> index;
  for (const auto& d : dates) {
    index[base::FormatDate(d)] = out.days.size();
    out.days.push_back({base::FormatDate(d), 0, 0, 0});
  }
  const std::int64_t start = LocalMidnight(from, offset);
  const std::int64_t end = LocalMidnight(std::chrono::sys_days(to) + std::chrono::days(1), offset);
  if (by == "onset") {
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT onset_date, classification, COUNT(*) FROM cases WHERE region_path >= ? "
                "AND region_path < ? AND outcome <> 'excluded' AND onset_date >= ? AND "
                "onset_date <= ? GROUP BY onset_date, classification",
                {scope.lo, scope.hi, out.days.front().date, out.days.back().date},
                [&](const store::Row& row) {
                  if (auto it = index.find(row.Text(0)); it != index.end()) {
                    AddTo(out.days[it->second], row.Text(1), row.Int(2));
                  }
                  return Status::Ok();
                }));
    CORDON_ASSIGN_OR_RETURN(
        out.no_onset,
        s.QueryInt("SELECT COUNT(*) FROM cases WHERE region_path >= ? AND region_path < ? AND "
                   "outcome <> 'excluded' AND onset_date IS NULL AND positive_at >= ? AND "
                   "positive_at < ?",
                   {scope.lo, scope.hi, start, end}));
    return out;
  }
  // The local day number of the report: integer division after shifting into local time.
  const std::int64_t shift = offset.minutes.count() * 60;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT (COALESCE(reported_at, positive_at) + ?) / 86400, classification, COUNT(*) "
      "FROM cases WHERE region_path >= ? AND region_path < ? AND outcome <> 'excluded' AND "
      "COALESCE(reported_at, positive_at) >= ? AND COALESCE(reported_at, positive_at) < ? "
      "GROUP BY 1, 2",
      {shift, scope.lo, scope.hi, start, end}, [&](const store::Row& row) {
        const std::chrono::year_month_day day{std::chrono::sys_days(std::chrono::days(row.Int(0)))};
        if (auto it = index.find(base::FormatDate(day)); it != index.end()) {
          AddTo(out.days[it->second], row.Text(1), row.Int(2));
        }
        return Status::Ok();
      }));
  return out;
}

Result<std::optional<int>> ListedDegree(store::Session& s, std::int64_t case_id,
                                        std::int64_t person_id) {
  std::optional<int> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT degree FROM case_contacts WHERE case_id = ? AND person_id = ?",
              {case_id, person_id}, [&](const store::Row& row) {
                out = static_cast<int>(row.Int(0));
                return Status::Ok();
              }));
  return out;
}

Status SaveContact(store::Session& s, std::int64_t case_id, const ListedContact& contact,
                   std::int64_t lead_id, std::int64_t now) {
  // A secondary contact found again as a close one moves up; the first listing time stays.
  return s
      .Exec(
          "INSERT INTO case_contacts (case_id, person_id, degree, kind, lead_id, listed_at) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, person_id) DO UPDATE SET "
          "degree = excluded.degree, kind = excluded.kind, lead_id = excluded.lead_id",
          {case_id, contact.person_id, static_cast<std::int64_t>(contact.degree), contact.kind,
           Nullable(lead_id), now})
      .status();
}

Status MarkListed(store::Session& s, std::int64_t case_id, std::int64_t now) {
  return s
      .Exec("UPDATE cases SET contacts_listed_at = ? WHERE id = ? AND contacts_listed_at IS NULL",
            {now, case_id})
      .status();
}

}  // namespace cordon::cases
